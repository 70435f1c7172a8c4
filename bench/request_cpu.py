"""CPU per request in process: where the booking rush's server time goes, without noise.

    .venv/bin/python -m bench.request_cpu                 # the table of CPU ms per request
    .venv/bin/python -m bench.request_cpu --profile book  # cProfile of the booking requests

The rush (bench/booking_rush.py) is CPU-bound on this machine: servers, PostgreSQL and
the load generator share two cores, so what a request costs in the API worker decides
the rate. Measured under load that figure is noisy (another engineer shares the
machine); measured here it is not: a bench database is created and seeded as for the
rush, the app runs in this process, and httpx's ASGI transport sends N sequential
requests of each kind. `time.process_time` counts this process only (client included,
PostgreSQL excluded), so the differences between rows are what the server adds.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import random
import signal
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from bench import rushdb
from bench.booking_rush import BENCH_IIN_KEY, PG_ADMIN
from bench.loadgen import IinSource, MixedIins
from bench.reference_app import KEY as REFERENCE_KEY

Request = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


class _Body(BaseModel):
    iin: str
    service: str
    center: int
    start: str


def bare_app() -> FastAPI:
    """FastAPI's floor: one POST route with a JSON body and a JSON answer."""
    app = FastAPI()

    @app.post("/api/v1/bookings", status_code=201)
    async def book(body: _Body) -> dict[str, str]:
        return {"code": "ABCDEFGH", "service": body.service}

    return app


