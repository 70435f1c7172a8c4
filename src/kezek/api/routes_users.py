"""Staff accounts API: tokens, the users, and governing them.

Sign-in (`POST /auth/token`) is throttled per account and answers an unknown username
as a wrong password (app/staff_login.py). Admins create, disable, enable, reset,
revoke and unlock accounts; anyone signed in changes their own password. Every change
goes through app/staff_accounts.py, which writes the audit log with the actor.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.auth import Admin, AnyStaff
from kezek.api.client import throttle_of
from kezek.api.deps import bearer, page_session, settings_of, sign_in, tx
from kezek.api.schemas import RowId, Strict, example
from kezek.app import accounts, staff_accounts
from kezek.app.actor import Channel
from kezek.store.models import UserRow

router = APIRouter(prefix="/api/v1", tags=["auth"])
API = Channel.API


class TokenIn(Strict):
    model_config = example(username="a.nurlanova", password="Saryarqa-2027-kezek")
    username: str = Field(max_length=64)
    password: str = Field(max_length=200)
    otp: str | None = Field(None, max_length=10,
                            description="the 6-digit code, for an account with TOTP")


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: str
    role: str
    must_change_password: bool = Field(
        False, description="an admin reset the password: only POST /auth/password and "
        "/auth/logout are allowed until the user sets their own")


@router.post("/auth/token", response_model=TokenOut)
async def token(request: Request, body: TokenIn) -> TokenOut:
    """Exchanges a staff member's username and password (and code) for a bearer token.

    After 5 failures in a row each attempt waits longer (429 `rate_limited` with
    Retry-After); after 20 the account is locked until an admin unlocks it (423
    `locked`)."""
    ttl = settings_of(request).token_ttl_hours

    async def issue(s: AsyncSession, user: UserRow) -> TokenOut:
        value, expires = await accounts.issue_token(s, user, ttl)
        return TokenOut(access_token=value, expires_at=expires.isoformat(), role=user.role,
                        must_change_password=user.must_change_password)

    return await sign_in(request, body.username, body.password, body.otp, issue)


@router.post("/auth/logout", status_code=204)
async def logout(request: Request) -> None:
    """Ends the credential used: the bearer token, or, for a page session, every page
    session of the user (sessions are told apart only by the user's version)."""
    value = bearer(request)
    user_id, version = page_session(request)
    async with tx(request) as s:
        if value:
            await accounts.revoke_token(s, value)
        elif user := await accounts.user_for_session(s, user_id, version):
            await accounts.end_page_sessions(s, user.id)
    if "session" in request.scope and not value:
        request.session.clear()


class PasswordChangeIn(Strict):
    model_config = example(old_password="Saryarqa-2027-kezek", new_password="Esil-ozeni-2027-jazy")
    old_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200)


@router.post("/auth/password", status_code=204)
async def change_own_password(request: Request, body: PasswordChangeIn, actor: AnyStaff) -> None:
    """Changes the signed-in user's own password (the old one is needed). Every token
    and page session of the user ends, this one too: sign in again."""
    async with tx(request) as s:
        assert actor.user_id is not None
        await throttle_of(request).hit("password:user", str(actor.user_id))
        await staff_accounts.change_password(s, actor.user_id, body.old_password,
                                             body.new_password, actor, API)


class UserIn(Strict):
    model_config = example(username="a.nurlanova", password="Saryarqa-2027-kezek", role="door",
                           centers=[1], full_name="Айгерім Нұрланова")
    username: str
    password: str
    role: str
    centers: list[int] = []
    full_name: str = ""


class UserOut(BaseModel):
    id: int
    username: str
    role: str
    centers: list[int]
    full_name: str
    active: bool
    locked: bool = False
    failed_logins: int = 0
    totp: bool = False
    must_change_password: bool = False

    @classmethod
    def of(cls, u: UserRow) -> UserOut:
        from kezek.core.credentials import is_locked

        return cls(id=u.id, username=u.username, role=u.role, centers=u.centers,
                   full_name=u.full_name, active=u.active, locked=is_locked(u.failed_logins),
                   failed_logins=u.failed_logins, totp=bool(u.totp_secret),
                   must_change_password=u.must_change_password)


@router.get("/users", response_model=list[UserOut])
async def users(request: Request, _staff: Admin) -> list[UserOut]:
    async with tx(request) as s:
        return [UserOut.of(u) for u in await accounts.list_users(s)]


@router.post("/users", status_code=201, response_model=UserOut)
async def create_user(request: Request, body: UserIn, actor: Admin) -> UserOut:
    async with tx(request) as s:
        u = await accounts.create_user(s, body.username, body.password, body.role, body.centers,
                                       body.full_name, actor, API)
        return UserOut.of(u)


@router.post("/users/{user_id}/disable", response_model=UserOut)
async def disable(request: Request, user_id: RowId, actor: Admin) -> UserOut:
    """Disables the account and ends all its tokens and page sessions."""
    async with tx(request) as s:
        return UserOut.of(await staff_accounts.disable(s, user_id, actor, API))


@router.post("/users/{user_id}/enable", response_model=UserOut)
async def enable(request: Request, user_id: RowId, actor: Admin) -> UserOut:
    async with tx(request) as s:
        return UserOut.of(await staff_accounts.enable(s, user_id, actor, API))


class PasswordResetIn(Strict):
    model_config = example(password="Bayterek-2027-kokteme")
    password: str = Field(max_length=200)


@router.post("/users/{user_id}/password", response_model=UserOut)
async def reset_password(request: Request, user_id: RowId, body: PasswordResetIn,
                         actor: Admin) -> UserOut:
    """Sets a new password; the user must choose their own at the next sign-in. Ends
    all the user's tokens and page sessions."""
    async with tx(request) as s:
        return UserOut.of(await staff_accounts.reset_password(s, user_id, body.password,
                                                              actor, API))


class RevokeOut(BaseModel):
    tokens_revoked: int


@router.post("/users/{user_id}/revoke", response_model=RevokeOut)
async def revoke(request: Request, user_id: RowId, actor: Admin) -> RevokeOut:
    """Signs the user out everywhere: every token and every page session."""
    async with tx(request) as s:
        return RevokeOut(tokens_revoked=await staff_accounts.revoke_all(s, user_id, actor,
                                                                        API))


@router.post("/users/{user_id}/unlock", response_model=UserOut)
async def unlock(request: Request, user_id: RowId, actor: Admin) -> UserOut:
    """Lifts a lockout or a sign-in delay."""
    async with tx(request) as s:
        return UserOut.of(await staff_accounts.unlock(s, user_id, actor, API))
