"""The booking rush: Kezek under load on PostgreSQL, against a bare-SQL reference.

    .venv/bin/python -m bench.booking_rush            # 15 s per server, writes RESULTS.md
    .venv/bin/python -m bench.booking_rush --quick    # 3 s per server, prints only

Creates its own database (kezek_bench_<random>, dropped at the end), migrates and seeds
it (one centre, many windows, open every day), starts `uvicorn kezek.api.asgi:app` with
2 workers and drives it with 64 concurrent clients booking random fresh IINs into random
slots; then does the same to bench/reference_app.py, which runs only the two conditional
statements of a booking through asyncpg.  Afterwards SQL counts overbooked seats, slots
over capacity and people over quota: all must be 0.  The load generator runs on the same
machine as the servers and PostgreSQL and takes its share of the CPUs.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench import rushdb
from bench.loadgen import IinSource, MixedIins, Tally, drive
from bench.reference_app import KEY as REFERENCE_KEY
from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
PG_ADMIN = os.environ.get("KEZEK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TARGET_RATE, TARGET_RATIO = 2000.0, 0.40
BENCH_IIN_KEY = "booking-rush-iin-key-0123456789abcdef"
KNOWN_PER_SECOND = 4000  # people registered per measured second: more than either server books
CLIENTS = {"raw": "keep-alive connections of a minimal asyncio HTTP/1.1 client",
           "httpx": "one httpx.AsyncClient with a pool of that many connections"}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A uvicorn started as a subprocess with N workers; stopped with SIGTERM."""

    def __init__(self, app: str, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1",
               "--port", str(self.port), "--workers", str(workers), "--log-level", "warning",
               "--no-access-log"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env})

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not become ready")

    def cpu_seconds(self) -> float:
        """User+system CPU of the supervisor and its workers so far (Linux /proc)."""
        tick = os.sysconf("SC_CLK_TCK")
        total, todo = 0.0, [self.proc.pid]
        while todo:
            pid = todo.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo += [int(c) for c in (task / "children").read_text().split()]
            except (OSError, ValueError, IndexError):
                continue
        return total

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def machine_busy() -> float:
    """Busy CPU-seconds of the whole machine since boot (Linux /proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_one(label: str, server: Server, center: int, starts: list[str], args: argparse.Namespace,
            iins: Callable[[], str]) -> tuple[Tally, float, float]:
    """Warms up, then measures; returns the tally and the CPU-seconds of server and us."""
    server.wait_ready()
    services = [s["code"] for s in rushdb.SERVICES]
    warm = asyncio.run(drive(server.url, center, starts, services, args.warmup,
                             args.concurrency, iins, args.seed, args.client))
    cpu_server, cpu_self, busy = server.cpu_seconds(), time.process_time(), machine_busy()
    print(f"  {label}: {args.seconds:.0f} s with {args.concurrency} clients ...", flush=True)
    tally = asyncio.run(drive(server.url, center, starts, services, args.seconds,
                              args.concurrency, iins, args.seed + 1, args.client))
    tally.warmup_booked = warm.booked
    tally.machine_busy = machine_busy() - busy
    return tally, server.cpu_seconds() - cpu_server, time.process_time() - cpu_self


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.booking_rush", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=15.0, help="measured time per server")
    p.add_argument("--quick", action="store_true", help="3 s per server; RESULTS.md untouched")
    p.add_argument("--warmup", type=float, default=1.0, help="unmeasured seconds first")
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--client", choices=("raw", "httpx"), default="raw",
                   help="load generator's HTTP client (see bench/loadgen.py)")
    p.add_argument("--windows", type=int, default=40, help="windows of one seat")
    p.add_argument("--days", type=int, default=30, help="days of slots (36 slots a day)")
    p.add_argument("--seed", type=int, default=20261123)
    p.add_argument("--no-reference", action="store_true")
    p.add_argument("--known", type=float, default=0.0,
                   help="share of requests by people seen before (0-1; default 0: all fresh)")
    p.add_argument("--results", type=Path, default=None,
                   help=f"where to write the figures (default {RESULTS.name}, not with --quick)")
    args = p.parse_args(argv)
    if args.quick:
        args.seconds = 3.0
    results_path = args.results or (None if args.quick else RESULTS)

    args.pg_settings = rushdb.server_settings(PG_ADMIN)
    args.load_before = os.getloadavg()[0]
    db = rushdb.create(PG_ADMIN)
    print(f"bench database {db.name}", flush=True)
    try:
        center = rushdb.seed(db, args.windows, args.days, identity="none")
        starts = rushdb.slot_starts(args.days)
        seats = len(starts) * args.windows
        print(f"  one centre, {args.windows} windows x {len(starts)} slots = {seats} seats")
        fresh = IinSource(args.seed)
        iins: Callable[[], str] = fresh
        if args.known > 0:
            known = [fresh() for _ in range(int(
                2 * (args.seconds + args.warmup) * KNOWN_PER_SECOND * args.known))]
            rushdb.register(db, known, BENCH_IIN_KEY.encode(), REFERENCE_KEY)
            print(f"  {len(known):,} people registered as seen before")
            iins = MixedIins(fresh, known, args.known, args.seed)
        kezek_env = {"KEZEK_DATABASE_URL": db.url, "KEZEK_ENV": "development",
                     "KEZEK_IIN_KEY": BENCH_IIN_KEY,
                     "KEZEK_LOG_LEVEL": "WARNING", "KEZEK_LOG_JSON": "true",
                     # 64 clients from one address would be throttled as one abuser;
                     # the throttle's cost is measured by bench/abuse.py.
                     "KEZEK_THROTTLE": "false"}
        server = Server("kezek.api.asgi:app", kezek_env, args.workers)
        try:
            kezek, kezek_cpu, kezek_lg = run_one("kezek", server, center, starts, args, iins)
        finally:
            server.stop()
        kezek_db = rushdb.check(db, "bookings")
        ref = ref_db = None
        ref_cpu = ref_lg = 0.0
        if not args.no_reference:
            server = Server("bench.reference_app:app",
                            {"BENCH_REF_DSN": rushdb.asyncpg_dsn(db.url)}, args.workers)
            try:
                ref, ref_cpu, ref_lg = run_one("reference", server, center, starts, args, iins)
            finally:
                server.stop()
            ref_db = rushdb.check(db, "ref_bookings")
    finally:
        rushdb.drop(db)

    report = render(args, seats, kezek, kezek_db, kezek_cpu, kezek_lg, ref, ref_db, ref_cpu,
                    ref_lg)
    print(report)
    if results_path:
        write_section(f"booking_rush_known{round(args.known * 100)}" if args.known
                      else "booking_rush",
                      report.replace("# Booking rush", "## Booking rush", 1), results_path)
        print(f"written to {results_path}")
    overbooked = sum(v for k, v in kezek_db.items() if k != "bookings held")
    return 1 if overbooked else 0


def _row(name: str, t: Tally, db: dict[str, int], cpu: float, lg: float) -> str:
    errors = ", ".join(f"{k}: {v}" for k, v in sorted(t.outcomes.items()) if k != "201")
    over = db["seats held twice"] + db["slots over capacity"] + db.get("people over quota", 0)
    return (f"| {name} | {t.rate(t.booked):,.0f} | {t.rate(t.requests):,.0f} | "
            f"{t.percentile(50):.1f} | {t.percentile(99):.1f} | {t.booked:,} | "
            f"{errors or '-'} | {db['bookings held']:,} | {over} | {cpu:.1f} / {lg:.1f} |")


def render(args: argparse.Namespace, seats: int, kezek: Tally, kezek_db: dict[str, int],
           kezek_cpu: float, kezek_lg: float, ref: Tally | None, ref_db: dict[str, int] | None,
           ref_cpu: float, ref_lg: float) -> str:
    cmd = ".venv/bin/python -m bench.booking_rush" + (" --quick" if args.quick else "") + (
        f" --known {args.known:g}" if args.known else "") + (
        f" --seconds {args.seconds:g}" if not args.quick and args.seconds != 15 else "") + (
        f" --client {args.client}" if args.client != "raw" else "")
    lines = [
        "# Booking rush" + (f", {args.known:.0%} of people seen before" if args.known
                            else ""), "",
        f"Date: {dt.date.today().isoformat()}. Machine: {os.cpu_count()} cores "
        f"({platform.machine()}), Python {platform.python_version()}, PostgreSQL on "
        f"127.0.0.1 ({args.pg_settings}). The load generator (one Python "
        "process) shares the cores with the servers and PostgreSQL. Load average (1 min) "
        f"before the run: {args.load_before:.2f}.", "",
        f"Rerun: `{cmd}` (from the repository root).", "",
        f"Setup: uvicorn with {args.workers} workers; {args.concurrency} concurrent clients "
        f"({CLIENTS[args.client]}); {args.warmup:g} s warm-up, then {args.seconds:g} s "
        f"measured per server; one centre with {args.windows} windows of one seat, open "
        f"every day, {args.days} days of 15-minute slots = {seats:,} seats; each request "
        "books a valid IIN into a random slot for one of 5 services: "
        + (f"{args.known:.0%} of them people seen before (registered ahead, without "
           "bookings: Kezek takes its general path, the person lock and the quota read), "
           "the rest fresh." if args.known else "every one fresh (a person never seen, "
                                                  "Kezek's one-statement path).") , "",
        "| server | bookings/s | requests/s | p50 ms | p99 ms | booked | other outcomes | "
        "held in DB | overbooked | CPU s server / loadgen |",
        "|---|---|---|---|---|---|---|---|---|---|",
        _row("Kezek", kezek, kezek_db, kezek_cpu, kezek_lg),
    ]
    if ref and ref_db:
        lines.append(_row("reference (bare SQL)", ref, ref_db, ref_cpu, ref_lg))
    lines.append("")
    k_rate = kezek.rate(kezek.booked)
    lines.append(f"- Kezek: {k_rate:,.0f} bookings/s (target {TARGET_RATE:,.0f}: "
                 f"{'met' if k_rate >= TARGET_RATE else 'NOT met'}).")
    if ref and ref.booked:
        ratio = k_rate / ref.rate(ref.booked)
        lines.append(f"- Ratio Kezek / reference: {ratio:.0%} (target {TARGET_RATIO:.0%}: "
                     f"{'met' if ratio >= TARGET_RATIO else 'NOT met'}).")
    for name, t, db in (("Kezek", kezek, kezek_db), ("reference", ref, ref_db)):
        if t and db:
            answered = t.warmup_booked + t.booked
            lines.append(f"- {name}: {answered:,} answers 201 (warm-up included), "
                         f"{db['bookings held']:,} bookings held in the database"
                         f"{'' if answered == db['bookings held'] else ': MISMATCH'}.")
    over = sum(v for k, v in kezek_db.items() if k != "bookings held")
    lines.append(f"- Overbooked (seats held twice + slots over capacity + people over "
                 f"quota): {over}.")
    cores = args.seconds * (os.cpu_count() or 1)
    for name, t, cpu, lg in (("Kezek", kezek, kezek_cpu, kezek_lg), ("reference", ref, ref_cpu,
                                                                     ref_lg)):
        if t:
            lines.append(f"- CPU during the {name} run: machine busy {t.machine_busy:.1f} of "
                         f"{cores:.0f} core-seconds; servers {cpu:.1f}, load generator {lg:.1f},"
                         f" PostgreSQL and anything else {t.machine_busy - cpu - lg:.1f}.")
    lines += ["", "Notes:", "",
              "- The reference (bench/reference_app.py) runs only the person upsert and the "
              "seat insert through asyncpg, behind the same uvicorn and FastAPI: no schedule, "
              "quota, audit or ORM. It is the floor of this stack, not a competitor.",
              "- The load generator is a minimal asyncio HTTP/1.1 client on keep-alive "
              "connections. A single httpx.AsyncClient with a 64-connection pool "
              "(`--client httpx`) spends milliseconds of CPU per request in its pool "
              "bookkeeping and caps both servers near the same low figure on this machine, "
              "so it measures itself.",
              "- Latency is per request as the client saw it, queueing in the client "
              "included; all outcomes (201 and 409) count in requests/s and latency.",
              "- Where Kezek's time goes, and why the absolute target is out of reach on "
              "this machine: bench/ANALYSIS.md."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
