"""Migration 0011 (privilege claims) goes down and up on SQLite and PostgreSQL, and a
privileged booking made before it gets its claim kept and `claimed` (the door checks it)."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from alembic import command
from sqlalchemy import select, text

from kezek.app import booking
from kezek.app.actor import CITIZEN, Channel
from kezek.app.booking import BookingRequest
from kezek.core.policy import Privilege
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.migrate import alembic_config
from kezek.store.models import CenterRow
from tests.conftest import IIN_KEY, next_weekday, random_iin, seed
from tests.store.test_migrations import _diff, fresh_url  # noqa: F401  (the fixture)

TZ = ZoneInfo("Asia/Almaty")


def test_0011_keeps_old_claims_for_the_door(fresh_url: str) -> None:  # noqa: F811
    cfg = alembic_config(fresh_url)
    command.upgrade(cfg, "head")

    async def book_two() -> list[str]:
        engine = make_engine(fresh_url)
        sm = make_sessionmaker(engine)
        try:
            await seed(sm)
            async with sm() as s:
                cid = await s.scalar(select(CenterRow.id).where(CenterRow.slug == "mixed"))
            codes = []
            for hour, claim in ((10, Privilege.PENSIONER), (11, None)):
                async with unit_of_work(sm) as s:
                    row = await booking.book(s, BookingRequest(
                        random_iin(), "01010001", cid,
                        dt.datetime.combine(next_weekday(), dt.time(hour), TZ), Channel.WEB,
                        claim), IIN_KEY, CITIZEN)
                codes.append(row.code)
            return codes
        finally:
            await engine.dispose()

    async def claims() -> list[tuple[str, str | None, str | None]]:
        engine = make_engine(fresh_url)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(text(
                    "SELECT code, privilege_claim, privilege_status FROM bookings ORDER BY id"))
                return [(c, p, s) for c, p, s in rows.all()]
        finally:
            await engine.dispose()

    claimed, plain = asyncio.run(book_two())
    command.downgrade(cfg, "0009")  # 0011 goes down: the columns are gone
    command.upgrade(cfg, "head")
    assert asyncio.run(claims()) == [(claimed, "pensioner", "claimed"), (plain, None, None)]
    assert asyncio.run(_diff(fresh_url)) == []
