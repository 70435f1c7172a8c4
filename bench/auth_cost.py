"""What the staff dependency's own short read costs call-next (ADR 0022).

    .venv/bin/python -m bench.auth_cost [--seconds 6] [--rounds 2] [--baseline SRC]

1. In process, sequential, on PostgreSQL: the dependency's read (`StaffOnly.actor`: a
   session of its own, BEGIN, the token's user, ROLLBACK) against the same user read
   inside an already open transaction, as the handler did it before. The difference is
   what the change adds to every staff request.
2. Over HTTP: the same database and the same calls against two code trees in turn: this one
(the actor read by `api/auth.py` in a session of its own, before the request's
transaction) and a baseline tree (`--baseline`, e.g. the main branch before the change,
where the handler read the actor inside its transaction). One uvicorn worker each,
PostgreSQL and Redis on loopback; O operators (one per window) loop call-next -> start
-> finish; the call-next latency is kept. Rounds alternate the trees, so a machine busy
with other work weighs on both alike. Prints p50/p99 per tree and concurrency; writes
nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path
from types import SimpleNamespace

import httpx
from starlette.requests import Request

from bench import rushdb
from bench.booking_rush import PG_ADMIN, Server
from bench.floor import ADMIN, KEY, PASSWORD, REDIS_URL, SECRET, _operators, _prepare, pct
from kezek.api.auth import WINDOW_ROLES, StaffOnly
from kezek.api.deps import actor_of
from kezek.app.accounts import issue_token, user_named
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work

HERE = str(Path(__file__).resolve().parent.parent / "src")


async def _micro(url: str, n: int) -> tuple[list[float], list[float]]:
    """(the dependency's own read, the same read inside an open transaction), seconds."""
    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    try:
        async with unit_of_work(sm) as s:
            token, _ = await issue_token(s, await user_named(s, ADMIN), 1)
        scope = {"type": "http", "method": "POST", "path": "/api/v1/windows/1/call-next",
                 "query_string": b"", "root_path": "", "scheme": "http",
                 "server": ("127.0.0.1", 80), "app": SimpleNamespace(
                     state=SimpleNamespace(sessionmaker=sm)),
                 "headers": [(b"authorization", f"Bearer {token}".encode())]}
        request = Request(scope)
        rule = StaffOnly(*WINDOW_ROLES)
        own, inside = [], []
        for _ in range(n):
            t0 = time.perf_counter()
            await rule.actor(request)
            own.append(time.perf_counter() - t0)
            async with unit_of_work(sm) as s:
                await s.connection()  # the handler's transaction is open already
                t0 = time.perf_counter()
                await actor_of(request, s)
                inside.append(time.perf_counter() - t0)
        return own, inside
    finally:
        await engine.dispose()


def _run(tree: str, url: str, center: int, operators: int, seconds: float) -> list[float]:
    env = {"PYTHONPATH": tree, "KEZEK_DATABASE_URL": url, "KEZEK_REDIS_URL": REDIS_URL,
           "KEZEK_IIN_KEY": KEY, "KEZEK_SECRET_KEY": SECRET, "KEZEK_LOG_LEVEL": "WARNING"}
    server = Server("kezek.api.asgi:app", env, 1)
    try:
        server.wait_ready()
        token = httpx.post(f"{server.url}/api/v1/auth/token", json={
            "username": ADMIN, "password": PASSWORD}).json()["access_token"]
        windows = [w["id"] for w in httpx.get(
            f"{server.url}/api/v1/centers/{center}/windows").json()][:operators]
        run = asyncio.run(_operators(server.url, token, windows, seconds))
        return run.latencies
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.auth_cost", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=6.0, help="per tree, round and level")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--operators", type=int, nargs="+", default=[1, 4])
    p.add_argument("--micro", type=int, default=2000, help="reads in part 1")
    p.add_argument("--baseline", default=os.environ.get("KEZEK_BASELINE_SRC",
                                                        "/work/main/src"),
                   help="the src/ of the tree to compare with")
    args = p.parse_args(argv)
    trees = {"this tree": HERE, "baseline": args.baseline}
    db = rushdb.create(PG_ADMIN)
    try:
        center = rushdb.seed(db, max(args.operators), 2)
        # Enough waiting people that no operator runs out in any round.
        asyncio.run(_prepare(db.url, center, 6000))
        own, inside = asyncio.run(_micro(db.url, args.micro))
        got: dict[tuple[str, int], list[float]] = {}
        for r in range(args.rounds):
            for level in args.operators:
                for name, tree in (trees.items() if r % 2 == 0 else
                                   reversed(trees.items())):
                    got.setdefault((name, level), []).extend(
                        _run(tree, db.url, center, level, args.seconds))
    finally:
        rushdb.drop(db)
    print(f"| actor read ({args.micro} sequential) | p50 ms | p99 ms |")
    print("|---|---|---|")
    print(f"| own short read (StaffOnly.actor) | {pct(own, 50):.2f} | {pct(own, 99):.2f} |")
    print(f"| inside the open transaction (before) | {pct(inside, 50):.2f} | "
          f"{pct(inside, 99):.2f} |")
    print()
    print("| tree | operators | calls | call-next p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for (name, level), values in sorted(got.items(), key=lambda x: (x[0][1], x[0][0])):
        print(f"| {name} | {level} | {len(values)} | {pct(values, 50):.2f} | "
              f"{pct(values, 99):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
