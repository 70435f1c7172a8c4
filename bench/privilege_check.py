"""What checking a privilege claim costs a booking: the registry round trip on loopback.

`python -m bench.privilege_check [--n 300]` starts a loopback registry, asks it N times
through `RegistryDirectory` and through `privilege_check.verify`, and prints the median
and 95th percentile. A booking without a claim never asks (tests/api/test_privilege_api.py
checks that), so this is the whole extra cost of a claimed booking, before the network
distance to a real registry.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kezek.app.identity.directory import RegistryDirectory
from kezek.app.privilege_check import verify
from kezek.core.policy import Privilege

IIN = "900101300017"
ANSWER = json.dumps({"phones": ["+77010000001"], "privilege": "pensioner"}).encode()


class _Registry(BaseHTTPRequestHandler):
    """A state registry on loopback that knows one pensioner."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(ANSWER)))
        self.end_headers()
        self.wfile.write(ANSWER)

    def log_message(self, *args: object) -> None:
        pass


async def _measure(directory: RegistryDirectory, n: int) -> tuple[list[float], list[float]]:
    lookups, verdicts = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        await directory.lookup(None, IIN)  # type: ignore[arg-type]  # the registry needs none
        lookups.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        verdict = await verify(None, directory, IIN, Privilege.PENSIONER)  # type: ignore[arg-type]
        verdicts.append((time.perf_counter() - t0) * 1000)
        assert verdict.status is not None and verdict.status.value == "verified"
    return lookups, verdicts


def _line(name: str, ms: list[float]) -> str:
    ms = sorted(ms)
    return (f"{name:<24} median {statistics.median(ms):6.2f} ms   "
            f"p95 {ms[int(len(ms) * 0.95) - 1]:6.2f} ms   n={len(ms)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        directory = RegistryDirectory(f"http://127.0.0.1:{port}/lookup", "token")
        lookups, verdicts = asyncio.run(_measure(directory, args.n))
    finally:
        server.shutdown()
        server.server_close()
    print(_line("registry lookup", lookups))
    print(_line("privilege_check.verify", verdicts))


if __name__ == "__main__":
    main()
