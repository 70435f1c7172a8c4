"""Opening hours: a weekly pattern, dated exceptions and national holidays.

A day's hours come from the first rule that speaks about that date: the centre's own
exception, then a national holiday (closed), then the weekly pattern.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Hours:
    opens: dt.time
    closes: dt.time

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ValueError("a day must close after it opens")


@dataclass(frozen=True, slots=True)
class WeeklySchedule:
    """Hours for each weekday (Monday first); None means closed."""

    days: tuple[Hours | None, ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("a week has seven days")

    @classmethod
    def standard(cls) -> WeeklySchedule:
        """Mon-Fri 9:00-18:00, the usual centre."""
        h = Hours(dt.time(9), dt.time(18))
        return cls((h, h, h, h, h, None, None))

    @classmethod
    def duty(cls) -> WeeklySchedule:
        """A duty centre: Mon-Fri 9:00-20:00 and Saturday 9:00-13:00."""
        h = Hours(dt.time(9), dt.time(20))
        return cls((h, h, h, h, h, Hours(dt.time(9), dt.time(13)), None))

    def to_dict(self) -> dict[str, list[str] | None]:
        return {
            name: None if h is None else [h.opens.strftime("%H:%M"), h.closes.strftime("%H:%M")]
            for name, h in zip(WEEKDAYS, self.days, strict=True)
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> WeeklySchedule:
        days: list[Hours | None] = []
        for name in WEEKDAYS:
            value = data.get(name)
            if value is None:
                days.append(None)
                continue
            if not isinstance(value, list | tuple) or len(value) != 2:
                raise ValueError(f"{name}: expected [opens, closes]")
            days.append(Hours(parse_time(str(value[0])), parse_time(str(value[1]))))
        return cls(tuple(days))


@dataclass(frozen=True, slots=True)
class DayException:
    """A dated change to one centre's hours: closed (hours None) or different hours."""

    date: dt.date
    hours: Hours | None
    note: str = ""


def parse_time(text: str) -> dt.time:
    hh, mm = text.strip().split(":")
    return dt.time(int(hh), int(mm))


def hours_on(
    day: dt.date,
    weekly: WeeklySchedule,
    exceptions: Mapping[dt.date, DayException],
    holidays: frozenset[dt.date],
) -> Hours | None:
    """The hours a centre keeps on a date, or None when it is closed."""
    exception = exceptions.get(day)
    if exception is not None:
        return exception.hours
    if day in holidays:
        return None
    return weekly.days[day.weekday()]
