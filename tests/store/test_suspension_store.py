"""Which past bookings count as missed visits, on SQLite and PostgreSQL: `no_show` (the
floor's mark) and `expired` do, a cancelled or served one does not."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kezek.app import suspension
from kezek.app.abuse import rule_store
from kezek.core import iin as iin_rules
from kezek.core.abuse import Suspended
from kezek.core.privacy import iin_digest
from kezek.store.db import unit_of_work
from kezek.store.models import BookingRow, CenterRow
from tests.abuse_support import RULE, miss_visits
from tests.conftest import IIN_KEY, random_iin


async def _centre(sm: async_sessionmaker[AsyncSession]) -> int:
    async with sm() as s:
        cid = await s.scalar(select(CenterRow.id).where(CenterRow.slug == "mixed"))
    assert cid is not None
    return int(cid)


async def _mark(sm: async_sessionmaker[AsyncSession], iin: str, status: str) -> None:
    """The person's latest missed visit, as the floor or a cancel would have left it."""
    async with unit_of_work(sm) as s:
        latest = await s.scalar(select(BookingRow.id).where(
            BookingRow.iin_masked == iin_rules.mask(iin))
            .order_by(BookingRow.start_utc.desc()).limit(1))
        await s.execute(update(BookingRow).where(BookingRow.id == latest)
                        .values(status=status))


@pytest.mark.parametrize("status,suspends", [("no_show", True), ("expired", True),
                                             ("cancelled", False), ("served", False)])
async def test_what_counts_as_missed(sm: async_sessionmaker[AsyncSession], db_url: str,
                                     status: str, suspends: bool) -> None:
    centre = await _centre(sm)
    iin = random_iin()
    await miss_visits(db_url, iin, centre, IIN_KEY, [45, 30, 15])
    await _mark(sm, iin, status)
    async with unit_of_work(sm) as s:
        await rule_store.store(s, RULE)
    async with sm() as s:
        if suspends:
            with pytest.raises(Suspended):
                await suspension.refuse_if_suspended(s, iin_digest(iin, IIN_KEY),
                                                     "Asia/Almaty")
        else:
            await suspension.refuse_if_suspended(s, iin_digest(iin, IIN_KEY), "Asia/Almaty")
