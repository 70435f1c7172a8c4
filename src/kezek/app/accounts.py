"""Staff accounts: argon2 password hashes, roles, bearer tokens stored as hashes, and
the checks that every request's credential (token or page session) is still good.

Signing in is in `staff_login`, governing accounts (disable, passwords, revocation,
TOTP) in `staff_accounts`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit, passwords
from kezek.app.actor import Actor, Channel, Role
from kezek.core.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from kezek.store.models import ApiTokenRow, UserRow, utcnow

_USERNAME = re.compile(r"^[a-z0-9_.-]{3,64}$")


def actor_of(user: UserRow) -> Actor:
    return Actor(
        label=user.username,
        user_id=user.id,
        role=Role(user.role),
        centers=frozenset(user.centers or ()),
    )


def normal_username(username: str) -> str:
    return username.strip().lower()


async def create_user(
    session: AsyncSession,
    username: str,
    password: str,
    role: str,
    centers: list[int],
    full_name: str,
    actor: Actor,
    channel: Channel,
) -> UserRow:
    username = normal_username(username)
    if not _USERNAME.match(username):
        raise ValidationFailed(detail="username: 3-64 of a-z, 0-9, _ . -")
    passwords.check_strength(password, username, full_name)
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise ValidationFailed(detail=f"role must be one of {[r.value for r in Role]}") from exc
    if await session.scalar(select(UserRow.id).where(UserRow.username == username)):
        raise Conflict(detail="username taken")
    user = UserRow(
        username=username,
        password_hash=await passwords.hash_password(password),
        role=role_value.value,
        centers=sorted(set(centers)),
        full_name=full_name,
        password_changed_at=utcnow(),
    )
    session.add(user)
    await session.flush()
    await audit.record(
        session,
        actor,
        channel,
        "user.create",
        "user",
        user.id,
        {"username": username, "role": role_value.value},
    )
    return user


async def user_named(session: AsyncSession, username: str) -> UserRow:
    user = await session.scalar(select(UserRow).where(
        UserRow.username == normal_username(username)))
    if user is None:
        raise NotFound(detail=f"no user {username!r}")
    return user


async def user_by_id(session: AsyncSession, user_id: int) -> UserRow:
    user = await session.get(UserRow, user_id)
    if user is None:
        raise NotFound(detail=f"no user {user_id}")
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(
    session: AsyncSession, user: UserRow, ttl_hours: int
) -> tuple[str, dt.datetime]:
    token = "kz_" + secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(hours=ttl_hours)
    session.add(ApiTokenRow(token_hash=_token_hash(token), user_id=user.id, expires_at=expires))
    await session.flush()
    return token, expires


async def user_for_token(session: AsyncSession, token: str) -> UserRow:
    """The user behind a live token: not revoked (logout, a password change or reset,
    disabling, `revoke`), not expired, and the user still active."""
    row = await session.scalar(
        select(UserRow)
        .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
        .where(
            ApiTokenRow.token_hash == _token_hash(token),
            ApiTokenRow.revoked.is_(False),
            ApiTokenRow.expires_at > utcnow(),
            UserRow.active.is_(True),
        )
    )
    if row is None:
        raise Unauthorized()
    return row


async def user_for_session(session: AsyncSession, user_id: object,
                           version: object) -> UserRow | None:
    """The user a page session names, if the session is still good: the user active
    and the session issued under the user's current `session_version`.

    The signed cookie cannot be taken back from a browser (or from whoever copied it);
    the version is how the server says no to every copy at once.
    """
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None  # a cookie from before versions existed is signed out too
    user = await session.get(UserRow, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


async def revoke_token(session: AsyncSession, token: str) -> None:
    await session.execute(
        update(ApiTokenRow).where(ApiTokenRow.token_hash == _token_hash(token)).values(revoked=True)
    )


async def end_page_sessions(session: AsyncSession, user_id: int) -> None:
    """Every page session of the user stops working (the version they carry is old)."""
    await session.execute(update(UserRow).where(UserRow.id == user_id).values(
        session_version=UserRow.session_version + 1))


async def list_users(session: AsyncSession) -> list[UserRow]:
    return list((await session.scalars(select(UserRow).order_by(UserRow.username))).all())
