"""The ASGI application: API routers, pages, static files, and the database lifecycle."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from kezek import __version__, clock, metrics
from kezek.api import (
    challenge_deps,
    docs_pages,
    errors,
    openapi_doc,
    ops,
    routes_abuse,
    routes_admin,
    routes_ballot,
    routes_callcentre,
    routes_callcentre_waitlist,
    routes_challenge,
    routes_console,
    routes_feedback,
    routes_floor,
    routes_identity,
    routes_kiosk,
    routes_network,
    routes_privilege,
    routes_public,
    routes_telegram,
    routes_users,
    routes_waitlist,
)
from kezek.api.edge import EdgeMiddleware
from kezek.api.read_retry import RetryLostReadMiddleware
from kezek.core.pow import ChallengeRequired
from kezek.live.broker import make_broker
from kezek.live.stopping import Stopping, watch
from kezek.settings import Settings, get_settings
from kezek.store.db import make_engine, make_sessionmaker


async def _warn_identity_none(sessionmaker: Any) -> None:
    """`identity: none` lets an IIN alone book and open bookings: say so at every start."""
    from kezek.app.identity import policy_store
    from kezek.core.identity import IdentityMode

    try:
        async with sessionmaker() as session:
            policy = await policy_store.current(session)
    except Exception:  # no schema yet, or the database is down: /readyz will say so
        return
    if policy.mode is IdentityMode.NONE:
        logging.getLogger("kezek.identity").warning(
            "identity: none - bookings are made and opened by IIN alone, without proof")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, settings.db_pool_size,
                             settings.db_max_overflow, settings.db_pool_timeout)
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.broker = make_broker(settings.redis_url)
        app.state.stopping = Stopping()
        await _warn_identity_none(app.state.sessionmaker)
        try:
            with watch(app.state.stopping), clock.pinned_from_setting(settings.clock_at):
                yield
        finally:
            await app.state.broker.close()
            await engine.dispose()
            metrics.worker_stopped()

    app = FastAPI(
        title="Kezek API",
        version=__version__,
        description=(
            "Bookings by IIN, the registry of state services and the network of public "
            "service centres. Errors are `{\"error\": {\"code\", \"message\"}}` with the "
            "message in the language of `Accept-Language` (kk, ru, en). An IIN is only ever "
            "sent in a request body."),
        lifespan=lifespan,
        docs_url=None, redoc_url=None,  # served from Kezek's own origin (docs_pages)
        generate_unique_id_function=openapi_doc.operation_id,
    )
    app.state.settings = settings
    app.state.default_lang = settings.default_lang
    app.add_middleware(RetryLostReadMiddleware)  # innermost: it calls the routes again
    app.add_middleware(SessionMiddleware, secret_key=settings.secret_key,
                       session_cookie="kezek_session", same_site="lax",
                       https_only=settings.secure_cookies, max_age=12 * 3600)
    app.add_middleware(EdgeMiddleware, max_body=settings.max_body_bytes,
                       default_lang=settings.default_lang)
    errors.install(app)
    app.add_exception_handler(ChallengeRequired,
                              challenge_deps.challenge_required)  # type: ignore[arg-type]

    # First among the routes: a request is matched against the routes in order, and
    # probes come often (after all the routers and pages, matching cost 0.3 ms a probe).
    ops.install(app)
    docs_pages.install(app)

    app.include_router(routes_identity.router)
    app.include_router(routes_challenge.router)
    app.include_router(routes_public.router)
    app.include_router(routes_network.router)
    app.include_router(routes_users.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_floor.router)
    app.include_router(routes_console.router)
    app.include_router(routes_kiosk.router)
    app.include_router(routes_privilege.router)
    app.include_router(routes_callcentre.router)
    app.include_router(routes_callcentre_waitlist.router)
    app.include_router(routes_waitlist.router)
    app.include_router(routes_ballot.router)
    app.include_router(routes_telegram.router)
    app.include_router(routes_abuse.router)
    app.include_router(routes_feedback.router)

    from kezek.web import mount

    mount(app)
    openapi_doc.install(app)  # last: it names every route the app has
    return app
