"""Abuse (issue 11): a bot with made-up IINs against genuine citizens, on PostgreSQL.

    .venv/bin/python -m bench.abuse [--seconds 60] [--workers 2]

Creates its own database (kezek_bench_<random>, dropped at the end), seeds one centre
(bench/rushdb.py's network, `--windows` windows of one seat), starts a fake SMS gateway
on loopback that records every message, and starts `kezek serve` with KEZEK_SMS_URL
pointing at it (so the API never returns the code). Then, in one run:

1. protected burst: `--burst` distinct citizens do the whole booking (code, read the SMS,
   verify, list slots, book), no attacker: genuine bookings/s with every protection on;
2. protected attack: for `--seconds`, the attacker (64 concurrent requests from
   127.0.0.2-9, made-up IINs valid by check digit) tries every way to a seat, while
   `--citizens` genuine citizens keep booking the whole way;
3. the server restarts with `identity: none` and KEZEK_THROTTLE=false;
4. unprotected burst: the same number of citizens book directly (list slots, book);
5. reference attack: the same attack and citizens for `--seconds`.

Each genuine citizen is a distinct IIN, a distinct mobile number and a distinct client
address in a /24 of its own (127.1.0.1, 127.1.1.1, ...): the per-address and per-/24
throttles (`identity.send:addr` 10/minute, `identity.send:net` 60/minute) count people
behind one address together, which is not what is measured here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from itsdangerous import URLSafeTimedSerializer

from bench import rushdb
from bench.booking_rush import PG_ADMIN, free_port
from bench.loadgen import IinSource
from kezek.app.actor import SYSTEM, Channel
from kezek.app.identity import policy_store
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work

ROOT = Path(__file__).resolve().parent.parent
ATTACK_ADDRS = [f"127.0.0.{n}" for n in range(2, 10)]
ATTACK_CONCURRENCY = 64
TARGET_SHARE, TARGET_SUCCESS, TARGET_RATIO = 0.01, 0.99, 0.50
SERVICE = rushdb.SERVICES[0]["code"]
CODE_RE = re.compile(r"\b(\d{6})\b")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


# --- the fake SMS gateway ------------------------------------------------------------

class Gateway:
    """A loopback stand-in for the remote SMS gateway: records (to, text), answers 200."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inbox: dict[str, list[str]] = {}
        self.count = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with gateway.lock:
                    gateway.inbox.setdefault(body["to"], []).append(body["text"])
                    gateway.count += 1
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def last_code(self, phone: str) -> str | None:
        with self.lock:
            texts = self.inbox.get(phone, [])
            found = CODE_RE.search(texts[-1]) if texts else None
        return found.group(1) if found else None

    def stop(self) -> None:
        self.server.shutdown()


# --- the server ----------------------------------------------------------------------

