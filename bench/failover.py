"""The failover drill: Kezek through the death of its PostgreSQL primary (issue 12, item 6).

    .venv/bin/python -m bench.failover              # 24 s rush, writes RESULTS.md
    .venv/bin/python -m bench.failover --quick      # 12 s rush, prints only

One command, nothing left behind (bench/pgpair.py removes both clusters at the end, on a
failure or Ctrl-C too):

1. a primary and a synchronous streaming standby, two throwaway clusters on free
   loopback ports (bench/pgpair.py);
2. `kezek db upgrade`, `kezek demo load` and `kezek identity policy --mode none`, then
   `kezek serve --workers 2 --no-jobs`, all with KEZEK_DATABASE_URL the multi-host URL
   `postgresql+asyncpg://postgres@/postgres?host=127.0.0.1:P1&host=127.0.0.1:P2&
   target_session_attrs=read-write` and KEZEK_THROTTLE=false (every client is on one
   address; the throttle's cost is bench/abuse.py's);
3. `--clients` concurrent clients book distinct valid IINs into random free slots of the
   demo network; at `--kill-at` s the primary's processes get SIGKILL (a machine dying);
   `--detect` s later the standby is promoted (`pg_ctl promote`), as a failover manager
   would after noticing; the rush goes on to the end;
4. every answer is kept with its time. A booking is acknowledged when it got 201 with a
   code; afterwards each acknowledged code is looked up in the promoted database.

Figures: unavailability = the longest time without a 201; answers other than
201/409/503 (and 429) during the whole run, which must be 0; acknowledged bookings
missing after the failover, which must be 0; bookings/s after the promotion against
the bookings/s before the kill, measured in the same run.

A client that gets 503 waits `--backoff` s before its next booking (a person pressing
again, not a tight loop that would only measure how fast 503s can be made).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import asyncpg
import httpx

from bench.failover_report import Answer, Drill, Figures, figures, render
from bench.loadgen import IinSource, RawConnection
from bench.pgpair import Pair, free_port
from bench.results import write_section

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
IIN_KEY = "failover-drill-iin-key-0123456789abcdef"


def multi_host_url(ports: list[int]) -> str:
    """SQLAlchemy's asyncpg form: no host after the @, one `host=` per node, in order."""
    hosts = "&".join(f"host=127.0.0.1:{port}" for port in ports)
    return f"postgresql+asyncpg://postgres@/postgres?{hosts}&target_session_attrs=read-write"


