"""The hand-over: how soon after a cancel can another client book the freed seat?

    .venv/bin/python -m bench.rerelease              # 200 hand-overs per policy
    .venv/bin/python -m bench.rerelease --trials 50

On a fresh PostgreSQL database (bench.rushdb, dropped at the end), one centre with one
window seat: a hoarder books a seat and cancels it while a buyer, already waiting,
books the same seat in a loop (each try its own transaction, as two HTTP clients would).

- With the re-release delay off (`rerelease_*_minutes: 0`, the behaviour issue 11
  measured at 7 ms) the time from the cancel's commit to the buyer's booking is timed.
- With the default policy (2-10 minutes, ADR 13) the buyer keeps trying for
  `--window` seconds after the cancel and must never win; the seat's `hold_until` minus
  the cancel time is the drawn delay; then the sweep's release at that moment (the
  clock injected) must let the buyer book at the first try.

Prints the figures; bench/RESULTS.md records them by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench import rushdb
from kezek.app import booking, network, rerelease
from kezek.app.actor import CITIZEN, SYSTEM, Channel
from kezek.app.booking import BookingRequest
from kezek.core.errors import SlotFull
from kezek.core.iin import check
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import BookingRow, utcnow

PG_ADMIN = os.environ.get("KEZEK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
KEY = b"rerelease-bench-iin-key-0123456789"
SERVICE = "01010001"


def iins(count: int) -> list[str]:
    """Valid IINs, distinct: people born in January 1990, serials counting up."""
    out: list[str] = []
    for day in range(1, 29):
        for serial in range(1, 10_000):
            body = f"9001{day:02d}3{serial:04d}"
            valid = [body + d for d in "0123456789" if check(body + d).valid]
            out += valid[:1]
            if len(out) == count:
                return out
    raise ValueError("too many people asked")


async def _book(sm, iin: str, cid: int, start: dt.datetime) -> BookingRow | None:  # type: ignore[no-untyped-def]
    try:
        async with unit_of_work(sm) as s:
            return await booking.book(s, BookingRequest(iin, SERVICE, cid, start, Channel.WEB),
                                      KEY, CITIZEN)
    except SlotFull:
        return None


async def run(url: str, cid: int, trials: int, window: float) -> None:
    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    people = iter(iins(4 * trials + 10))
    zone = ZoneInfo(rushdb.TZ)
    day = dt.datetime.now(zone).date() + dt.timedelta(days=1)
    starts = [dt.datetime.combine(day, dt.time(9), zone) + dt.timedelta(minutes=15 * i)
              for i in range(36)]
    try:
        for round_, policy in enumerate(("off", "default")):
            values = ({"rerelease_min_minutes": 0, "rerelease_max_minutes": 0}
                      if policy == "off" else {})
            async with unit_of_work(sm) as s:
                await network.set_network_policy(s, values, SYSTEM, Channel.CLI)
            handover: list[float] = []
            delays: list[float] = []
            stolen = tries = 0
            for trial in range(trials):
                start = starts[trial % len(starts)] + dt.timedelta(
                    days=trial // len(starts) + 14 * round_)
                hoarder, buyer = next(people), next(people)
                row = await _book(sm, hoarder, cid, start)
                assert row is not None
                async with unit_of_work(sm) as s:
                    await booking.cancel(s, row.code, hoarder, KEY, CITIZEN, Channel.WEB)
                cancelled, cancelled_utc = time.perf_counter(), utcnow()
                got = None
                while got is None and time.perf_counter() - cancelled < window:
                    tries += 1
                    got = await _book(sm, buyer, cid, start)
                if policy == "off":
                    assert got is not None
                    handover.append((time.perf_counter() - cancelled) * 1000)
                    continue
                stolen += got is not None
                async with sm() as s:
                    until = await s.scalar(select(BookingRow.hold_until).where(
                        BookingRow.start_utc == start.astimezone(dt.UTC),
                        BookingRow.status == "held"))
                assert until is not None
                delays.append((until - cancelled_utc).total_seconds())
                async with unit_of_work(sm) as s:
                    await rerelease.release_due(s, until)
                assert await _book(sm, buyer, cid, start) is not None
            if policy == "off":
                print(f"delay off: cancel -> booked by another client, {trials} hand-overs: "
                      f"median {statistics.median(handover):.1f} ms, "
                      f"p95 {sorted(handover)[int(0.95 * len(handover)) - 1]:.1f} ms")
            else:
                print(f"default (2-10 min): {stolen} of {trials} seats taken within "
                      f"{window:.0f} s of the cancel ({tries} tries); drawn delay min "
                      f"{min(delays):.0f} s, median {statistics.median(delays):.0f} s, "
                      f"max {max(delays):.0f} s; after the sweep's release, booked at the "
                      f"first try {trials} of {trials}")
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200, help="at most 36 * 14")
    parser.add_argument("--window", type=float, default=2.0,
                        help="seconds the buyer keeps trying after each cancel")
    args = parser.parse_args()
    db = rushdb.create(PG_ADMIN)
    try:
        cid = rushdb.seed(db, windows=1, days=30)
        asyncio.run(run(db.url, cid, args.trials, args.window))
    finally:
        rushdb.drop(db)


if __name__ == "__main__":
    main()
