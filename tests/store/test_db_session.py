"""The request's session: its memoised connection and its unit of work, on both backends.

`store.db.Session` hands out the transaction's connection without the greenlet round
trip once it has one, and `unit_of_work` closes a committed session without a task of
its own. These tests hold both to what the plain AsyncSession and `async with` did:
one connection per transaction, a fresh one after commit or rollback, savepoints
honoured, failed work rolled back, and the catalog snapshot read once per transaction.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from kezek.app import catalog
from kezek.store.db import Session, unit_of_work
from kezek.store.models import SettingRow


async def _value(sm, key: str) -> object:  # type: ignore[no-untyped-def]
    async with sm() as s:
        return await s.scalar(select(SettingRow.value).where(SettingRow.key == key))


async def test_one_connection_per_transaction_and_a_fresh_one_after(sm) -> None:  # type: ignore[no-untyped-def]
    async with sm() as s:
        assert isinstance(s, Session)
        first = await s.connection()
        assert await s.connection() is first
        assert first.in_transaction()
        await s.commit()
        assert first.closed  # back in the pool: the memo must not hand it out again
        second = await s.connection()
        assert second is not first and not second.closed and second.in_transaction()
        await s.rollback()
        third = await s.connection()
        assert third is not second and not third.closed
        await (await s.connection()).execute(text("SELECT 1"))


async def test_arguments_bypass_the_memo(sm) -> None:  # type: ignore[no-untyped-def]
    async with sm() as s:
        conn = await s.connection()
        same = await s.connection(bind_arguments={"mapper": SettingRow})
        assert same.sync_connection is conn.sync_connection


async def test_savepoint_work_is_rolled_back_alone(sm) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sm) as s:
        await (await s.connection()).execute(
            SettingRow.__table__.insert().values(key="outer", value={"v": 1}))
        nested = await s.begin_nested()
        await (await s.connection()).execute(
            SettingRow.__table__.insert().values(key="inner", value={"v": 2}))
        await nested.rollback()
        await (await s.connection()).execute(
            SettingRow.__table__.insert().values(key="after", value={"v": 3}))
    assert await _value(sm, "outer") == {"v": 1}
    assert await _value(sm, "inner") is None
    assert await _value(sm, "after") == {"v": 3}


async def test_unit_of_work_commits_or_rolls_back(sm) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(sm) as s:
        s.add(SettingRow(key="kept", value={"v": 1}))
    with pytest.raises(RuntimeError):
        async with unit_of_work(sm) as s:
            await (await s.connection()).execute(
                SettingRow.__table__.insert().values(key="dropped", value={"v": 2}))
            raise RuntimeError("the handler failed")
    assert await _value(sm, "kept") == {"v": 1}
    assert await _value(sm, "dropped") is None
    assert s.sync_session.get_transaction() is None  # closed after the failure too


async def test_catalog_read_once_per_transaction(sm, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asks = 0
    original = Session.connection

    async def counting(self, *args, **kw):  # type: ignore[no-untyped-def]
        nonlocal asks
        asks += 1
        return await original(self, *args, **kw)

    async with unit_of_work(sm) as s:
        before = await catalog.snapshot(s)  # loads (or checks) the snapshot
    monkeypatch.setattr(Session, "connection", counting)
    async with unit_of_work(sm) as s:  # checked just now: no connection, no transaction
        fresh = await catalog.snapshot(s)
        await catalog.center(s, next(iter(fresh.centers)))
        assert asks == 0 and not s.in_transaction()
    monkeypatch.setattr(catalog, "RECHECK_SECONDS", 0.0)  # every transaction checks
    async with unit_of_work(sm) as s:
        snap = await catalog.snapshot(s)
        assert asks == 1 and s.in_transaction()  # the check begins the transaction
        assert await catalog.snapshot(s) is snap
        await catalog.center(s, next(iter(snap.centers)))
        await catalog.service(s, next(iter(snap.services)))
        assert asks == 1
    assert snap.version == before.version
    async with unit_of_work(sm) as s:  # a new transaction checks again
        await catalog.snapshot(s)
        assert asks == 2


async def test_a_busy_pool_queues_rather_than_opening_connections(pg_url) -> None:  # type: ignore[no-untyped-def]
    """More concurrent transactions than the pool holds wait for a pooled connection:
    the process never opens more than `pool_size` (an overflow connection would be
    closed on return and reopened by the next burst, which is what made the booking
    rush slow)."""
    import asyncio

    from sqlalchemy import event

    from kezek.settings import Settings
    from kezek.store.db import make_engine, make_sessionmaker

    assert Settings().db_max_overflow == 0
    engine = make_engine(pg_url, pool_size=3)
    opened = 0

    def count(*_: object) -> None:
        nonlocal opened
        opened += 1

    event.listen(engine.sync_engine, "connect", count)
    sm = make_sessionmaker(engine)

    async def work() -> int:
        async with unit_of_work(sm) as s:
            return int(await s.scalar(text("SELECT 1 FROM pg_sleep(0.02)")))

    try:
        for _ in range(3):  # bursts, as a rush's requests come
            assert sum(await asyncio.gather(*(work() for _ in range(12)))) == 12
    finally:
        await engine.dispose()
    assert opened == 3


async def test_the_connection_budget_is_checked_against_postgresql(pg_url) -> None:  # type: ignore[no-untyped-def]
    """`kezek serve` warns when its workers' pools could exceed max_connections."""
    from kezek.store.db import connection_budget

    assert await connection_budget(pg_url, 10) is None
    warning = await connection_budget(pg_url, 100_000)
    assert warning is not None and "100000" in warning and "KEZEK_DB_POOL_SIZE" in warning
    assert await connection_budget("sqlite:///var/x.db", 100_000) is None
    assert await connection_budget("postgresql://nobody@127.0.0.1:1/none", 100_000) is None