def kezek(env: dict[str, str], *args: str) -> str:
    """Runs the Kezek CLI of this checkout; its output, or an error with it."""
    cli = Path(sys.executable).with_name("kezek")
    done = subprocess.run([str(cli), *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"kezek {' '.join(args)}: {done.stdout[-1500:]}{done.stderr[-1500:]}")
    return done.stdout.strip()


class Server:
    """`kezek serve` as a subprocess; stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        cli = Path(sys.executable).with_name("kezek")
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [str(cli), "serve", "--port", str(self.port), "--workers", str(workers),
                 "--no-jobs"], cwd=ROOT, env={**os.environ, **env}, stdout=out,
                stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kezek serve exited with {self.proc.returncode}: "
                                   + self.log.read_text(errors="replace")[-2000:])
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("kezek serve did not become ready")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


async def wait_synchronous(pair: Pair, timeout: float = 60.0) -> str:
    """Waits until the primary names its standby synchronous; returns the state."""
    conn = await asyncpg.connect(pair.primary.dsn)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = await conn.fetchval("SELECT sync_state FROM pg_stat_replication "
                                        "WHERE application_name = 'standby1'")
            if state == "sync":
                return str(state)
            await asyncio.sleep(0.1)
        raise RuntimeError(f"the standby never became synchronous (last state {state})")
    finally:
        await conn.close()


def targets(base: str, limit: int = 6000) -> list[tuple[int, str, str]]:
    """(centre, service, start) of free slots of the demo network's general centres."""
    out: list[tuple[int, str, str]] = []
    with httpx.Client(base_url=base, timeout=30) as client:
        services = [s["code"] for s in client.get("/api/v1/services").json()
                    if not s["specialised_only"]][:4]
        centers = [c["id"] for c in client.get("/api/v1/centers",
                                               params={"kind": "general"}).json()][:8]
        for center in centers:
            for service in services:
                r = client.get(f"/api/v1/centers/{center}/slots",
                               params={"service": service, "days": 31})
                if r.status_code == 200:
                    out += [(center, service, s["start"]) for s in r.json()]
                if len(out) >= limit:
                    return out
    if not out:
        raise RuntimeError("the demo network offers no free slot")
    return out


async def rush(base: str, pair: Pair, args: argparse.Namespace,
               slots: list[tuple[int, str, str]]) -> Drill:
    drill = Drill()
    iins = IinSource(args.seed)
    rng = random.Random(args.seed)
    began = time.perf_counter()
    deadline = began + args.seconds

    def now() -> float:
        return time.perf_counter() - began

    async def worker() -> None:
        conn = RawConnection(base)
        try:
            while time.perf_counter() < deadline:
                center, service, start = rng.choice(slots)
                body = {"iin": iins(), "service": service, "center": center,
                        "start": start, "channel": "web"}
                try:
                    status, payload = await asyncio.wait_for(
                        conn.post("/api/v1/bookings", body), 30.0)
                except (OSError, asyncio.IncompleteReadError, TimeoutError,
                        ValueError) as exc:
                    drill.answers.append(Answer(now(), f"transport {type(exc).__name__}"))
                    await asyncio.sleep(args.backoff)
                    continue
                answer = Answer(now(), str(status))
                try:
                    parsed = json.loads(payload)
                except ValueError:
                    parsed = None
                if status == 201:
                    answer.code = parsed.get("code") if isinstance(parsed, dict) else None
                    if not answer.code:
                        answer.outcome = "201 without a code"
                elif isinstance(parsed, dict) and isinstance(parsed.get("error"), dict):
                    answer.outcome = f"{status} {parsed['error'].get('code')}"
                else:
                    answer.outcome = f"{status} without the error envelope"
                drill.answers.append(answer)
                if status in (503, 429):
                    await asyncio.sleep(args.backoff)
        finally:
            await conn.close()

    async def failure() -> None:
        await asyncio.sleep(max(0.0, began + args.kill_at - time.perf_counter()))
        drill.timeline.killed_processes = pair.kill_primary()
        drill.timeline.kill = now()
        print(f"  {drill.timeline.kill:5.1f} s: primary killed "
              f"({drill.timeline.killed_processes} processes, SIGKILL)", flush=True)
        await asyncio.sleep(args.detect)
        drill.timeline.promote_begun = now()
        await asyncio.to_thread(pair.promote)
        drill.timeline.promoted = now()
        print(f"  {drill.timeline.promoted:5.1f} s: standby promoted", flush=True)

    await asyncio.gather(failure(), *(worker() for _ in range(args.clients)))
    drill.seconds = now()
    return drill


async def missing(pair: Pair, codes: list[str]) -> tuple[int, int]:
    """(acknowledged codes absent from the promoted database, bookings it holds)."""
    conn = await asyncpg.connect(pair.standby.dsn)
    try:
        assert not await conn.fetchval("SELECT pg_is_in_recovery()"), "not promoted"
        found = await conn.fetchval("SELECT count(*) FROM bookings WHERE code = ANY($1)",
                                    codes)
        held = await conn.fetchval("SELECT count(*) FROM bookings")
    finally:
        await conn.close()
    return len(set(codes)) - int(found), int(held)


def one_run(args: argparse.Namespace, index: int) -> tuple[Drill, Figures, int, int, str]:
    pair = Pair()
    server: Server | None = None
    try:
        print(f"run {index}: clusters under {pair.root}", flush=True)
        pair.build()
        state = asyncio.run(wait_synchronous(pair))
        url = multi_host_url([pair.primary.port, pair.standby.port])
        print(f"  primary :{pair.primary.port}, standby :{pair.standby.port} ({state})",
              flush=True)
        env = {"KEZEK_DATABASE_URL": url, "KEZEK_ENV": "development",
               "KEZEK_IIN_KEY": IIN_KEY, "KEZEK_THROTTLE": "false",
               "KEZEK_LOG_LEVEL": "WARNING", "KEZEK_LOG_JSON": "true",
               "KEZEK_JOBS_FILE": str(pair.root / "jobs.db"),
               "KEZEK_DB_POOL_SIZE": str(args.pool)}
        kezek(env, "db", "upgrade")
        kezek(env, "demo", "load")
        kezek(env, "identity", "policy", "--mode", "none")
        server = Server(env, args.workers, pair.root / "kezek.log")
        server.wait_ready()
        slots = targets(server.url)
        print(f"  kezek serve on :{server.port}, {len(slots):,} free slots; rushing "
              f"{args.seconds:g} s with {args.clients} clients", flush=True)
        drill = asyncio.run(rush(server.url, pair, args, slots))
        lost, held = asyncio.run(missing(pair, drill.acknowledged()))
        f = figures(drill)
        if f.unexpected:
            print("  server log tail:\n" + server.log.read_text(errors="replace")[-3000:])
        pg = asyncio.run(_version(pair))
        return drill, f, lost, held, pg
    finally:
        if server is not None:
            server.stop()
        pair.close()


async def _version(pair: Pair) -> str:
    conn = await asyncpg.connect(pair.standby.dsn)
    try:
        return f"PostgreSQL {await conn.fetchval('SHOW server_version')}"
    finally:
        await conn.close()


def _terminate(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds through every cleanup


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.failover", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=24.0, help="length of each rush")
    p.add_argument("--kill-at", type=float, default=10.0, help="when the primary dies (s)")
    p.add_argument("--detect", type=float, default=2.0,
                   help="seconds from the kill to the promotion")
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--pool", type=int, default=10, help="KEZEK_DB_POOL_SIZE per worker")
    p.add_argument("--backoff", type=float, default=0.1, help="a client's pause after 503")
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--seed", type=int, default=20261202)
    p.add_argument("--quick", action="store_true", help="one 12 s run; RESULTS.md untouched")
    p.add_argument("--results", type=Path, default=None)
    args = p.parse_args(argv)
    if args.quick:
        args.seconds, args.kill_at, args.runs = 12.0, 5.0, 1
    signal.signal(signal.SIGTERM, _terminate)
    args.load_before = os.getloadavg()[0]
    runs = []
    pg = ""
    for i in range(1, args.runs + 1):
        args.seed += i
        drill, f, lost, held, pg = one_run(args, i)
        runs.append((drill, f, lost, held))
        print(f"  run {i}: unavailable {f.gap:.2f} s, {f.acknowledged:,} acknowledged, "
              f"{lost} lost, {f.unexpected} unexpected answers", flush=True)
    report = render(args, runs, pg)
    print(report)
    path = args.results or (None if args.quick else RESULTS)
    if path:
        write_section("failover", report.replace("# Failover", "## Failover", 1), path)
        print(f"written to {path}")
    failed = any(lost or f.unexpected for _d, f, lost, _h in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
