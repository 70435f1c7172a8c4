"""Helpers of the abuse tests: a person's missed visits made through Kezek's own paths.

A missed visit is a booking made in the past (`booking.book` with `now` set to a day
before it) that nobody came to, closed by the same `expire_past` the daily job runs.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from kezek.app import booking
from kezek.app.abuse import rule_store
from kezek.app.actor import CITIZEN, Channel
from kezek.core.abuse import NoShowRule
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import utcnow

TZ = ZoneInfo("Asia/Almaty")
RULE = NoShowRule(count=3, days=60, suspend_days=30)


def weekday_ago(days: int) -> dt.date:
    day = (utcnow() - dt.timedelta(days=days)).astimezone(TZ).date()
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


async def miss_visits(url: str, iin: str, center_id: int, key: bytes,
                      days_ago: list[int], service: str = "01010001") -> list[dt.datetime]:
    """Books the person at 10:00 on weekdays that many days ago, each the day before,
    then lets the day's job expire them; returns the visits' starts (UTC)."""
    engine = make_engine(url)
    starts = []
    try:
        sm = make_sessionmaker(engine)
        for ago in days_ago:
            start = dt.datetime.combine(weekday_ago(ago), dt.time(10), TZ)
            async with unit_of_work(sm) as s:
                row = await booking.book(s, booking.BookingRequest(
                    iin=iin, service=service, center=center_id, start=start,
                    channel=Channel.WEB), key, CITIZEN, now=start - dt.timedelta(days=1))
                starts.append(row.start_utc)
        async with unit_of_work(sm) as s:
            await booking.expire_past(s, utcnow())
    finally:
        await engine.dispose()
    return starts


async def set_rule(url: str, rule: NoShowRule | None = RULE) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await rule_store.store(s, rule)
    finally:
        await engine.dispose()


def until_text(last_start: dt.datetime, rule: NoShowRule = RULE) -> str:
    return f"{(last_start + dt.timedelta(days=rule.suspend_days)).astimezone(TZ):%d.%m.%Y}"
