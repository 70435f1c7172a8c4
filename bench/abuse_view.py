"""The abuse view and the suspension check at scale, on PostgreSQL (ADR 0015).

    .venv/bin/python -m bench.abuse_view [--bookings 200000] [--days 10]

Creates its own database (bench/rushdb.py, dropped at the end) and fills `bookings` with
`--bookings` rows spread over `--days` days made, with origins drawn like a network's
day (most phones book once, a few hoard; addresses in a few thousand /24s), plus one
person with missed visits; then times, as the API runs them:

- `summary.summary` for one day, by phone, address and prefix (top 20, 20 rows each);
- `suspension.refuse_if_suspended` for a person never seen, one with bookings but no
  missed visit, and one suspended, in an open session: the cost the rule adds to each
  booking (one round trip);
- `suspension.in_force`, the staff list.

The rows are written by one INSERT ... SELECT from generate_series: the read paths are
measured here, the booking path itself is bench/booking_rush.py's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text

from bench import rushdb
from bench.booking_rush import PG_ADMIN
from kezek.app import suspension
from kezek.app.abuse import rule_store, summary
from kezek.core.abuse import Grouping, NoShowRule, Suspended
from kezek.core.privacy import iin_digest
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import utcnow

KEY = b"bench-abuse-view-key"

FILL = """
INSERT INTO persons (iin_hash, iin_masked, bookings_made)
SELECT md5('p' || g), '00********00', 0 FROM generate_series(1, :people) g;
INSERT INTO bookings (code, person_id, iin_masked, service_code, center_id, center_kind,
    window_id, seat, start_utc, end_utc, local_date, status, channel, created_at,
    updated_at, origin_addr, origin_net, origin_phone, made_on)
SELECT 'B' || lpad(g::text, 10, '0'), 1 + (g % :people), '00********00', '01010001',
    :center, 'general', :window, 0,
    now() + (g || ' minutes')::interval,
    now() + (g || ' minutes')::interval + interval '15 minutes',
    current_date, CASE WHEN g % 7 = 0 THEN 'cancelled' ELSE 'served' END, 'web',
    now(), now(),
    '10.' || (g % 61) || '.' || (g % 53) || '.' || (g % 251),
    '10.' || (g % 61) || '.' || (g % 53) || '.0/24',
    substr(md5('ph' || CASE WHEN g % 50 = 0 THEN g % 40 ELSE g END), 1, 16),
    current_date - (g % :days)
FROM generate_series(1, :bookings) g;
"""


async def _timed(fn: Callable[[], Awaitable[Any]], runs: int = 7) -> float:
    """The median wall time of `fn` over `runs` runs, in milliseconds (one warm-up)."""
    await fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


async def run(url: str, center: int, bookings: int, days: int) -> dict[str, float]:
    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    out: dict[str, float] = {}
    try:
        async with engine.begin() as conn:
            window = (await conn.execute(text(
                "SELECT id FROM windows WHERE center_id = :c LIMIT 1"), {"c": center})).scalar()
            for statement in FILL.strip().split(";\n"):
                if statement.strip():
                    await conn.execute(text(statement), {
                        "people": bookings // 2, "bookings": bookings, "center": center,
                        "window": window, "days": days})
            # One person with three missed visits in the last fortnight.
            await conn.execute(text(
                "UPDATE bookings SET status = 'no_show', start_utc = now() - (id || ' days')"
                "::interval, end_utc = now() - (id || ' days')::interval + interval '15 min'"
                " WHERE person_id = 1 AND id <= 3"))
            await conn.execute(text("UPDATE persons SET iin_hash = :h WHERE id = 1"),
                               {"h": iin_digest("900101300017", KEY)})
            await conn.execute(text("ANALYZE"))
        async with unit_of_work(sm) as s:
            await rule_store.store(s, NoShowRule(count=3, days=90, suspend_days=30))
        today = dt.date.today()
        for by in Grouping:
            async def one(by: Grouping = by) -> None:
                async with sm() as s:
                    await summary.summary(s, today, by, None, top=20, detail=20)
            out[f"summary by {by.value}"] = await _timed(one)
        seen = (await _scalar(sm, "SELECT iin_hash FROM persons WHERE id = 2"))
        for label, digest in (("check, never seen", "0" * 64), ("check, no missed visit", seen),
                              ("check, suspended", iin_digest("900101300017", KEY))):
            async with sm() as s:  # as in a booking: the request's session is open
                async def check(digest: str = digest, s: Any = s) -> None:
                    with contextlib.suppress(Suspended):
                        await suspension.refuse_if_suspended(s, digest, "Asia/Almaty",
                                                             utcnow())
                out[label] = await _timed(check, runs=51)

        async def listed() -> None:
            async with sm() as s:
                await suspension.in_force(s)
        out["suspensions in force"] = await _timed(listed)
    finally:
        await engine.dispose()
    return out


async def _scalar(sm: Any, sql: str) -> str:
    async with sm() as s:
        return str((await s.execute(text(sql))).scalar())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=10)
    args = parser.parse_args(argv)
    db = rushdb.create(PG_ADMIN)
    try:
        center = rushdb.seed(db, windows=4, days=2)
        results = asyncio.run(run(db.url, center, args.bookings, args.days))
        print(f"PostgreSQL ({rushdb.server_settings(PG_ADMIN)}), {args.bookings} bookings "
              f"over {args.days} days ({args.bookings // args.days} a day)")
        for name, ms in results.items():
            print(f"  {name:28s} {ms:8.2f} ms (median)")
    finally:
        rushdb.drop(db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
