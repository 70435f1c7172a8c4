"""Request-scoped things: the transaction, the actor, the language, the IIN key."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.errors import request_lang
from kezek.app import accounts, passwords, staff_login
from kezek.app.actor import CITIZEN, Actor, Role
from kezek.app.outbox import take_messages
from kezek.core.errors import Forbidden, PasswordChangeRequired, Unauthorized
from kezek.jobs import handoff
from kezek.jobs.queue import Jobs, jobs_for
from kezek.settings import Settings
from kezek.store.db import unit_of_work
from kezek.store.models import UserRow, utcnow

T = TypeVar("T")


@asynccontextmanager
async def tx(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's one transaction: committed when the handler's work succeeds.

    Live messages the work queued are published, and background jobs it asked for are
    queued, only after the commit.
    """
    async with unit_of_work(request.app.state.sessionmaker) as session:
        yield session
    await handoff.deliver(take_messages(session), lambda: jobs_of(request),
                          request.app.state.broker)


def jobs_of(request: Request) -> Jobs:
    """The job queue: set on the app by whoever needs another one (tests), else the
    process's queue for the app's settings."""
    jobs: Jobs | None = getattr(request.app.state, "jobs", None)
    if jobs is None:
        jobs = request.app.state.jobs = jobs_for(settings_of(request))
    return jobs


def settings_of(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


def iin_key(request: Request) -> bytes:
    return settings_of(request).iin_key.encode()


def lang(request: Request) -> str:
    return request_lang(request)


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


SESSION_USER, SESSION_VERSION = "user_id", "sv"
# What a user whose password an admin reset may still do: choose their own, or leave.
PASSWORD_CHANGE_PATHS = frozenset({"/api/v1/auth/password", "/api/v1/auth/logout",
                                   "/staff/password", "/staff/logout"})


def page_session(request: Request) -> tuple[object, object]:
    """The (user id, session version) a page session cookie names, if any."""
    if "session" not in request.scope:
        return None, None
    data = request.scope["session"]
    return data.get(SESSION_USER), data.get(SESSION_VERSION)


async def staff_user(request: Request, session: AsyncSession) -> UserRow | None:
    """The staff account behind a bearer token or a live page session, else None.

    A token is refused unless live (accounts.user_for_token). A page session is refused
    unless its version is the user's current one and the user is active: logout, a
    password change or reset, disabling and `revoke` bump the version, so a copied
    cookie stops working with them.
    """
    token = bearer(request)
    if token and token.startswith("kzp."):  # a person's proof of identity, not staff
        return None
    if token:
        return await accounts.user_for_token(session, token)
    user_id, version = page_session(request)
    if user_id and not _cookie_call_allowed(request):
        raise Forbidden()
    if user_id:
        return await accounts.user_for_session(session, user_id, version)
    return None


async def actor_of(request: Request, session: AsyncSession) -> Actor:
    """The staff member behind a bearer token or a page session, else the citizen.

    A user whose password an admin reset is refused (403 password_change_required)
    everywhere but the password change and logout until they choose their own.
    """
    user = await staff_user(request, session)
    if user is None:
        return CITIZEN
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired()
    return accounts.actor_of(user)


async def sign_in(request: Request, username: str, password: str, otp: str | None,
                  then: Callable[[AsyncSession, UserRow], Awaitable[T]]) -> T:
    """Signs a staff member in (staff_login's three steps) and runs `then` in the
    transaction that records the success; raises the refusal after the failure is
    committed. The password is verified between two transactions, so no database
    connection waits on argon2."""
    now = utcnow()
    async with tx(request) as s:
        attempt = await staff_login.begin(s, username, now)
    ok = attempt.refusal is None and await passwords.verify(attempt.password_hash, password)
    async with tx(request) as s:
        outcome = await staff_login.finish(s, attempt, ok, otp, now,
                                           settings_of(request).env == "production",
                                           iin_key(request))
        if outcome.user is None:
            refusal = outcome.refusal
        else:
            return await then(s, outcome.user)
    raise refusal or Unauthorized()


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _cookie_call_allowed(request: Request) -> bool:
    """A state-changing API call on a session cookie must carry `X-Requested-With: kezek`.

    Our pages' scripts send it; a cross-site form or image cannot set a custom header,
    and no CORS is allowed, so the cookie alone never authorises a change.
    """
    if request.method in SAFE_METHODS or not request.url.path.startswith("/api/"):
        return True
    return request.headers.get("x-requested-with", "").lower() == "kezek"


async def require(request: Request, session: AsyncSession, *roles: Role) -> Actor:
    """The staff member with one of `roles`, in the caller's transaction: for the
    operations whose need of staff depends on the body (a booking on the call-centre
    channel). An operation that always needs staff declares it instead (api/auth.py),
    so the OpenAPI document knows."""
    actor = await actor_of(request, session)
    if not actor.is_staff:
        raise Unauthorized()
    if roles and actor.role not in roles and actor.role is not Role.ADMIN:
        raise Forbidden()
    return actor
