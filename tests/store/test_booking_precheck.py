"""The quota read before confirming (`booking.precheck`, issue 13): it refuses exactly
what booking would refuse for the quota, and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from kezek.app import booking
from kezek.app.actor import Channel
from kezek.app.booking import BookingRequest
from kezek.core.errors import AlreadyBooked, QuotaExceeded
from kezek.store.models import BookingRow, PersonRow
from tests.conftest import IIN_KEY, next_weekday, random_iin
from tests.store.test_booking import at, book, center_id


async def _precheck(sm, iin: str, centre: int, start: dt.datetime,
                    service: str = "01010001") -> None:
    async with sm() as s:
        await booking.precheck(s, BookingRequest(iin, service, centre, start, Channel.BOT),
                               IIN_KEY)


async def _count(sm, model) -> int:
    async with sm() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_precheck_refuses_what_booking_refuses_for_the_quota(sm) -> None:
    cid = await center_id(sm, "mixed")
    day = next_weekday()
    iin = random_iin()
    await _precheck(sm, iin, cid, at(day, 10))  # never seen: nothing to refuse
    assert await _count(sm, PersonRow) == 0  # and nobody was recorded
    await book(sm, iin, cid, at(day, 10))
    with pytest.raises(AlreadyBooked):
        await _precheck(sm, iin, cid, at(day, 11))
    with pytest.raises(QuotaExceeded):  # one booking per 10 days, another service
        await _precheck(sm, iin, cid, at(day, 11), service="05010001")
    await _precheck(sm, iin, cid, at(day + dt.timedelta(days=11), 11), service="05010001")
    assert await _count(sm, BookingRow) == 1
