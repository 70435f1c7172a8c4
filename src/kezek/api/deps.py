"""Request-scoped things: the transaction, the actor, the language, the IIN key."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.errors import request_lang
from kezek.app import accounts
from kezek.app.actor import CITIZEN, Actor, Role
from kezek.app.outbox import take_messages
from kezek.core.errors import Forbidden, Unauthorized
from kezek.jobs import handoff
from kezek.jobs.queue import Jobs, jobs_for
from kezek.settings import Settings
from kezek.store.db import unit_of_work


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


async def actor_of(request: Request, session: AsyncSession) -> Actor:
    """The staff member behind a bearer token or a page session, else the citizen."""
    token = bearer(request)
    if token and token.startswith("kzp."):  # a person's proof of identity, not staff
        return CITIZEN
    if token:
        return accounts.actor_of(await accounts.user_for_token(session, token))
    user_id = request.scope.get("session", {}).get("user_id") if "session" in request.scope \
        else None
    if user_id and not _cookie_call_allowed(request):
        raise Forbidden()
    if user_id:
        from kezek.store.models import UserRow

        user = await session.get(UserRow, user_id)
        if user is not None and user.active:
            return accounts.actor_of(user)
    return CITIZEN


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
    actor = await actor_of(request, session)
    if not actor.is_staff:
        raise Unauthorized()
    if roles and actor.role not in roles and actor.role is not Role.ADMIN:
        raise Forbidden()
    return actor
