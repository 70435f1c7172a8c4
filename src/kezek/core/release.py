"""Fair release: when the newest day of a centre's horizon opens, its ballot, and how
long a cancelled seat stays held back before it returns to the public (ADR 13).

Pure rules on the booking policy's release fields. A day D opens at the policy's
`release_time` (local time of the centre) on the day `horizon_days` before D; until
then it is not bookable on any channel. With `ballot_minutes` N > 0 the first N
minutes after the opening collect ballot requests instead of bookings; after them the
draw assigns seats and the rest is first come, first served.
"""

from __future__ import annotations

import datetime as dt
import random
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from kezek.core.errors import KezekError, ValidationFailed
from kezek.core.network import Center

MAX_BALLOT_MINUTES = 240  # a ballot longer than the morning helps nobody
MAX_RERELEASE_MINUTES = 120


class ReleaseTerms(Protocol):
    """The release fields of a centre's booking policy, all these rules read.

    `kezek.core.policy.BookingPolicy` has them and validates itself with
    `validate_release`; naming only these fields here keeps release from importing
    policy back (no import cycle), and says what a release rule may depend on.
    """

    @property
    def release_time(self) -> str | None: ...

    @property
    def ballot_minutes(self) -> int: ...

    @property
    def rerelease_min_minutes(self) -> int: ...

    @property
    def rerelease_max_minutes(self) -> int: ...


class Phase(StrEnum):
    CLOSED = "closed"  # not released yet
    BALLOT = "ballot"  # released into its ballot: requests, no bookings
    OPEN = "open"  # first come, first served (after the draw, where there is one)


class NotReleased(KezekError):
    """The day is not open yet; `at` says when it opens (local time of the centre)."""

    code = "not_released"
    status = 409


class BallotOpen(KezekError):
    """The day is in its ballot: requests are collected, seats are drawn at `at`."""

    code = "ballot_open"
    status = 409


def release_clock(policy: ReleaseTerms) -> dt.time:
    return _parse(policy.release_time) if policy.release_time else dt.time(0, 0)


def opens_at(center: Center, policy: ReleaseTerms, day: dt.date) -> dt.datetime:
    """When `day` becomes visible and bookable, in UTC."""
    release_day = day - dt.timedelta(days=center.horizon_days)
    local = dt.datetime.combine(release_day, release_clock(policy), ZoneInfo(center.timezone))
    return local.astimezone(dt.UTC)


def ballot_closes(center: Center, policy: ReleaseTerms, day: dt.date) -> dt.datetime | None:
    """The end of the day's ballot window (UTC), or None without a ballot."""
    if policy.ballot_minutes <= 0:
        return None
    return opens_at(center, policy, day) + dt.timedelta(minutes=policy.ballot_minutes)


def phase(center: Center, policy: ReleaseTerms, day: dt.date, now: dt.datetime) -> Phase:
    if now < opens_at(center, policy, day):
        return Phase.CLOSED
    closes = ballot_closes(center, policy, day)
    if closes is not None and now < closes:
        return Phase.BALLOT
    return Phase.OPEN


def local_text(moment: dt.datetime, zone: str) -> str:
    """A time as people read it at the centre: 02.12.2026 08:00."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M")


def check_open(center: Center, policy: ReleaseTerms, day: dt.date, now: dt.datetime
               ) -> None:
    """Raises NotReleased or BallotOpen unless `day` is open first come, first served."""
    found = phase(center, policy, day, now)
    if found is Phase.CLOSED:
        at = opens_at(center, policy, day)
        raise NotReleased(opens=at.isoformat(), at=local_text(at, center.timezone))
    if found is Phase.BALLOT:
        closes = ballot_closes(center, policy, day)
        assert closes is not None
        raise BallotOpen(closes=closes.isoformat(), at=local_text(closes, center.timezone))


def newest_day(center: Center, today: dt.date) -> dt.date:
    return today + dt.timedelta(days=center.horizon_days)


def next_opening(center: Center, policy: ReleaseTerms, now: dt.datetime
                 ) -> dt.datetime | None:
    """When the newest day of the horizon opens, if that is still ahead (UTC)."""
    today = now.astimezone(ZoneInfo(center.timezone)).date()
    at = opens_at(center, policy, newest_day(center, today))
    return at if at > now else None


def next_opening_iso(zone: str, policy: ReleaseTerms, now: dt.datetime) -> str | None:
    """`next_opening` from a centre's zone alone (the newest day always opens today),
    as local ISO 8601."""
    today = now.astimezone(ZoneInfo(zone)).date()
    local = dt.datetime.combine(today, release_clock(policy), ZoneInfo(zone))
    return local.isoformat() if local > now else None


def rerelease_delay(policy: ReleaseTerms, rng: random.Random) -> dt.timedelta:
    """How long a freed seat stays held back: uniform over the policy's range, to the
    second, from a random source the caller gives (the OS's CSPRNG in service)."""
    low, high = policy.rerelease_min_minutes * 60, policy.rerelease_max_minutes * 60
    return dt.timedelta(seconds=rng.randint(low, high) if high > 0 else 0)


def validate_release(policy: ReleaseTerms) -> None:
    if policy.release_time is not None:
        if not isinstance(policy.release_time, str):
            raise ValidationFailed(detail="release_time: HH:MM or null")
        _parse(policy.release_time)
    if not 0 <= policy.ballot_minutes <= MAX_BALLOT_MINUTES:
        raise ValidationFailed(detail=f"ballot_minutes: 0 to {MAX_BALLOT_MINUTES}")
    low, high = policy.rerelease_min_minutes, policy.rerelease_max_minutes
    if not 0 <= low <= high <= MAX_RERELEASE_MINUTES:
        raise ValidationFailed(detail="rerelease minutes: 0 <= min <= max <= "
                                      f"{MAX_RERELEASE_MINUTES}")


def _parse(text: str) -> dt.time:
    hh, sep, mm = text.strip().partition(":")
    if not sep or not (hh.isdigit() and mm.isdigit()) or len(mm) != 2:
        raise ValidationFailed(detail="release_time: HH:MM")
    hours, minutes = int(hh), int(mm)
    if hours > 23 or minutes > 59:
        raise ValidationFailed(detail="release_time: HH:MM")
    return dt.time(hours, minutes)
