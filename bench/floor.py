"""Floor benchmark: call-next latency under load, and the lobby-board fan-out.

    .venv/bin/python -m bench.floor [--quick]

1. Call-next: W operators (one per window) loop call-next -> start -> finish over HTTP
   against `kezek.api.asgi:app` (2 workers, PostgreSQL, Redis) while a pool of walk-in
   tickets waits. Latency of call-next, p50/p99. Reference in the same run: GET /healthz
   (one database round trip through the same stack) at the same concurrency.
2. Fan-out: N server-sent-event clients (default 1,000) connected to the board stream
   across both workers; one operator makes calls at a steady pace; for each call, the
   time until every client has the "called" message (p50/p99 over calls). Reference in
   the same run: a bare Starlette SSE broadcast (bench/sse_reference.py, one process,
   no database, no Redis) delivering one message to the same number of clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from bench import rushdb
from bench.booking_rush import PG_ADMIN, Server
from bench.loadgen import IinSource, RawConnection
from bench.results import write_section
from kezek.app import arrivals
from kezek.app.accounts import create_user
from kezek.app.actor import SYSTEM, Actor, Channel, Role
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work

REDIS_URL = os.environ.get("KEZEK_BENCH_REDIS", "redis://127.0.0.1:6379/0")
KEY = "bench-floor-iin-key-0123456789abcdef"
SECRET = "bench-floor-secret-0123456789abcdef"
ADMIN, PASSWORD = "bench.admin", "bench-admin-password"


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank), in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered)) - 1))] * 1000


async def _prepare(url: str, center: int, tickets: int) -> None:
    """The admin account and a queue of walk-ins, made through the application layer."""
    engine = make_engine(url)
    sm = make_sessionmaker(engine)
    iins = IinSource(7)
    door = Actor("bench.door", None, Role.ADMIN)
    try:
        async with unit_of_work(sm) as s:
            await create_user(s, ADMIN, PASSWORD, "admin", [], "", SYSTEM, Channel.CLI)
        for start in range(0, tickets, 200):
            async with unit_of_work(sm) as s:
                for _ in range(min(200, tickets - start)):
                    await arrivals.walk_in(s, center, iins(), "01010001", None, KEY.encode(),
                                           door)
    finally:
        await engine.dispose()


@dataclass
class CallRun:
    latencies: list[float] = field(default_factory=list)
    calls: int = 0
    seconds: float = 0.0


async def _operators(base: str, token: str, windows: list[int], seconds: float) -> CallRun:
    run = CallRun()
    auth = {"Authorization": f"Bearer {token}"}
    deadline = time.perf_counter() + seconds
    began = time.perf_counter()

    async def operator(window: int) -> None:
        conn = RawConnection(base)
        try:
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                status, payload = await conn.post(f"/api/v1/windows/{window}/call-next", {},
                                                  auth)
                run.latencies.append(time.perf_counter() - t0)
                ticket = json.loads(payload).get("ticket") if status == 200 else None
                if not ticket:
                    return
                run.calls += 1
                await conn.post(f"/api/v1/tickets/{ticket['id']}/start", {}, auth)
                await conn.post(f"/api/v1/tickets/{ticket['id']}/finish", {}, auth)
        finally:
            await conn.close()

    await asyncio.gather(*(operator(w) for w in windows))
    run.seconds = time.perf_counter() - began
    return run


async def _healthz(base: str, concurrency: int, seconds: float) -> list[float]:
    out: list[float] = []
    deadline = time.perf_counter() + seconds
    parts = urlsplit(base)

    async def one() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
                out.append(time.perf_counter() - t0)
        finally:
            writer.close()

    await asyncio.gather(*(one() for _ in range(concurrency)))
    return out


class Listeners:
    """N raw SSE clients; records when each saw each marker (ticket label or id)."""

    def __init__(self, base: str, path: str, n: int) -> None:
        self.base, self.path, self.n = base, path, n
        self.seen: dict[str, list[float]] = {}
        self.ready = 0
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self._tasks = [asyncio.create_task(self._client()) for _ in range(self.n)]
        deadline = time.monotonic() + 60
        while self.ready < self.n and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if self.ready < self.n:
            raise RuntimeError(f"only {self.ready} of {self.n} listeners connected")

    async def _client(self) -> None:
        parts = urlsplit(self.base)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        writer.write(f"GET {self.path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                     .encode())
        await reader.readuntil(b"\r\n\r\n")
        counted = False
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                if not counted and line.startswith(b": connected"):
                    self.ready += 1
                    counted = True
                if line.startswith(b"data: "):
                    message = json.loads(line[6:])
                    if message.get("type", "called") == "called":
                        marker = str(message.get("ticket") or message.get("marker"))
                        self.seen.setdefault(marker, []).append(time.perf_counter())
        finally:
            writer.close()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def _wait_all(listeners: Listeners, marker: str, timeout: float = 10.0) -> float | None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if len(listeners.seen.get(marker, ())) >= listeners.n:
            return max(listeners.seen[marker])
        await asyncio.sleep(0.002)
    return None


async def _fanout_kezek(base: str, token: str, center: int, window: int, clients: int,
                        rounds: int) -> tuple[list[float], int]:
    listeners = Listeners(base, f"/api/v1/centers/{center}/board/events", clients)
    await listeners.start()
    await asyncio.sleep(0.5)
    auth = {"Authorization": f"Bearer {token}"}
    conn = RawConnection(base)
    spans: list[float] = []
    missed = 0
    try:
        for _ in range(rounds):
            sent = time.perf_counter()
            _, payload = await conn.post(f"/api/v1/windows/{window}/call-next", {}, auth)
            ticket = json.loads(payload)["ticket"]
            done = await _wait_all(listeners, ticket["label"])
            if done is None:
                missed += 1
            else:
                spans.append(done - sent)
            await conn.post(f"/api/v1/tickets/{ticket['id']}/start", {}, auth)
            await conn.post(f"/api/v1/tickets/{ticket['id']}/finish", {}, auth)
            await asyncio.sleep(0.2)
    finally:
        await conn.close()
        await listeners.stop()
    return spans, missed


async def _fanout_reference(base: str, clients: int, rounds: int) -> tuple[list[float], int]:
    listeners = Listeners(base, "/events", clients)
    await listeners.start()
    spans: list[float] = []
    missed = 0
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            for i in range(rounds):
                sent = time.perf_counter()
                await client.post("/emit", json={"type": "called", "marker": f"m{i}"})
                done = await _wait_all(listeners, f"m{i}")
                if done is None:
                    missed += 1
                else:
                    spans.append(done - sent)
                await asyncio.sleep(0.2)
    finally:
        await listeners.stop()
    return spans, missed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="shorter; RESULTS.md untouched")
    p.add_argument("--seconds", type=float, default=10.0, help="call-next phase length")
    p.add_argument("--windows", type=int, default=20, help="operators, one per window")
    p.add_argument("--clients", type=int, default=1000, help="SSE clients for the fan-out")
    p.add_argument("--rounds", type=int, default=30, help="calls measured in the fan-out")
    p.add_argument("--tickets", type=int, default=4000)
    args = p.parse_args(argv)
    if args.quick:
        args.seconds, args.rounds, args.tickets, args.clients = 3.0, 10, 1500, 300
    db = rushdb.create(PG_ADMIN)
    print(f"bench database {db.name}", flush=True)
    try:
        center = rushdb.seed(db, args.windows, 2)
        asyncio.run(_prepare(db.url, center, args.tickets))
        env = {"KEZEK_DATABASE_URL": db.url, "KEZEK_REDIS_URL": REDIS_URL,
               "KEZEK_IIN_KEY": KEY, "KEZEK_SECRET_KEY": SECRET, "KEZEK_LOG_LEVEL": "WARNING"}
        server = Server("kezek.api.asgi:app", env, 2)
        try:
            server.wait_ready()
            token = httpx.post(f"{server.url}/api/v1/auth/token", json={
                "username": ADMIN, "password": PASSWORD}).json()["access_token"]
            windows = [w["id"] for w in httpx.get(
                f"{server.url}/api/v1/centers/{center}/windows").json()]
            print(f"  call-next: {len(windows)} operators for {args.seconds:g} s", flush=True)
            run = asyncio.run(_operators(server.url, token, windows, args.seconds))
            health = asyncio.run(_healthz(server.url, len(windows), min(args.seconds, 5)))
            print(f"  fan-out: {args.clients} board clients, {args.rounds} calls", flush=True)
            spans, missed = asyncio.run(_fanout_kezek(server.url, token, center, windows[0],
                                                      args.clients, args.rounds))
        finally:
            server.stop()
        ref = Server("bench.sse_reference:app", {}, 1)
        try:
            ref.wait_ready()
            ref_spans, ref_missed = asyncio.run(_fanout_reference(ref.url, args.clients,
                                                                  args.rounds))
        finally:
            ref.stop()
    finally:
        rushdb.drop(db)
    report = render(args, run, health, spans, missed, ref_spans, ref_missed)
    print(report)
    if not args.quick:
        write_section("floor", report)
    return 0 if not missed else 1


def render(args: argparse.Namespace, run: CallRun, health: list[float], spans: list[float],
           missed: int, ref_spans: list[float], ref_missed: int) -> str:
    call50, call99 = pct(run.latencies, 50), pct(run.latencies, 99)
    h50, h99 = pct(health, 50), pct(health, 99)
    f50, f99 = pct(spans, 50), pct(spans, 99)
    r50, r99 = pct(ref_spans, 50), pct(ref_spans, 99)
    mean = statistics.mean(spans) * 1000 if spans else float("nan")
    return "\n".join([
        "## Floor: call-next and board fan-out", "",
        f"Date: {time.strftime('%Y-%m-%d')}. Machine: {os.cpu_count()} cores; PostgreSQL and "
        "Redis on 127.0.0.1; uvicorn with 2 workers; the clients share the cores.", "",
        "Rerun: `.venv/bin/python -m bench.floor` (from the repository root).", "",
        "| measure | Kezek p50 ms | Kezek p99 ms | reference p50 ms | reference p99 ms | "
        "ratio p99 |",
        "|---|---|---|---|---|---|",
        f"| call-next, {args.windows} operators ({run.calls:,} calls, "
        f"{run.calls / run.seconds:,.0f}/s) vs GET /healthz | {call50:.1f} | {call99:.1f} | "
        f"{h50:.1f} | {h99:.1f} | {call99 / h99:.1f}x |",
        f"| a call reaching all {args.clients:,} board clients ({len(spans)} calls) vs bare "
        f"SSE broadcast | {f50:.1f} | {f99:.1f} | {r50:.1f} | {r99:.1f} | {f99 / r99:.1f}x |",
        "",
        f"- Fan-out mean {mean:.1f} ms; calls not delivered to every client within 10 s: "
        f"Kezek {missed}, reference {ref_missed}.",
        "- Kezek's path for a call: HTTP call-next on one worker, commit, Redis publish, each "
        "worker's single Redis subscription, local fan-out to its SSE clients. The reference "
        "has only the last step (one process, in memory).",
    ]) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
