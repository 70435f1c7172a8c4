"""The engine and sessions. One transaction per request, committed at the edge."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import SessionTransaction
from sqlalchemy.pool import NullPool

from kezek.settings import normalize_database_url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str, pool_size: int = 10, max_overflow: int = 0,
                pool_timeout: float = 30.0) -> AsyncEngine:
    """An engine for the URL. On PostgreSQL a fixed pool: `pool_size` connections kept
    open, plus at most `max_overflow` more opened under a burst and closed again on
    return. Overflow is off by default because under sustained load it churns: each
    new connection forks a backend and runs asyncpg's type introspection, several
    milliseconds of server CPU, so a request is better off waiting for a pooled one
    (bench/ANALYSIS.md, session 4), for at most `pool_timeout` seconds: then
    sqlalchemy.exc.TimeoutError, which the API answers with 503 `busy`."""
    url = normalize_database_url(url)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=max_overflow,
                               pool_timeout=pool_timeout, pool_pre_ping=False)


async def connection_budget(url: str, connections: int) -> str | None:
    """Whether PostgreSQL admits `connections` more (every pool full at once), as a
    warning to print, or None. Each API worker keeps its own pool, so `kezek serve
    --workers 8` with the default pool wants 160 connections, and PostgreSQL's default
    max_connections is 100: the requests over it would fail at the worst moment, under
    load. SQLite, or a server that cannot be reached now, gives None (the server's
    first request says what is wrong)."""
    if not normalize_database_url(url).startswith("postgresql"):
        return None
    engine = create_async_engine(normalize_database_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            limit = int((await conn.exec_driver_sql("SHOW max_connections")).scalar_one())
            reserved = int((await conn.exec_driver_sql(
                "SHOW superuser_reserved_connections")).scalar_one())
    except (OSError, SQLAlchemyError):
        return None
    finally:
        await engine.dispose()
    allowed = limit - reserved
    if connections <= allowed:
        return None
    return (f"the pools may open {connections} PostgreSQL connections, and the server "
            f"admits {allowed}: lower KEZEK_DB_POOL_SIZE or the workers, or raise "
            f"max_connections")


# SQLSTATEs that say the server cannot do any work now, whatever the statement: class 08
# (the connection is gone: 08003 when the server died or ended it mid-statement),
# 57P01-57P03 (shut down by an operator or a failover manager, crashed, or still
# starting or in recovery) and 25006 (a write reached a read-only server: a standby, or a
# former primary fenced during a switchover). asyncpg raises most of them as plain
# PostgresErrors, which SQLAlchemy wraps in its generic DBAPIError rather than in an
# OperationalError, so they would otherwise be answered like a bug (bench/failover.py).
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "25006")


def database_unavailable(exc: BaseException) -> bool:
    """Whether a DBAPIError means the database cannot serve now rather than a fault of
    the statement: the pool found the connection dead (and dropped it, so the next
    request gets a fresh one from the multi-host URL), the SQLSTATE says so, or asyncpg
    found no server of the URL's hosts that takes writes (`target_session_attrs=
    read-write` while the primary is gone and the standby not yet promoted)."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    state = getattr(exc.orig, "sqlstate", None)
    if isinstance(state, str) and state.startswith(UNAVAILABLE_SQLSTATES):
        return True
    cause = getattr(exc.orig, "__cause__", None) or exc.orig
    return type(cause).__name__ == "TargetServerAttributeNotMatched"


class Session(AsyncSession):
    """An AsyncSession that hands out its transaction's connection without a round trip
    through the greenlet bridge once it has one.

    The hot statements run as Core on `await session.connection()`, asked for several
    times per request (the catalog, the booking, the audit). Each ask costs a greenlet
    switch and the proxy lookup, though the answer cannot change while the same root
    transaction is active: the session holds one connection per transaction. With any
    argument, or once the transaction ended or failed, the ask goes through as before.
    """

    _memo: tuple[SessionTransaction, AsyncConnection] | None = None

    async def connection(self, bind_arguments: Any = None, execution_options: Any = None,
                         **kw: Any) -> AsyncConnection:
        plain = bind_arguments is None and execution_options is None and not kw
        sync = self.sync_session
        if plain and self._memo is not None:
            held, conn = self._memo
            if (held is sync.get_transaction() and held.is_active
                    and sync.get_nested_transaction() is None):
                return conn
        conn = await super().connection(bind_arguments, execution_options, **kw)
        root = sync.get_transaction()  # inside a savepoint nothing is memoised
        self._memo = (root, conn) if (plain and root is not None
                                      and sync.get_nested_transaction() is None) else None
        return conn


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=Session, expire_on_commit=False,
                              autoflush=False)


@asynccontextmanager
async def unit_of_work(sm: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session whose work is committed if the block ends normally, rolled back if not.

    After a commit the connection is back in the pool and closing the session is
    bookkeeping without I/O, so it is awaited directly; after a failure the rollback and
    close are shielded from cancellation as `async with session` would (a task of their
    own, which costs a loop iteration on every request if done on success too).
    """
    session = sm()
    try:
        yield session
        await session.commit()
    except BaseException:
        async with session:  # its exit closes the session, shielded
            await session.rollback()
        raise
    await session.close()
