"""Which database errors mean "the database cannot serve now" (503), on a real server.

The multi-host URL a failover needs is taken as SQLAlchemy's asyncpg dialect reads it
(`?host=h1:p1&host=h2:p2&target_session_attrs=read-write`); when none of its hosts
matches the wanted attributes, as while a primary is dead and its standby not yet
promoted, the error is the database's unavailability, while a wrong statement stays
a fault of the statement.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from kezek.store.db import database_unavailable, make_engine

pytestmark = pytest.mark.pg


def _multi_host(url: str, attrs: str) -> str:
    """The test database's URL with its one host written as two `host=` entries."""
    base, name = url.rsplit("/", 1)
    hostport = base.split("@", 1)[1]
    user = base.split("://", 1)[1].split("@", 1)[0]
    return (f"postgresql+asyncpg://{user}@/{name}?host={hostport}&host={hostport}"
            f"&target_session_attrs={attrs}")


async def test_multi_host_url_reaches_the_primary(pg_url: str) -> None:
    engine = make_engine(_multi_host(pg_url, "read-write"), pool_size=1)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT NOT pg_is_in_recovery()"))).scalar_one()
    finally:
        await engine.dispose()


async def test_no_host_with_the_wanted_role_is_unavailable(pg_url: str) -> None:
    engine = make_engine(_multi_host(pg_url, "standby"), pool_size=1)
    try:
        with pytest.raises(DBAPIError) as caught:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        assert database_unavailable(caught.value)
    finally:
        await engine.dispose()


async def test_a_wrong_statement_is_not_unavailability(pg_url: str) -> None:
    engine = make_engine(pg_url, pool_size=1)
    try:
        with pytest.raises(DBAPIError) as caught:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT * FROM no_such_table"))
        assert not database_unavailable(caught.value)
    finally:
        await engine.dispose()
