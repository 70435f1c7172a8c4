"""Migrations build exactly the schema the models describe, on both databases, and undo."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from kezek.app import booking
from kezek.app.actor import CITIZEN, Channel
from kezek.app.booking import BookingRequest
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.migrate import alembic_config
from kezek.store.models import Base, BookingRow, CenterRow, UserRow
from tests.conftest import (
    IIN_KEY,
    empty_pg_db,
    next_weekday,
    random_iin,
    seed,
)

TZ = ZoneInfo("Asia/Almaty")


async def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    finally:
        await engine.dispose()


def test_models_match_migrations(db_url: str) -> None:
    diff = asyncio.run(_diff(db_url))
    assert diff == [], diff


def test_downgrade_and_upgrade_again(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    cfg = alembic_config(url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")
    assert asyncio.run(_diff(url)) == []


@pytest.fixture(params=["sqlite", "pg"])
def fresh_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A database of this test's own, so it may go down and up again."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    with empty_pg_db() as url:
        yield url


def test_0007_gives_existing_bookings_a_one_slot_block(fresh_url: str) -> None:
    """Bookings made before blocks existed get end = start + their centre's slot, and
    the overlap referee is in place after the upgrade."""
    cfg = alembic_config(fresh_url)
    command.upgrade(cfg, "head")

    async def seed_and_book() -> list[tuple[str, dt.datetime]]:
        engine = make_engine(fresh_url)
        sm = make_sessionmaker(engine)
        try:
            await seed(sm)
            async with sm() as s:
                cid = await s.scalar(select(CenterRow.id).where(CenterRow.slug == "mixed"))
            day = next_weekday()
            out = []
            for hour in (10, 11):
                async with unit_of_work(sm) as s:
                    row = await booking.book(s, BookingRequest(
                        random_iin(), "01010001", cid,
                        dt.datetime.combine(day, dt.time(hour), TZ), Channel.WEB),
                        IIN_KEY, CITIZEN)
                out.append((row.code, row.start_utc))
            return out
        finally:
            await engine.dispose()

    async def ends() -> dict[str, dt.datetime]:
        engine = make_engine(fresh_url)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(select(BookingRow.code, BookingRow.end_utc))
                return dict(rows.all())
        finally:
            await engine.dispose()

    booked = asyncio.run(seed_and_book())
    command.downgrade(cfg, "0006")
    command.upgrade(cfg, "head")
    assert asyncio.run(ends()) == {code: start + dt.timedelta(minutes=15)
                                   for code, start in booked}
    assert asyncio.run(_diff(fresh_url)) == []


def test_0008_keeps_users_and_gives_them_safe_defaults(fresh_url: str) -> None:
    """Users made before 0008 keep their account and get version 0, no failures, no
    second factor and no forced change; downgrading drops only the new columns."""
    cfg = alembic_config(fresh_url)
    command.upgrade(cfg, "0007")

    async def add_old_user() -> None:
        engine = make_engine(fresh_url)
        try:
            async with engine.begin() as conn:
                await conn.execute(text(
                    "INSERT INTO users (username, full_name, password_hash, role, centers,"
                    " active, created_at) VALUES ('old.admin', '', 'x', 'admin', '[]',"
                    " true, '2024-01-01 00:00:00')"))
        finally:
            await engine.dispose()

    async def users() -> list[tuple[object, ...]]:
        engine = make_engine(fresh_url)
        try:
            async with engine.connect() as conn:
                return [tuple(r) for r in (await conn.execute(select(
                    UserRow.username, UserRow.session_version, UserRow.failed_logins,
                    UserRow.locked_until, UserRow.must_change_password,
                    UserRow.totp_secret))).all()]
        finally:
            await engine.dispose()

    asyncio.run(add_old_user())
    command.upgrade(cfg, "0008")
    assert asyncio.run(users()) == [("old.admin", 0, 0, None, False, None)]
    command.upgrade(cfg, "head")  # 0009 (identity) and later: the schema is the models'
    assert asyncio.run(_diff(fresh_url)) == []
    command.downgrade(cfg, "0008")  # 0009 goes down and up again cleanly
    command.upgrade(cfg, "head")
    assert asyncio.run(_diff(fresh_url)) == []
    command.downgrade(cfg, "0007")
    command.upgrade(cfg, "head")
    assert asyncio.run(users()) == [("old.admin", 0, 0, None, False, None)]