class Sampler:
    """A CPU sampling profiler: the stack every `interval` s of this process's CPU time.

    cProfile's per-call overhead triples a request's time and inflates whatever makes
    many small calls; sampling on SIGPROF does not change what it measures.
    """

    def __init__(self, interval: float = 0.0005) -> None:
        self.interval = interval
        self.inclusive: Counter[str] = Counter()
        self.exclusive: Counter[str] = Counter()
        self.samples = 0
        self.stacks: Counter[tuple[str, ...]] = Counter()

    def _on_signal(self, _sig: int, frame: object) -> None:
        self.samples += 1
        seen = set()
        f = frame
        first = True
        stack = []
        while f is not None:
            code = f.f_code  # type: ignore[attr-defined]
            key = f"{code.co_filename.split('site-packages/')[-1]}:{code.co_name}"
            stack.append(key)
            if first:
                self.exclusive[key] += 1
                first = False
            if key not in seen:
                seen.add(key)
                self.inclusive[key] += 1
            f = f.f_back  # type: ignore[attr-defined]
        self.stacks[tuple(reversed(stack))] += 1

    def __enter__(self) -> Sampler:
        signal.signal(signal.SIGPROF, self._on_signal)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *_: object) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)

    def report(self, cpu_seconds: float, per: int, top: int = 60) -> None:
        """Samples scaled to the CPU time measured (the kernel's timer is coarser than
        asked: a sample per tick), per request."""
        ms = cpu_seconds * 1000 / max(1, self.samples) / per
        print(f"{self.samples} samples; ms per request (inclusive / exclusive)")
        for key, n in self.inclusive.most_common(top):
            print(f"{n * ms:7.3f} {self.exclusive[key] * ms:7.3f}  {key}")
        print("exclusive:")
        for key, n in self.exclusive.most_common(top // 2):
            print(f"{n * ms:7.3f}  {key}")
        root = os.environ.get("BENCH_TREE")
        if root:
            self.tree(root, ms, float(os.environ.get("BENCH_TREE_MIN", "0.01")))

    def tree(self, root: str, ms: float, floor: float) -> None:
        """Inclusive ms per request below the first frame whose name holds `root`."""
        paths: Counter[tuple[str, ...]] = Counter()
        for stack, n in self.stacks.items():
            at = next((i for i, k in enumerate(stack) if root in k), None)
            if at is not None:
                rest = stack[at:]
                for depth in range(1, len(rest) + 1):
                    paths[rest[:depth]] += n

        def show(prefix: tuple[str, ...]) -> None:
            kids = [(p, n) for p, n in paths.items() if len(p) == len(prefix) + 1
                    and p[:len(prefix)] == prefix and n * ms >= floor]
            for p, n in sorted(kids, key=lambda x: -x[1]):
                print(f"{'  ' * len(prefix)}{n * ms:.3f} {p[-1]}")
                show(p)

        show(())


def _callgrind() -> object | None:
    """Start/stop marks for counting instructions of the measured loop only.

    CPU time on a shared machine varies by tens of percent from run to run; the
    instructions executed do not. With BENCH_CALLGRIND_LIB naming a shared library whose
    start() and stop() issue callgrind's client requests (CALLGRIND_START_INSTRUMENTATION
    and TOGGLE_COLLECT, then DUMP_STATS and STOP_INSTRUMENTATION), run this under
    `valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no` with --template
    and --only: the dump is the measured requests' instruction count (Ir), and two
    versions of the code compare to within a fraction of a percent.
    """
    lib = os.environ.get("BENCH_CALLGRIND_LIB")
    if not lib:
        return None
    import ctypes

    return ctypes.CDLL(lib)


def _proc_cpu(pid: int) -> float:
    """User+system CPU seconds of one process (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _backends(url: str) -> dict[int, float]:
    """CPU so far of the PostgreSQL backends serving the bench database (same machine)."""
    import asyncpg

    conn = await asyncpg.connect(rushdb.asyncpg_dsn(PG_ADMIN))
    try:
        pids = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1",
                                url.rsplit("/", 1)[1])
    finally:
        await conn.close()
    return {r["pid"]: _proc_cpu(r["pid"]) for r in pids}


PG_CPU: dict[str, float] = {}
STATEMENTS: Counter[str] | None = None


async def _measure(app: object, requests: dict[str, tuple[Request, int]], n: int,
                   profile: str | None, sample: str | None) -> dict[str, float]:
    # httpx asks for sniffio (not installed) on every request: a failed import each time,
    # the client's cost, not the server's; answered once here so the rows stay comparable.
    import httpx._transports.asgi as asgi_transport

    asgi_transport.is_running_trio = lambda: False  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    out = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for name, (send, status) in requests.items():
            for _ in range(min(50, n)):  # warm-up: caches, pool, snapshot
                r = await send(client)
                assert r.status_code == status, (name, r.status_code, r.text)
            prof = cProfile.Profile(time.process_time) if profile == name else None
            sampler = Sampler() if sample == name else None
            marks = _callgrind()
            db_url = os.environ.get("KEZEK_DATABASE_URL", "")
            pg_before = await _backends(db_url) if db_url and name != "bare" else {}
            if STATEMENTS is not None:
                STATEMENTS.clear()
            if marks:
                marks.start()
            sys0 = os.times().system
            t0 = time.process_time()
            if prof:
                prof.enable()
            if sampler:
                sampler.__enter__()
            for _ in range(n):
                r = await send(client)
                assert r.status_code == status, (name, r.status_code, r.text)
            if marks:
                marks.stop()
            if prof:
                prof.disable()
            if sampler:
                sampler.__exit__()
                sampler.report(time.process_time() - t0, n)
            out[name] = (time.process_time() - t0) / n * 1000
            out[f"{name} (of which kernel)"] = (os.times().system - sys0) / n * 1000
            if STATEMENTS:
                print(f"{name}: statements per request (BEGIN and COMMIT are not cursor "
                      "executions: one each per request)")
                for kind, k in STATEMENTS.most_common():
                    print(f"  {k / n:6.3f}  {kind}")
            if db_url and name != "bare":
                pg_after = await _backends(db_url)
                used = sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items())
                PG_CPU[name] = used / n * 1000
            if prof:
                pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
                pstats.Stats(prof).sort_stats("tottime").print_stats(30)
                if os.environ.get("BENCH_CALLERS"):
                    pstats.Stats(prof).print_callers(os.environ["BENCH_CALLERS"])
    return out


async def _run(url: str, center: int, starts: list[str], n: int, profile: str | None,
               sample: str | None, rounds: int, only: str | None = None,
               iins: Callable[[], str] | None = None) -> dict[str, list[float]]:
    os.environ.update({"KEZEK_DATABASE_URL": url, "KEZEK_LOG_LEVEL": "WARNING",
                       "KEZEK_ENV": "development"})
    from kezek.api.app import create_app
    from kezek.settings import Settings

    app = create_app(Settings(database_url=url, log_level="WARNING",
                              iin_key=BENCH_IIN_KEY))
    iins, rng = iins or IinSource(7), random.Random(7)
    services = [s["code"] for s in rushdb.SERVICES]

    def body() -> dict[str, object]:
        return {"iin": iins(), "service": rng.choice(services), "center": center,
                "start": rng.choice(starts)}

    async def book(c: httpx.AsyncClient) -> httpx.Response:
        return await c.post("/api/v1/bookings", json=body())

    async def unknown(c: httpx.AsyncClient) -> httpx.Response:
        return await c.post("/api/v1/nowhere", json=body())

    async def health(c: httpx.AsyncClient) -> httpx.Response:
        return await c.get("/healthz")

    results: dict[str, list[float]] = {}
    async with app.router.lifespan_context(app):
        if STATEMENTS is not None:
            from sqlalchemy import event

            def count(_conn, _cursor, sql: str, *_: object) -> None:  # type: ignore[no-untyped-def]
                words = sql.split(None, 3)
                STATEMENTS[" ".join(words[:3]) if words[0] in ("INSERT", "WITH") else
                           words[0]] += 1

            event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
        kinds = {"404": (unknown, 404), "healthz": (health, 200), "book": (book, 201)}
        if only:
            kinds = {k: v for k, v in kinds.items() if k == only}
        for _ in range(rounds):
            found = {} if only and only != "bare" else await _measure(
                bare_app(), {"bare": (book, 201)}, n, profile, sample)
            if kinds:
                found |= await _measure(app, kinds, n, profile, sample)
            for k, v in found.items():
                results.setdefault(k, []).append(v)
            for k, v in PG_CPU.items():
                results.setdefault(f"{k} (PostgreSQL backends)", []).append(v)
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.request_cpu", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-n", type=int, default=1500, help="requests of each kind per round")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--days", type=int, default=60,
                   help="days of slots the bookings spread over (at most 60): fewer days, "
                        "more bookings per slot, more seats found taken")
    p.add_argument("--statements", action="store_true",
                   help="count the SQL statements the measured requests sent, by kind")
    p.add_argument("--only", choices=("bare", "404", "healthz", "book"), default=None,
                   help="measure one kind only (with --db: for instruction counts)")
    p.add_argument("--template", default=None,
                   help="copy this seeded database (from --seed-only) instead of seeding: "
                        "every run then starts from the same state, for instruction counts")
    p.add_argument("--seed-only", action="store_true",
                   help="create and seed a bench database, print its name, keep it")
    kinds = ("bare", "404", "healthz", "book")
    p.add_argument("--profile", choices=kinds, default=None, help="cProfile one kind")
    p.add_argument("--known", type=float, default=0.0,
                   help="share of bookings by people seen before (registered ahead)")
    p.add_argument("--sample", choices=kinds, default=None,
                   help="sample one kind's stacks on SIGPROF (low overhead)")
    args = p.parse_args(argv)
    if args.statements:
        global STATEMENTS
        STATEMENTS = Counter()
    starts = rushdb.slot_starts(args.days)
    rounds = 1 if args.profile or args.sample else args.rounds
    if args.template:
        db = rushdb.BenchDb(f"{args.template}_copy_{os.getpid()}", PG_ADMIN)
        asyncio.run(rushdb._admin(PG_ADMIN, f'CREATE DATABASE "{db.name}" TEMPLATE '
                                            f'"{args.template}"'))
    else:
        db = rushdb.create(PG_ADMIN)
    try:
        center = rushdb.seed(db, 40, 60, identity="none") if not args.template else 1
        if args.seed_only:
            print(db.name)
            return 0
        iins: Callable[[], str] | None = None
        if args.known:
            fresh = IinSource(7)
            known = [fresh() for _ in range(4 * args.n * rounds)]
            rushdb.register(db, known, BENCH_IIN_KEY.encode(), REFERENCE_KEY)
            iins = MixedIins(fresh, known, args.known, 7)
        results = asyncio.run(_run(db.url, center, starts, args.n, args.profile,
                                   args.sample, rounds, args.only, iins))
    finally:
        if not args.seed_only:
            rushdb.drop(db)
    print("| request | CPU ms per request (min / max over rounds) |")
    print("|---|---|")
    for name, values in results.items():
        print(f"| {name} | {min(values):.2f} / {max(values):.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
