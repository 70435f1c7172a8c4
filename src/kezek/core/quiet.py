"""Quiet hours: the night, when a waitlist offer neither wakes anyone nor runs out.

A seat freed at 00:12 used to be held for fifteen minutes and passed on while the
person slept: at night nobody can accept an offer, so each one lapsed in turn and the
seat went back to the public by morning. Within quiet hours (in the centre's own time)
an offer is still made, so the seat stays the waitlist's, but its message waits for the
morning and its hold counts only the minutes outside them: an offer made at 00:12 with a
fifteen-minute hold is announced at 08:00 and held until 08:15.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_SPAN = re.compile(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)\s*")


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly span of wall-clock time, e.g. 22:00-08:00 (it may cross midnight)."""

    start: dt.time
    end: dt.time

    def covers(self, local: dt.datetime) -> bool:
        t = local.time().replace(tzinfo=None)
        if self.start <= self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end

    def ends_after(self, local: dt.datetime) -> dt.datetime:
        """The end of the quiet span that `local` lies in (the same or the next day)."""
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0,
                            microsecond=0)
        return end if end > local else end + dt.timedelta(days=1)

    def starts_after(self, local: dt.datetime) -> dt.datetime:
        """The next start of quiet hours after `local`."""
        start = local.replace(hour=self.start.hour, minute=self.start.minute, second=0,
                              microsecond=0)
        return start if start > local else start + dt.timedelta(days=1)


def parse_quiet(text: str | None) -> QuietHours | None:
    """`HH:MM-HH:MM`, or nothing (empty) for no quiet hours; anything else is refused."""
    if text is None or not text.strip():
        return None
    m = _SPAN.fullmatch(text)
    if m is None:
        raise ValueError(f"quiet hours must look like 22:00-08:00, not {text!r}")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if (h1, m1) == (h2, m2):
        raise ValueError("quiet hours must not start and end at the same time")
    return QuietHours(dt.time(h1, m1), dt.time(h2, m2))


def is_quiet(quiet: QuietHours | None, now: dt.datetime, zone: str) -> bool:
    return quiet is not None and quiet.covers(now.astimezone(ZoneInfo(zone)))


def hold_end(now: dt.datetime, minutes: int, zone: str, quiet: QuietHours | None
             ) -> dt.datetime:
    """When a hold of `minutes` made at `now` ends, counting no minute of quiet hours.

    Returned in UTC. The walk is in the centre's wall-clock time: Kazakhstan keeps no
    daylight saving, and a span of quiet hours is a span on the clock on the wall.
    """
    t = now.astimezone(ZoneInfo(zone))
    left = dt.timedelta(minutes=minutes)
    if quiet is None:
        return (t + left).astimezone(dt.UTC)
    while left > dt.timedelta(0):
        if quiet.covers(t):
            t = quiet.ends_after(t)
            continue
        step = min(left, quiet.starts_after(t) - t)
        t += step
        left -= step
    return t.astimezone(dt.UTC)