class Kezek:
    """`kezek serve` as a subprocess; stopped with SIGTERM."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [str(Path(sys.executable).with_name("kezek")), "serve", "--host", "127.0.0.1",
               "--port", str(self.port), "--workers", str(workers)]
        # A session of its own: here uvicorn in the caller's process group was stopped
        # within seconds of starting (a signal to the group), and never became ready.
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env},
                                     start_new_session=True)
        deadline = time.monotonic() + 120  # a busy machine starts workers slowly
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kezek serve exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("kezek serve did not become ready")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


async def _set_identity(url: str, mode: str) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await policy_store.change(s, {"mode": mode}, SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


# --- shared state --------------------------------------------------------------------

@dataclass
class World:
    url: str
    center: int
    gateway: Gateway
    iins: IinSource
    protected: bool
    free: list[str] = field(default_factory=list)  # free slot starts, refreshed
    next_person: int = 0

    def person(self) -> tuple[str, str, str]:
        """A genuine citizen: a fresh IIN, a number of their own, an address in a /24
        of their own (never 127.0.0.0/24, the attacker's)."""
        n, self.next_person = self.next_person, self.next_person + 1
        addr = f"127.{1 + n // 256}.{n % 256}.1"
        return self.iins(), f"+7705{n:07d}", addr


async def free_slots(client: httpx.AsyncClient, w: World) -> list[dict[str, object]]:
    today = dt.date.today().isoformat()
    r = await client.get(f"{w.url}/api/v1/centers/{w.center}/slots",
                         params={"service": SERVICE, "from": today, "days": 31})
    r.raise_for_status()
    return list(r.json())


async def count_seats(w: World) -> int:
    async with httpx.AsyncClient(timeout=30) as c:
        found = await free_slots(c, w)
    w.free = [str(s["start"]) for s in found]
    return sum(int(s["free"]) for s in found)  # type: ignore[call-overload]


# --- genuine citizens ----------------------------------------------------------------

@dataclass
class Genuine:
    tried: int = 0
    booked: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    dev_codes: int = 0


async def citizen(w: World, g: Genuine, full: bool) -> None:
    """One person's whole booking; `full`: with the code step (protected network)."""
    iin, phone, addr = w.person()
    g.tried += 1
    t0 = time.perf_counter()
    transport = httpx.AsyncHTTPTransport(local_address=addr)
    async with httpx.AsyncClient(transport=transport, timeout=30) as c:
        try:
            headers: dict[str, str] = {}
            if full:
                r = await c.post(f"{w.url}/api/v1/identity/code",
                                 json={"iin": iin, "phone": phone})
                if r.status_code != 201:
                    g.failures[f"code {r.status_code}"] += 1
                    return
                body = r.json()
                g.dev_codes += body.get("dev_code") is not None
                code = w.gateway.last_code(phone)
                if code is None:
                    g.failures["no sms"] += 1
                    return
                r = await c.post(f"{w.url}/api/v1/identity/verify",
                                 json={"challenge": body["challenge"], "code": code})
                if r.status_code != 200:
                    g.failures[f"verify {r.status_code}"] += 1
                    return
                headers["Authorization"] = f"Bearer {r.json()['token']}"
            for _attempt in range(3):  # a person whose slot went meanwhile picks another
                found = [str(s["start"]) for s in await free_slots(c, w)]
                if not found:
                    g.failures["no free slot"] += 1
                    return
                r = await c.post(f"{w.url}/api/v1/bookings", headers=headers, json={
                    "iin": iin, "service": SERVICE, "center": w.center,
                    "start": random.choice(found)})
                if r.status_code == 201:
                    g.booked += 1
                    g.latencies.append((time.perf_counter() - t0) * 1000)
                    return
                if r.status_code != 409:
                    break
            g.failures[f"book {r.status_code}"] += 1
        except httpx.HTTPError as exc:
            g.failures[type(exc).__name__] += 1


async def citizens(w: World, g: Genuine, concurrency: int, until: float | None = None,
                   people: int | None = None, full: bool = True) -> float:
    """Citizens one after another on `concurrency` lanes, until a time or a head count;
    returns the elapsed seconds."""
    t0 = time.perf_counter()
    left = [people] if people is not None else None

    async def lane() -> None:
        while True:
            if until is not None and time.perf_counter() >= until:
                return
            if left is not None:
                if left[0] <= 0:
                    return
                left[0] -= 1
            await citizen(w, g, full)

    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return time.perf_counter() - t0


# --- the attacker --------------------------------------------------------------------

@dataclass
class Attack:
    seats: int = 0  # 201 on POST /bookings
    waitlisted: int = 0  # 201 on POST /waitlist (a place in line, not a seat)
    tokens: int = 0  # a code guessed right (200 on /identity/verify)
    requests: int = 0
    statuses: Counter[str] = field(default_factory=Counter)


PROOF_SALT = "kezek.identity.proof.v1"  # kezek.app.identity.proof
FORGER = URLSafeTimedSerializer(secrets.token_hex(32), salt=PROOF_SALT)


def forged_token(iin: str) -> str:
    """Junk, a well-formed token signed with a guessed key, or one unsigned."""
    kind = random.randrange(3)
    if kind == 0:
        return "kzp." + secrets.token_urlsafe(60)
    data = {"i": secrets.token_hex(32), "p": secrets.token_hex(32), "m": "otp",
            "e": time.time() + 1800}
    if kind == 1:
        return "kzp." + str(FORGER.dumps(data))
    return "kzp." + str(URLSafeTimedSerializer("change-me", salt=PROOF_SALT).dumps(data))


async def attacker(w: World, a: Attack, until: float) -> None:
    clients = [httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(local_address=addr),
                                 timeout=30, limits=httpx.Limits(max_connections=8))
               for addr in ATTACK_ADDRS]

    def seen(kind: str, r: httpx.Response) -> None:
        a.requests += 1
        a.statuses[f"{kind} {r.status_code}"] += 1

    async def one(c: httpx.AsyncClient, turn: int) -> None:
        iin = w.iins()
        start = random.choice(w.free) if w.free else rushdb.slot_starts(1)[0]
        spoof = {"X-Forwarded-For": f"10.{random.randrange(256)}.{random.randrange(256)}.1"}
        booking = {"iin": iin, "service": SERVICE, "center": w.center, "start": start}
        kind = turn % 5
        if kind in (0, 1):  # no proof at all
            r = await c.post(f"{w.url}/api/v1/bookings", json=booking, headers=spoof)
            seen("book/no proof", r)
            a.seats += r.status_code == 201
        elif kind == 2:  # a forged proof
            r = await c.post(f"{w.url}/api/v1/bookings", json=booking, headers={
                **spoof, "Authorization": f"Bearer {forged_token(iin)}"})
            seen("book/forged kzp", r)
            a.seats += r.status_code == 201
        elif kind == 3:  # a code to a made-up number, then guesses
            phone = f"+7707{random.randrange(10**7):07d}"
            r = await c.post(f"{w.url}/api/v1/identity/code",
                             json={"iin": iin, "phone": phone}, headers=spoof)
            seen("code", r)
            if r.status_code != 201:
                return
            challenge = r.json()["challenge"]
            for _ in range(5):
                r = await c.post(f"{w.url}/api/v1/identity/verify", headers=spoof, json={
                    "challenge": challenge, "code": f"{random.randrange(10**6):06d}"})
                seen("verify", r)
                if r.status_code == 200:
                    a.tokens += 1
                    r = await c.post(f"{w.url}/api/v1/bookings", json=booking, headers={
                        "Authorization": f"Bearer {r.json()['token']}"})
                    seen("book/guessed code", r)
                    a.seats += r.status_code == 201
                    return
                if r.status_code == 429:
                    return
        else:  # the waitlist
            day = (dt.date.today() + dt.timedelta(days=random.randint(1, 30))).isoformat()
            r = await c.post(f"{w.url}/api/v1/waitlist", headers=spoof, json={
                "iin": iin, "service": SERVICE, "center": w.center, "day": day})
            seen("waitlist", r)
            a.waitlisted += r.status_code == 201

    async def lane(n: int) -> None:
        c, turn = clients[n % len(clients)], n
        while time.perf_counter() < until:
            try:
                await one(c, turn)
            except httpx.HTTPError as exc:
                a.statuses[type(exc).__name__] += 1
            turn += 1

    async def refresh() -> None:  # the attacker keeps its list of free times fresh
        async with httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(
                local_address=ATTACK_ADDRS[0]), timeout=30) as c:
            while time.perf_counter() < until:
                with contextlib.suppress(httpx.HTTPError):
                    w.free = [str(s["start"]) for s in await free_slots(c, w)]
                await asyncio.sleep(1.0)

    try:
        await asyncio.gather(refresh(), *(lane(n) for n in range(ATTACK_CONCURRENCY)))
    finally:
        for c in clients:
            await c.aclose()


