"""The failover drill's record (bench/failover.py): every answer with its time, the
figures drawn from them, and the section of bench/RESULTS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
from collections import Counter
from dataclasses import dataclass, field

EXPECTED = ("201", "409", "503", "429")  # anything else during the drill is a failure
WARMUP = 2.0  # seconds left out of the reference rate (pools filling, first requests)


@dataclass
class Timeline:
    """Times in seconds since the rush began."""

    kill: float = float("nan")
    promote_begun: float = float("nan")
    promoted: float = float("nan")
    killed_processes: int = 0


@dataclass
class Answer:
    at: float  # when the answer arrived
    outcome: str  # "201", "409 slot_full", "503 unavailable", "transport OSError", ...
    code: str | None = None


@dataclass
class Drill:
    answers: list[Answer] = field(default_factory=list)
    timeline: Timeline = field(default_factory=Timeline)
    seconds: float = 0.0

    def acknowledged(self) -> list[str]:
        return [a.code for a in self.answers if a.code]


@dataclass
class Figures:
    gap: float
    gap_from: float
    gap_to: float
    before_rate: float
    after_rate: float
    outcomes: Counter[str]
    outage_outcomes: Counter[str]
    unexpected: int
    acknowledged: int


def figures(drill: Drill) -> Figures:
    ok = sorted(a.at for a in drill.answers if a.code)
    edges = [0.0, *ok, drill.seconds]
    gap, gap_from, gap_to = max((b - a, a, b) for a, b in itertools.pairwise(edges))
    t = drill.timeline
    before = sum(1 for x in ok if WARMUP <= x < t.kill) / max(t.kill - WARMUP, 1e-9)
    back = next((x for x in ok if x > t.promoted), drill.seconds)
    after_from = back + 1.0
    after = (sum(1 for x in ok if x >= after_from) / (drill.seconds - after_from)
             if drill.seconds - after_from > 1 else 0.0)
    outcomes = Counter(a.outcome for a in drill.answers)
    outage = Counter(a.outcome for a in drill.answers if t.kill <= a.at <= back)
    unexpected = sum(n for k, n in outcomes.items() if k.split(" ", 1)[0] not in EXPECTED
                     or k == "201 without a code" or "without the error envelope" in k)
    return Figures(gap, gap_from, gap_to, before, after, outcomes, outage, unexpected,
                   len(ok))


def render(args: argparse.Namespace, runs: list[tuple[Drill, Figures, int, int]],
           pg: str) -> str:
    cmd = "python -m bench.failover" + (" --quick" if args.quick else "") + (
        f" --runs {args.runs}" if args.runs != 2 and not args.quick else "")
    lines = [
        "# Failover drill (PostgreSQL primary killed, standby promoted)", "",
        f"Date: {dt.date.today().isoformat()}. Machine: {os.cpu_count()} cores "
        f"({platform.machine()}), Python {platform.python_version()}, {pg}; two clusters "
        "on loopback, streaming, `synchronous_standby_names = 'FIRST 1 (standby1)'`, "
        "synchronous_commit on, fsync on. Load average (1 min) before: "
        f"{args.load_before:.2f}.", "",
        f"Rerun: `.venv/bin/{cmd}` (from the repository root).", "",
        f"Setup: `kezek serve --workers {args.workers}` over the multi-host URL "
        "(`?host=127.0.0.1:P1&host=127.0.0.1:P2&target_session_attrs=read-write`), demo "
        f"network, identity none, throttling off; {args.clients} concurrent clients book "
        f"distinct valid IINs into random free slots for {args.seconds:g} s; SIGKILL to "
        f"every primary process at {args.kill_at:g} s, `pg_ctl promote` {args.detect:g} s "
        f"later (the detection delay of a failover manager); a client waits "
        f"{args.backoff:g} s after a 503.", "",
        "| run | unavailable s (longest gap without 201) | kill → promoted s | "
        "bookings/s before kill | after promotion | ratio after/before | acknowledged | "
        "lost | other than 201/409/503/429 | answers during the outage |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, (drill, f, lost, _held) in enumerate(runs, start=1):
        t = drill.timeline
        during = ", ".join(f"{k}: {v}" for k, v in sorted(f.outage_outcomes.items()))
        ratio = f.after_rate / f.before_rate if f.before_rate else 0.0
        lines.append(
            f"| {i} | {f.gap:.2f} ({f.gap_from:.2f}-{f.gap_to:.2f}) | "
            f"{t.promoted - t.kill:.2f} | {f.before_rate:,.0f} | {f.after_rate:,.0f} | "
            f"{ratio:.0%} | {f.acknowledged:,} | {lost} | {f.unexpected} | {during or '-'} |")
    lines += ["", "Every answer of each run:", ""]
    for i, (_drill, f, lost, held) in enumerate(runs, start=1):
        all_ = ", ".join(f"{k}: {v:,}" for k, v in sorted(f.outcomes.items()))
        lines.append(f"- run {i}: {all_}; the promoted database holds {held:,} bookings "
                     f"for {f.acknowledged:,} acknowledged ({lost} of them missing).")
    worst_gap = max(f.gap for _d, f, _l, _h in runs)
    bad = sum(f.unexpected for _d, f, _l, _h in runs)
    lost_all = sum(lost for _d, _f, lost, _h in runs)
    lines += ["",
              f"- Longest unavailability: {worst_gap:.2f} s, of which {args.detect:g} s is "
              "the chosen detection delay before the promotion.",
              f"- Answers other than 201/409/503/429: {bad} (must be 0: "
              f"{'met' if bad == 0 else 'NOT met'}).",
              f"- Acknowledged bookings lost: {lost_all} (must be 0: "
              f"{'met' if lost_all == 0 else 'NOT met'}).",
              "- Bookings the promoted database holds beyond the acknowledged ones were "
              "committed while their answer was lost with the primary (the client saw "
              "503 or a cut connection): kept, not lost; the person finds them in their "
              "cabinet.",
              "- The reference for the rate after the promotion is the rate before the "
              f"kill in the same run (from {WARMUP:g} s; after: from 1 s after the first "
              "201 that followed the promotion). The promoted server runs alone, so its "
              "commits no longer wait for a standby.",
              "- The production way (Patroni, the detection delay, fencing): "
              "docs/failover.md."]
    return "\n".join(lines) + "\n"
