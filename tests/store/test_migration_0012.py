"""Migration 0012 (booking origins, suspension lifts) goes down to 0009 and up again on
both databases, keeping the bookings and the seat-block referee of 0007."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from kezek.app import booking
from kezek.app.actor import CITIZEN, Channel
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.migrate import alembic_config
from kezek.store.models import BookingRow, CenterRow
from tests.conftest import IIN_KEY, empty_pg_db, next_weekday, random_iin, seed
from tests.store.test_migrations import _diff

TZ = ZoneInfo("Asia/Almaty")


@pytest.fixture(params=["sqlite", "pg"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    with empty_pg_db() as url:
        yield url


async def _book(url: str) -> str:
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        await seed(sm)
        async with sm() as s:
            cid = await s.scalar(select(CenterRow.id).where(CenterRow.slug == "mixed"))
        assert cid is not None
        async with unit_of_work(sm) as s:
            row = await booking.book(s, booking.BookingRequest(
                random_iin(), "01010001", cid,
                dt.datetime.combine(next_weekday(), dt.time(10), TZ), Channel.WEB,
                origin={"addr": "10.1.1.5", "phone": "0123456789abcdef"}), IIN_KEY, CITIZEN)
        return row.code
    finally:
        await engine.dispose()


async def _referee_and_codes(url: str) -> tuple[int, list[str]]:
    """How many of 0007's overlap referees exist, and the booking codes."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                n = await conn.scalar(text("SELECT count(*) FROM pg_constraint"
                                           " WHERE conname = 'ex_bookings_seat_block'"))
            else:
                n = await conn.scalar(text("SELECT count(*) FROM sqlite_master WHERE"
                                           " type = 'trigger' AND name LIKE"
                                           " 'trg_bookings_seat_block%'"))
            codes = list((await conn.scalars(text("SELECT code FROM bookings"))).all())
            return int(n or 0), codes
    finally:
        await engine.dispose()


async def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda c: {col["name"] for col in inspect(c).get_columns("bookings")})
    finally:
        await engine.dispose()


def test_0012_down_to_0009_and_up_keeps_bookings_and_the_referee(fresh_url: str) -> None:
    cfg = alembic_config(fresh_url)
    command.upgrade(cfg, "head")
    code = asyncio.run(_book(fresh_url))
    referees, _ = asyncio.run(_referee_and_codes(fresh_url))
    command.downgrade(cfg, "0009")
    assert "origin_addr" not in asyncio.run(_columns(fresh_url))
    assert asyncio.run(_referee_and_codes(fresh_url)) == (referees, [code])
    command.upgrade(cfg, "head")
    assert {"origin_addr", "origin_net", "origin_phone", "made_on"} <= asyncio.run(
        _columns(fresh_url))
    assert asyncio.run(_referee_and_codes(fresh_url)) == (referees, [code])
    assert referees >= 1
    assert asyncio.run(_diff(fresh_url)) == []


def test_origin_columns_of_a_new_booking(fresh_url: str) -> None:
    command.upgrade(alembic_config(fresh_url), "head")
    code = asyncio.run(_book(fresh_url))

    async def origin() -> tuple[object, ...]:
        engine = make_engine(fresh_url)
        try:
            async with engine.connect() as conn:
                row = (await conn.execute(select(
                    BookingRow.origin_addr, BookingRow.origin_net, BookingRow.origin_phone,
                    BookingRow.made_on).where(BookingRow.code == code))).one()
                return tuple(row)
        finally:
            await engine.dispose()

    addr, net, phone, made_on = asyncio.run(origin())
    assert (addr, net, phone) == ("10.1.1.5", "10.1.1.0/24", "0123456789abcdef")
    assert made_on == dt.datetime.now(TZ).date()
