"""Start-up cost: importing the ASGI app and running `kezek --help`, against importing
fastapi and sqlalchemy alone, in the same run (ADR 0016).

    .venv/bin/python -m bench.startup            # 7 runs each, writes RESULTS.md
    .venv/bin/python -m bench.startup --quick    # 3 runs each, prints only

Each figure is the wall time of a fresh interpreter, run in turn with the reference
(A B A B ...) so that a machine that speeds up or slows down during the run moves both;
the ratio is taken pair by pair and its median reported. Absolute seconds on this shared
two-core machine drift with the load; the ratio is the figure to compare between runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results import write_section

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
REFERENCE = ("import fastapi, sqlalchemy", [PY, "-c", "import fastapi, sqlalchemy"])
SUBJECTS = {
    "import kezek.api.asgi": [PY, "-c", "import kezek.api.asgi"],
    "kezek --help": [PY, "-m", "kezek.cli", "--help"],
}


def wall(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def measure(runs: int, env: dict[str, str]) -> dict[str, tuple[list[float], list[float]]]:
    """For each subject: its times and the reference's, taken in alternation."""
    out = {}
    for name, cmd in SUBJECTS.items():
        wall(cmd, env)  # warm-up: byte-code compiled, files in the page cache
        wall(REFERENCE[1], env)
        mine, ref = [], []
        for _ in range(runs):
            mine.append(wall(cmd, env))
            ref.append(wall(REFERENCE[1], env))
        out[name] = (mine, ref)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--quick", action="store_true", help="3 runs each; RESULTS.md untouched")
    args = p.parse_args()
    runs = 3 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KEZEK_DATABASE_URL": f"sqlite:///{tmp}/k.db",
               "KEZEK_LOG_LEVEL": "WARNING"}
        results = measure(runs, env)
    load = os.getloadavg()[0]
    lines = [f"## Start-up: importing the app and `kezek --help` ({dt.date.today()})", "",
             f"`.venv/bin/python -m bench.startup --runs {runs}`: wall seconds of a fresh "
             f"interpreter, median of {runs} runs, each paired with `python -c \"import "
             "fastapi, sqlalchemy\"` run just after it; the ratio is the median of the "
             f"pairs' ratios. Load average (1 min) at the end: {load:.2f}.", "",
             "| command | median s (min-max) | reference median s | ratio to reference |",
             "|---|---|---|---|"]
    for name, (mine, ref) in results.items():
        ratio = statistics.median(a / b for a, b in zip(mine, ref, strict=True))
        lines.append(f"| `{name}` | {statistics.median(mine):.2f} ({min(mine):.2f}-"
                     f"{max(mine):.2f}) | {statistics.median(ref):.2f} | {ratio:.2f} |")
    text = "\n".join(lines)
    print(text)
    if not args.quick:
        write_section("startup", text)


if __name__ == "__main__":
    main()
