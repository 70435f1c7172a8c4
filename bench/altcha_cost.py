"""What a proof-of-work challenge costs the client, at each size the rule hands out.

    .venv/bin/python -m bench.altcha_cost [--runs 5] [--no-browser]

For each size (`maxNumber`: the floor a page always solves, the first step past the
free allowance, then doublings up to the ceiling) it makes real challenges with
kezek.app.challenge and solves them three ways:

- `python`: a plain hashlib loop over the counter (what a bot in Python does);
- `library`: the `altcha` package's own solver (the reference implementation);
- `chromium`: the vendored widget on a real page in Debian's chromium (two WebCrypto
  workers, as a citizen's browser runs it), timed from page load to the filled field;
  the widget waits at least 500 ms (its `minDuration`), so small sizes show that floor.

The hidden counter is uniform below the size, so a solve costs size/2 hashes on
average; means over `--runs` challenges. Prints a table; writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from limits.aio.storage import MemoryStorage

from kezek.app.challenge import Challenges, solve
from kezek.app.throttle import Throttle
from kezek.core.pow import DEFAULT_RULE, PowRule

KEY = "bench-altcha-key-0123456789abcdefghij"
CHROMIUM = Path("/usr/bin/chromium")
LIMIT = 100.0  # seconds a page is given to solve


def sizes(rule: PowRule = DEFAULT_RULE) -> list[int]:
    out, size = [rule.floor], rule.base
    while size < rule.ceiling:
        out.append(size)
        size *= 4
    return [*out, rule.ceiling]


def python_solve(challenge: dict[str, Any]) -> int:
    p = challenge["parameters"]
    head = bytes.fromhex(p["salt"]) + bytes.fromhex(p["nonce"])
    prefix = bytes.fromhex(p["keyPrefix"])
    for counter in range(p["data"]["maxNumber"] + 1):
        if hashlib.sha256(head + counter.to_bytes(4, "big")).digest().startswith(prefix):
            return counter
    raise AssertionError("unsolved")


def timed(fn: Any, challenges: list[dict[str, Any]]) -> float:
    took = []
    for challenge in challenges:
        start = time.perf_counter()
        fn(challenge)
        took.append(time.perf_counter() - start)
    return statistics.mean(took)


def browser_times(sizes_: list[int], runs: int) -> dict[int, float]:
    """Mean seconds from page load to the widget's filled field, per size."""
    import uvicorn
    from playwright.sync_api import sync_playwright

    from kezek.api.app import create_app
    from kezek.api.challenge_deps import challenges_of
    from kezek.settings import Settings

    folder = tempfile.mkdtemp(prefix="kezek-altcha-bench-")
    app = create_app(Settings(database_url=f"sqlite:///{folder}/bench.db", env="test"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    out: dict[int, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/healthz")  # the app's state exists now
            for size in sizes_:
                # Every page's challenge at this size: the rule's floor is the size.
                request = type("R", (), {"app": app})()
                throttle = challenges_of(request).throttle  # type: ignore[arg-type]
                app.state.challenges = Challenges(
                    throttle, app.state.settings.secret_key,
                    PowRule(floor=size, free_per_address=10**6, free_per_network=10**6))
                took = []
                for _ in range(runs):
                    start = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}/bookings/find")
                    field = page.locator("input[name=altcha]")
                    while not (field.count() and field.first.input_value()):
                        if time.perf_counter() - start > LIMIT:
                            break  # the widget gives up after 90 s (its `timeout`)
                        time.sleep(0.02)
                    took.append(time.perf_counter() - start)
                out[size] = statistics.mean(took)
                print(f"chromium {size}: {out[size]:.2f} s", flush=True)
                if out[size] > LIMIT:
                    break
            browser.close()
    finally:
        server.should_exit = True
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--sizes", help="comma-separated maxNumbers (default: the rule's)")
    args = parser.parse_args()
    made = Challenges(Throttle(MemoryStorage()), KEY)
    table = []
    chosen = [int(x) for x in args.sizes.split(",")] if args.sizes else sizes()
    for size in chosen:
        batch = [made.make(size) for _ in range(args.runs)]
        table.append((size, timed(python_solve, batch), timed(solve, batch)))
        print(f"python {size}: {table[-1][1]:.3f} s, library {table[-1][2]:.3f} s", flush=True)
    web = {} if args.no_browser or not CHROMIUM.exists() else \
        browser_times([row[0] for row in table], args.runs)
    print(f"runs per size: {args.runs}; mean seconds per solve (expected size/2 hashes)")
    print(f"{'maxNumber':>10} {'python':>8} {'library':>8} {'chromium':>9} "
          f"{'python MH/s':>11}")
    for size, py, lib in table:
        browser = f"{'>' + str(int(LIMIT)):>9}" if web.get(size, 0) > LIMIT else \
            f"{web[size]:9.2f}" if size in web else f"{'-':>9}"
        print(f"{size:>10} {py:8.3f} {lib:8.3f} {browser} {size / 2 / py / 1e6:11.2f}")


if __name__ == "__main__":
    asyncio.set_event_loop_policy(None)
    main()
