"""bench/RESULTS.md holds one section per benchmark; each run replaces only its own."""

from __future__ import annotations

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = ("# Benchmark results\n\nEach section is written by its benchmark's last full run; "
          "the command to rerun it is in the section.\n")


def write_section(name: str, text: str, path: Path = RESULTS) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{text.rstrip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if not current.startswith("# Benchmark results"):
        current = HEADER  # an old single-benchmark file: start the sectioned form
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _m: block, current)
    else:
        updated = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(updated if updated.endswith("\n") else updated + "\n", encoding="utf-8")