async def attack_phase(w: World, seconds: float, concurrency: int) -> tuple[Attack, Genuine]:
    until = time.perf_counter() + seconds
    a, g = Attack(), Genuine()
    await asyncio.gather(attacker(w, a, until),
                         citizens(w, g, concurrency, until=until, full=w.protected))
    return a, g


# --- the run -------------------------------------------------------------------------

@dataclass
class Phase:
    seats_before: int
    attack: Attack
    genuine: Genuine
    seats_after: int


def run(args: argparse.Namespace) -> dict[str, object]:
    gateway = Gateway()
    db = rushdb.create(PG_ADMIN)
    print(f"bench database {db.name}; fake SMS gateway {gateway.url}", flush=True)
    tmp = tempfile.TemporaryDirectory(prefix="kezek-abuse-")
    out: dict[str, object] = {}
    try:
        center = rushdb.seed(db, args.windows, args.days)
        env = {"KEZEK_DATABASE_URL": db.url, "KEZEK_ENV": "development",
               "KEZEK_IIN_KEY": secrets.token_hex(32), "KEZEK_SECRET_KEY": secrets.token_hex(32),
               "KEZEK_SMS_URL": gateway.url, "KEZEK_JOBS_FILE": f"{tmp.name}/jobs.db",
               "KEZEK_LOG_LEVEL": "ERROR", "KEZEK_LOG_JSON": "true"}
        iins = IinSource(args.seed)
        w = World("", center, gateway, iins, protected=True)

        for protected in (True, False):
            label = "protected" if protected else "reference"
            if not protected:
                asyncio.run(_set_identity(db.url, "none"))
            server = Kezek({**env, "KEZEK_THROTTLE": "true" if protected else "false"},
                           args.workers)
            try:
                w.url, w.protected = server.url, protected
                seats = asyncio.run(count_seats(w))
                out.setdefault("seats_total", seats)
                print(f"  {label}: {seats:,} free seats; burst of {args.burst} citizens "
                      f"({'whole flow' if protected else 'booking directly'}) ...", flush=True)
                g = Genuine()
                elapsed = asyncio.run(citizens(w, g, args.citizens, people=args.burst,
                                               full=protected))
                out[f"burst_{label}"] = (g, elapsed)
                before = asyncio.run(count_seats(w))
                print(f"  {label}: attack for {args.seconds:g} s on {before:,} free seats, "
                      f"{args.citizens} citizens booking meanwhile ...", flush=True)
                a, g = asyncio.run(attack_phase(w, args.seconds, args.citizens))
                after = asyncio.run(count_seats(w))
                out[label] = Phase(before, a, g, after)
            finally:
                server.stop()
        out["held"] = rushdb.check(db, "bookings")
        out["sms"] = gateway.count
    finally:
        rushdb.drop(db)
        gateway.stop()
        tmp.cleanup()
    return out


