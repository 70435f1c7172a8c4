"""Search at the API: p50/p95 of GET /api/v1/services?q=... over the evaluation set,
and the engine's top-1 / top-3 hit rates, against a plain lookup in the same run.

A real `uvicorn` (one worker) on a fresh SQLite with the demo registry; the client
sends every query of tests/search/eval_queries.json (794 citizen queries, kk/ru/en)
in turn on one keep-alive connection, several rounds. The reference is
GET /api/v1/services/{code} (a dictionary lookup, the same middleware and JSON), so
the ratio says what searching adds to a request, whatever the machine is doing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.booking_rush import Server
from bench.results import write_section

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "search" / "eval_queries.json"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(client: httpx.Client, path: str, params: dict[str, str] | None = None
          ) -> tuple[float, httpx.Response]:
    t0 = time.perf_counter()
    r = client.get(path, params=params)
    return (time.perf_counter() - t0) * 1000, r


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="1 round; RESULTS.md untouched")
    args = p.parse_args()
    rounds = 1 if args.quick else args.rounds
    items = json.loads(QUERIES.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {"KEZEK_DATABASE_URL": f"sqlite:///{tmp}/k.db", "KEZEK_ENV": "development",
               "KEZEK_LOG_LEVEL": "WARNING", "KEZEK_THROTTLE": "false",
               "KEZEK_IIN_KEY": "bench-search-key-0123456789abcdef"}
        kezek = [sys.executable, "-m", "kezek.cli"]
        for step in (["db", "upgrade"], ["demo", "load", "--if-empty"]):
            subprocess.run(kezek + step, cwd=ROOT, env={**os.environ, **env}, check=True,
                           stdout=subprocess.DEVNULL)
        server = Server("kezek.api.asgi:app", env, workers=1)
        try:
            server.wait_ready()
            search, lookup = [], []
            top1 = top3 = 0
            with httpx.Client(base_url=server.url, timeout=10) as client:
                timed(client, "/api/v1/services", {"q": "паспорт"})  # builds the index
                for round_no in range(rounds):
                    for item in items:
                        ms, r = timed(client, "/api/v1/services", {"q": item["q"]})
                        assert r.status_code == 200, r.text
                        search.append(ms)
                        if round_no == 0:
                            codes = [s["code"] for s in r.json()][:3]
                            top1 += bool(codes) and codes[0] in item["expect"]
                            top3 += any(c in item["expect"] for c in codes)
                        ms, r = timed(client, f"/api/v1/services/{item['expect'][0]}")
                        assert r.status_code == 200, r.text
                        lookup.append(ms)
        finally:
            server.stop()
    n = len(items)
    ratio = pct(search, 95) / pct(lookup, 95)
    load = os.getloadavg()[0]
    text = "\n".join([
        "## Search at the API (issue 13, ADR 0029)", "",
        f"Date: {dt.date.today()}. Machine: 2 cores, shared; load average (1 min) at the "
        f"end: {load:.2f}.", "",
        "Rerun: `.venv/bin/python -m bench.search` (from the repository root).", "",
        f"Setup: `uvicorn kezek.api.asgi:app` (1 worker) on SQLite with the demo registry "
        f"(192 services, 2,404 aliases, 42 life situations); {n} queries of "
        f"tests/search/eval_queries.json x {rounds} rounds on one keep-alive connection; "
        "reference: GET /api/v1/services/{code} after each query.", "",
        "| request | n | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|",
        f"| search `?q=` | {len(search)} | {pct(search, 50):.2f} | {pct(search, 95):.2f} | "
        f"{pct(search, 99):.2f} |",
        f"| reference: one service by code | {len(lookup)} | {pct(lookup, 50):.2f} | "
        f"{pct(lookup, 95):.2f} | {pct(lookup, 99):.2f} |", "",
        f"- p95 of search {pct(search, 95):.2f} ms (target < 20 ms: "
        f"{'met' if pct(search, 95) < 20 else 'NOT met'}); ratio to the reference's p95: "
        f"{ratio:.2f}; mean {statistics.fmean(search):.2f} ms.",
        f"- Hit rates through the API: top-1 {top1 / n:.1%}, top-3 {top3 / n:.1%} "
        "(targets 80 % and 95 %).",
    ])
    print(text)
    if not args.quick:
        write_section("search", text)


if __name__ == "__main__":
    main()
