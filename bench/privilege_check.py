"""What checking a privilege claim costs a booking: the registry round trip on loopback.

`python -m bench.privilege_check [--n 300]` starts a loopback registry (the same
recording server the tests use), asks it N times through `RegistryDirectory` and through
`privilege_check.verify`, and prints the median and 95th percentile. A booking without a
claim never asks (tests/api/test_privilege_api.py checks that), so this is the whole
extra cost of a claimed booking, before the network distance to a real registry.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import threading
import time

from kezek.app.identity.directory import RegistryDirectory
from kezek.app.privilege_check import verify
from kezek.core.policy import Privilege
from tests.api.test_identity import Recorder

IIN = "900101300017"


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
    server = Recorder({IIN: (200, {"phones": ["+77010000001"], "privilege": "pensioner"})})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        directory = RegistryDirectory(server.url + "/lookup", "token")
        lookups, verdicts = asyncio.run(_measure(directory, args.n))
    finally:
        server.shutdown()
        server.server_close()
    print(_line("registry lookup", lookups))
    print(_line("privilege_check.verify", verdicts))


if __name__ == "__main__":
    main()
