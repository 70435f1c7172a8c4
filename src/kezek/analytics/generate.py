"""A national data set of visits, generated from the network and registry the operator has.

Volumes are allocated exactly (see calibration.py); everything inside a centre's day is
drawn from an explicit seeded generator: the service mix by sector, online shift over the
months, booked share by format, booking channel and lead time, slot times, punctuality,
no-shows, walk-ins who leave, waits that grow with the hour's load, service times from each
service's standard. The result is the flat `visits` form; `events.py` turns it into the
form the floor records (bookings, tickets, events) and back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from kezek.analytics.calibration import CentreFacts, Targets, allocate
from kezek.analytics.schema import CHANNELS, KINDS, Column
from kezek.core.registry import Delivery, Sector, Service

UTC_OFFSET_MIN = 5 * 60  # Kazakhstan has one zone, UTC+5, since March 2024.
NO_SHOW = 0.09           # share of booked people who do not come
LEFT = 0.02              # share of walk-ins who leave before being called
ONLINE_SHIFT = 0.035     # monthly drop of in-person demand for services also online
PRIVILEGED = 0.07
BOOKED_SHARE = {"general": 0.42, "specialised": 0.6}
CHANNEL_P = {"web": 0.30, "bot": 0.40, "call_centre": 0.22, "door": 0.08}
LEAD_P = np.array([0.10, 0.14, 0.13, 0.12, 0.11, 0.10, 0.09, 0.08, 0.06, 0.04, 0.03])
SECTOR_WEIGHT = {Sector.IDENTITY: 0.20, Sector.FAMILY_SOCIAL: 0.16, Sector.REAL_ESTATE: 0.14,
                 Sector.LAND: 0.07, Sector.BUSINESS: 0.08, Sector.PENSIONS: 0.08,
                 Sector.MIGRATION: 0.06, Sector.EDUCATION: 0.06, Sector.HEALTH: 0.04,
                 Sector.EMPLOYMENT: 0.05, Sector.OTHER: 0.06}
# Arrivals by hour from 09:00: a morning peak and an after-lunch one.
HOUR_PROFILE = np.array([0.13, 0.16, 0.15, 0.11, 0.08, 0.11, 0.11, 0.09, 0.06])


@dataclass(frozen=True)
class CentreInfo:
    """A centre as the generator sees it; `index` is its id in the generated data set."""

    index: int
    slug: str
    city: str
    region: str
    specialised: bool
    booking_only: bool
    windows: int
    privilege_windows: int
    weekdays_open: frozenset[int]
    latest_booking_min: int


def centres_from_document(doc: dict[str, Any]) -> list[CentreInfo]:
    """Reads the network document (the demo file or `kezek network export`)."""
    regions = {c["slug"]: c["region"] for c in doc["cities"]}
    out = []
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for i, c in enumerate(doc["centers"]):
        hh, mm = (int(x) for x in str(c.get("latest_booking") or "17:30").split(":"))
        out.append(CentreInfo(
            index=i, slug=c["slug"], city=c["city"], region=regions.get(c["city"], ""),
            specialised=c["kind"] == "specialised", booking_only=c["format"] == "booking_only",
            windows=len(c["windows"]),
            privilege_windows=sum(1 for w in c["windows"] if w.get("privilege")),
            weekdays_open=frozenset(i for i, d in enumerate(days) if c["schedule"].get(d)),
            latest_booking_min=hh * 60 + mm))
    return out


def calendar_days(start: dt.date, months: float) -> list[dt.date]:
    """Every day from `start` for so many months (whole months end on the same date)."""
    whole = int(months)
    month = start.month - 1 + whole
    end = start.replace(year=start.year + month // 12, month=month % 12 + 1, day=1)
    end += dt.timedelta(days=min(start.day - 1, 27) + round((months - whole) * 365.25 / 12))
    return [start + dt.timedelta(days=i) for i in range((end - start).days)]


@dataclass
class Generated:
    """Visit columns, one entry per booking or walk-in, plus the calibration targets."""

    columns: dict[str, npt.NDArray[Any]]
    targets: Targets
    centres: list[CentreInfo]
    services: list[Service]
    days: list[dt.date]


def generate(centres: list[CentreInfo], services: Sequence[Service], *, months: float,
             seed: int, start: dt.date, holidays: frozenset[dt.date] = frozenset(),
             scale: float = 1.0,
             progress: Callable[[int, int], None] | None = None) -> Generated:
    rng = np.random.default_rng(seed)
    days = calendar_days(start, months)
    weekdays = np.array([d.weekday() for d in days], dtype=np.int64)
    open_days = np.array([[d.weekday() in c.weekdays_open and d not in holidays for d in days]
                          for c in centres], dtype=np.bool_)
    targets = Targets.for_period(months, scale)
    facts = [CentreFacts(c.city, c.specialised, c.windows) for c in centres]
    counts = allocate(facts, open_days, weekdays, targets)
    mix = _ServiceMix(list(services))
    day_ns = np.array([np.datetime64(d, "m") for d in days], dtype="datetime64[m]")
    month_of_day = np.array([(d.year - start.year) * 12 + d.month - start.month for d in days])
    parts = []
    for n, centre in enumerate(centres):
        parts.append(_centre_visits(rng, centre, counts[n], mix, day_ns, month_of_day))
        if progress:
            progress(n + 1, len(centres))
    columns = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    columns["visit_id"] = np.arange(1, len(columns["center_id"]) + 1, dtype=np.int64)
    return Generated(columns, targets, centres, list(services), days)


class _ServiceMix:
    """Service choice weights: by sector, then a long tail inside each sector."""

    def __init__(self, services: list[Service]) -> None:
        tail = np.random.default_rng(7).permutation(len(services))  # fixed: part of the model
        weight = np.array([SECTOR_WEIGHT.get(s.sector, 0.05) / (1 + tail[i] % 9) ** 1.1
                           for i, s in enumerate(services)])
        self.vehicle = np.array([s.sector is Sector.VEHICLE for s in services])
        self.online = np.array([s.delivery is not Delivery.PAPER for s in services])
        self.only_online = np.array([s.delivery is Delivery.ONLINE for s in services])
        self.weight = weight
        self.max_wait = np.array([s.standard.max_wait_minutes for s in services], dtype=float)
        self.max_service = np.array([s.standard.max_service_minutes for s in services],
                                    dtype=float)

    def pick(self, rng: np.random.Generator, n: int, *, specialised: bool, booking_only: bool,
             month: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        if specialised:
            w = np.where(self.vehicle, self.weight, 0.0)
            return rng.choice(len(w), size=n, p=w / w.sum())
        base = np.where(self.vehicle, 0.0, self.weight)
        # Booking-only centres keep online services for privileged people only.
        online_w = np.where(self.online & ~self.vehicle, base, 0.0)
        paper_w = np.where(~self.online & ~self.vehicle, base, 0.0)
        p_online = online_w.sum() / base.sum() * (0.12 if booking_only else 1.0)
        p_online_now = p_online * (1 - ONLINE_SHIFT) ** month
        go_online = rng.random(n) < p_online_now
        out = rng.choice(len(base), size=n, p=paper_w / paper_w.sum())
        k = int(go_online.sum())
        out[go_online] = rng.choice(len(base), size=k, p=online_w / online_w.sum())
        return out


def _centre_visits(rng: np.random.Generator, c: CentreInfo, served: npt.NDArray[np.int64],
                   mix: _ServiceMix, day_ns: npt.NDArray[np.datetime64],
                   month_of_day: npt.NDArray[np.int64]) -> dict[str, npt.NDArray[Any]]:
    day_idx = np.repeat(np.arange(served.size), served)
    n = day_idx.size
    month = month_of_day[day_idx]
    svc = mix.pick(rng, n, specialised=c.specialised, booking_only=c.booking_only, month=month)
    privileged = rng.random(n) < (0.0 if c.specialised else PRIVILEGED)
    if c.booking_only:
        privileged |= mix.online[svc]
        booked = np.ones(n, dtype=bool)
    else:
        booked = rng.random(n) < BOOKED_SHARE["specialised" if c.specialised else "general"]
    # No-shows: booked people who never came, on top of the served ones.
    noshow_of = np.flatnonzero(booked)
    noshow_of = noshow_of[rng.random(noshow_of.size) < NO_SHOW / (1 - NO_SHOW)]
    left_of = np.flatnonzero(~booked)
    left_of = left_of[rng.random(left_of.size) < LEFT / (1 - LEFT)]
    src = np.concatenate([np.arange(n), noshow_of, left_of])
    outcome = np.concatenate([np.zeros(n, np.int8), np.full(noshow_of.size, 1, np.int8),
                              np.full(left_of.size, 2, np.int8)])
    day_idx, svc, privileged, booked = day_idx[src], svc[src], privileged[src], booked[src]
    m = src.size
    weekday_sat = (day_ns[day_idx].astype("datetime64[D]").view("int64") + 3) % 7 == 5
    close = np.where(weekday_sat, 13 * 60, 18 * 60)
    last_slot = np.minimum(close - 15, c.latest_booking_min if not c.specialised else 15 * 60 + 30)
    hour = rng.choice(HOUR_PROFILE.size, size=m, p=HOUR_PROFILE / HOUR_PROFILE.sum())
    minute = 9 * 60 + hour * 60 + rng.integers(0, 60, m)
    slot = np.minimum(9 * 60 + (minute - 9 * 60) // 15 * 15, last_slot // 15 * 15)
    punctual = np.clip(rng.normal(-6, 6, m), -30, 25)
    arrive = np.where(booked, slot + punctual, np.minimum(minute, close - 5))
    # Waits: short for the booked, longer for walk-ins in busy hours at busy centres.
    # A day's load relative to the centre's usual day: the same at any --scale.
    usual = served[served > 0].mean() if (served > 0).any() else 1.0
    busy = np.clip(0.8 * served[day_idx] / usual, 0.2, 1.6)
    walk_mean = 5 + 22 * busy * HOUR_PROFILE[hour] / HOUR_PROFILE.max()
    wait = np.where(booked, rng.exponential(4.0, m) + np.maximum(punctual, 0) * 0.3,
                    rng.lognormal(np.log(walk_mean) - 0.32, 0.8))
    # Whoever is inside at closing is still served, but nobody waits past closing + 1 h.
    wait = np.minimum(wait, np.maximum(close + 60 - arrive, 1.0))
    mean_svc = mix.max_service[svc] * 0.55
    service = np.clip(rng.lognormal(np.log(mean_svc) - 0.125, 0.5), 1.0, mix.max_service[svc] * 2)
    call_gap = np.minimum(rng.uniform(0.2, 1.5, m), wait)  # called after arriving
    base = day_ns[day_idx] - np.timedelta64(UTC_OFFSET_MIN, "m")
    lead = np.where(booked, rng.choice(LEAD_P.size, size=m, p=LEAD_P / LEAD_P.sum()), -1)
    channel = np.where(booked, rng.choice(4, size=m, p=list(CHANNEL_P.values())),
                       CHANNELS.index("walk_in"))
    door = booked & (channel == CHANNELS.index("door"))
    lead = np.where(door, 0, lead)

    def at(minutes: npt.NDArray[np.float64], valid: npt.NDArray[np.bool_]
           ) -> npt.NDArray[np.datetime64]:
        t = base + (minutes * 60).astype("timedelta64[s]")
        return np.where(valid, t, np.datetime64("NaT"))

    came = outcome != 1
    served_mask = outcome == 0
    windows = np.where(privileged & (c.privilege_windows > 0),
                       rng.integers(1, max(c.privilege_windows, 1) + 1, m),
                       rng.integers(1, c.windows + 1, m))
    # Booked on the day `lead` days before, at a waking hour (before the slot if the same day).
    booked_clock = np.where(lead == 0, rng.uniform(7 * 60, np.maximum(slot - 30, 7 * 60 + 1)),
                            rng.uniform(7 * 60, 23 * 60, m))
    booked_at_min = booked_clock - np.maximum(lead, 0) * 24 * 60
    return {
        Column.CENTER: np.full(m, c.index, np.int16),
        Column.SERVICE: svc.astype(np.int16),
        Column.DAY: day_ns[day_idx].astype("datetime64[D]"),
        Column.CHANNEL: channel.astype(np.int8),
        Column.KIND: np.where(booked, KINDS.index("booked"), KINDS.index("walk_in")).astype(
            np.int8),
        Column.PRIVILEGED: privileged,
        Column.LEAD_DAYS: lead.astype(np.int16),
        Column.BOOKED_AT: at(booked_at_min, booked),
        Column.SLOT_AT: at(slot.astype(float), booked),
        Column.ARRIVED_AT: at(arrive, came),
        Column.CALLED_AT: at(arrive + wait - call_gap, served_mask),
        Column.STARTED_AT: at(arrive + wait, served_mask),
        Column.FINISHED_AT: at(arrive + wait + service, served_mask),
        Column.LEFT_AT: at(arrive + wait * 0.8, outcome == 2),
        Column.WINDOW: np.where(served_mask, windows, 0).astype(np.int16),
        Column.OUTCOME: outcome,
    }