def render(args: argparse.Namespace, out: dict[str, object], minutes: float) -> str:
    prot, ref = out["protected"], out["reference"]
    assert isinstance(prot, Phase) and isinstance(ref, Phase)
    bp, bp_s = out["burst_protected"]  # type: ignore[misc]
    bu, bu_s = out["burst_reference"]  # type: ignore[misc]
    rate_p, rate_u = bp.booked / bp_s, bu.booked / bu_s
    ratio = rate_p / rate_u if rate_u else 0.0

    def share(p: Phase) -> float:
        return p.attack.seats / p.seats_before if p.seats_before else 0.0

    def success(g: Genuine) -> float:
        return g.booked / g.tried if g.tried else 0.0

    def lat(g: Genuine) -> str:
        if not g.latencies:
            return "-"
        return (f"{percentile(g.latencies, 50):,.0f} / "
                f"{percentile(g.latencies, 99):,.0f}")

    def fails(g: Genuine) -> str:
        return ", ".join(f"{k}: {v}" for k, v in g.failures.most_common()) or "-"

    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    held = out["held"]
    assert isinstance(held, dict)
    cmd = ".venv/bin/python -m bench.abuse" + (
        f" --seconds {args.seconds:g}" if args.seconds != 60 else "") + (
        f" --workers {args.workers}" if args.workers != 2 else "")
    lines = [
        "## Abuse (issue 11)", "",
        f"Date: {dt.date.today().isoformat()} (run took {minutes:.1f} min). "
        f"Machine: {os.cpu_count()} cores, "
        f"PostgreSQL on 127.0.0.1 ({args.pg_settings}); attacker, citizens, fake SMS "
        "gateway and servers share the cores.", "",
        f"Rerun: `{cmd}` (from the repository root).", "",
        f"Setup: `kezek serve --workers {args.workers}` (default settings: `identity: otp` "
        "with first-use binding, throttling in process, so each worker counts on its "
        "own), KEZEK_SMS_URL at a fake gateway on loopback that records every message "
        f"(dev_code is null); one centre, {args.windows} windows of one seat, "
        f"{args.days} days of 15-minute slots, service {SERVICE}: "
        f"{out['seats_total']:,} seats from the slots API. Attacker: "
        f"{ATTACK_CONCURRENCY} concurrent requests from {ATTACK_ADDRS[0]}-"
        f"{ATTACK_ADDRS[-1]} (a random spoofed X-Forwarded-For on each), a fresh "
        "made-up IIN valid by check digit per attempt, in turn: booking with no proof "
        "(2 of 5), booking with a forged `kzp.` token (junk, or well-formed and signed "
        "with a guessed key), a code for the IIN at a made-up number then 5 guesses at "
        "/identity/verify, a waitlist join. Genuine citizens: "
        f"{args.citizens} at a time, each a distinct IIN, a distinct number and a "
        "distinct address in a /24 of its own (127.1.0.1, 127.1.1.1, ...): on one "
        "address they would hit `identity.send:addr` (10/minute) and on one /24 "
        "`identity.send:net` (60/minute); the whole booking is code, read the SMS from "
        "the gateway, verify, list slots, book (up to 3 tries if the slot went). "
        f"Attack phases last {args.seconds:g} s; the reference restarts the server with "
        "`identity: none` and KEZEK_THROTTLE=false.", "",
        "| run | free seats at start | attacker's seats | attacker's share | "
        "genuine booked / tried | genuine success | genuine p50 / p99 ms | "
        "genuine failures | attacker requests |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, p in (("protected", prot), ("reference (none, no throttle)", ref)):
        lines.append(
            f"| {name} | {p.seats_before:,} | {p.attack.seats:,} | {share(p):.2%} | "
            f"{p.genuine.booked:,} / {p.genuine.tried:,} | {success(p.genuine):.1%} | "
            f"{lat(p.genuine)} | {fails(p.genuine)} | {p.attack.requests:,} |")
    lines += [
        "",
        "| burst (no attacker) | people | booked | seconds | genuine bookings/s | "
        "p50 / p99 ms |",
        "|---|---|---|---|---|---|",
        f"| protected (code, SMS, verify, slots, book) | {bp.tried} | {bp.booked} | "
        f"{bp_s:.1f} | {rate_p:.1f} | {lat(bp)} |",
        f"| unprotected (slots, book) | {bu.tried} | {bu.booked} | {bu_s:.1f} | "
        f"{rate_u:.1f} | {lat(bu)} |",
        "",
        f"- Attacker's share of the centre's free seats: protected {share(prot):.2%} "
        f"({prot.attack.seats} seats; target <= {TARGET_SHARE:.0%}: "
        f"{met(share(prot) <= TARGET_SHARE)}), reference {share(ref):.1%} "
        f"({ref.attack.seats:,} of {ref.seats_before:,}; {ref.seats_after:,} left free).",
        f"- Genuine success under attack, protected: {success(prot.genuine):.1%} "
        f"(target >= {TARGET_SUCCESS:.0%}: {met(success(prot.genuine) >= TARGET_SUCCESS)}); "
        f"whole booking p50 / p99 {lat(prot.genuine)} ms. In the reference the attacker "
        f"leaves genuine citizens {success(ref.genuine):.1%}.",
        f"- Genuine bookings/s, protected {rate_p:.1f} vs unprotected {rate_u:.1f}: ratio "
        f"{ratio:.0%} (target >= {TARGET_RATIO:.0%}: {met(ratio >= TARGET_RATIO)}).",
        f"- Codes guessed by the attacker: {prot.attack.tokens} (protected); waitlist "
        f"places it got: {prot.attack.waitlisted} protected, {ref.attack.waitlisted:,} "
        f"reference (a place in line, not a seat). dev_code returned: "
        f"{prot.genuine.dev_codes + bp.dev_codes}. SMS sent: {out['sms']:,}.",
        f"- Bookings held in the database at the end: {held['bookings held']:,}; "
        f"overbooked (seats twice + slots over capacity + people over quota): "
        f"{held['seats held twice'] + held['slots over capacity'] + held['people over quota']}.",
        "", "Attacker's status codes, protected:", "",
        ", ".join(f"{k}: {v:,}" for k, v in sorted(prot.attack.statuses.items())), "",
        "Attacker's status codes, reference:", "",
        ", ".join(f"{k}: {v:,}" for k, v in sorted(ref.attack.statuses.items())),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.abuse", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=60.0, help="length of each attack phase")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--citizens", type=int, default=8, help="genuine citizens at a time")
    p.add_argument("--burst", type=int, default=200, help="people in each throughput burst")
    p.add_argument("--windows", type=int, default=2, help="windows of one seat")
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--seed", type=int, default=20261201)
    args = p.parse_args(argv)
    args.pg_settings = rushdb.server_settings(PG_ADMIN)
    t0 = time.monotonic()
    out = run(args)
    print(render(args, out, (time.monotonic() - t0) / 60))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
