"""`kezek plan`: where new centres should open, with travel and waits before and after.

Mounted by `kezek.cli` as a sub-command. The planning package is pure and takes objects;
this module reads the files (the instance, the worked example, the demo network), prints
tables and writes the report. Bad input exits non-zero with one readable line.
"""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from kezek.cli.common import fail, read_json
from kezek.planning.example import almaty_vehicle
from kezek.planning.io import plan_to_dict, problem_from_dict
from kezek.planning.model import PlanningError, Problem
from kezek.planning.report import Plan, Scenario, SiteLoad, WaitModel, plan

plan_app = typer.Typer(help="Network planning: where new centres should open.",
                       no_args_is_help=True, add_completion=False)
out = Console(soft_wrap=True)

JSON_OPT = typer.Option(False, "--json", help="Print the report as JSON instead of tables.")
OUT_OPT = typer.Option(None, "--out", help="Also write the JSON report to this file.")
SIM_OPT = typer.Option(50_000, "--simulate", min=0,
                       help="Customers per site in the simulated wait check (0: formula only).")
SEED_OPT = typer.Option(0, "--seed", help="Seed of the simulation.")


def _run(problem: Problem, waits: WaitModel, as_json: bool, out_path: Path | None,
         simulate: int, seed: int, time_limit: float | None = None) -> None:
    try:
        result = plan(problem, waits, time_limit=time_limit, simulate=simulate, seed=seed)
    except PlanningError as exc:
        fail(str(exc))
        return
    report = plan_to_dict(result)
    if out_path is not None:
        try:
            out_path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                                encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {out_path}: {exc.strerror}")
    if as_json:
        out.print_json(json.dumps(report, ensure_ascii=False))
    else:
        show(result)
        if out_path is not None:
            out.print(f"report written to {out_path}", highlight=False)


@plan_app.command("almaty-vehicle")
def almaty_vehicle_cmd(
    k: int | None = typer.Option(None, "--k", min=0, help="New sites (default: the file's 3)."),
    as_json: bool = JSON_OPT, out_path: Path | None = OUT_OPT,
    simulate: int = SIM_OPT, seed: int = SEED_OPT,
) -> None:
    """The worked example: Almaty's vehicle-centre load; Talgar, Karasai and a 6th Almaty
    centre among the candidates."""
    example = read_json(resources.files("kezek.planning") / "data" / "almaty_vehicle.json")
    network = read_json(resources.files("kezek.demo") / "data" / "network.json")
    try:
        problem, waits = almaty_vehicle(example, network, k)
    except PlanningError as exc:
        fail(str(exc))
        return
    _run(problem, waits, as_json, out_path, simulate, seed)


@plan_app.command("solve")
def solve_cmd(
    path: Path = typer.Argument(..., help="The instance as JSON (see kezek.planning.io)."),
    k: int | None = typer.Option(None, "--k", min=0, help="New sites (overrides the file)."),
    at_most: bool = typer.Option(False, "--at-most", help="Open at most k (default: exactly)."),
    single: bool = typer.Option(False, "--single",
                                help="Send each district's visits of a sector to one site."),
    time_limit: float | None = typer.Option(None, "--time-limit", min=0.1,
                                            help="Seconds HiGHS may take."),
    as_json: bool = JSON_OPT, out_path: Path | None = OUT_OPT,
    simulate: int = SIM_OPT, seed: int = SEED_OPT,
) -> None:
    """Solve any instance given as JSON to proven optimality."""
    doc = read_json(path)
    if isinstance(doc, dict):
        if at_most:
            doc["exactly"] = False
        if single:
            doc["single_assignment"] = True
    try:
        problem, waits = problem_from_dict(doc, k)
    except PlanningError as exc:
        fail(f"{path}: {exc}")
        return
    _run(problem, waits, as_json, out_path, simulate, seed, time_limit)


def _minutes(x: float | None) -> str:
    if x is None:
        return "-"
    return "unbounded" if math.isinf(x) else f"{x:.1f}"


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def _worst(s: Scenario, attr: str) -> float | None:
    values = [getattr(x, attr) for x in s.sites if getattr(x, attr) is not None]
    return max(values) if values else None


def show(p: Plan) -> None:
    sol, within = p.solution, p.problem.within_km
    names = {s.id: s.name or s.id for s in p.problem.sites}
    out.print(f"[bold]Open {len(sol.opened)} new site(s):[/bold] "
              + (", ".join(names[i] for i in sol.opened) or "none"), highlight=False)
    out.print(f"HiGHS: {sol.status}, MIP gap {sol.mip_gap:.2g}, objective {sol.objective:,.0f} "
              f"visit-km, {sol.nodes} nodes, {sol.seconds:.2f} s", highlight=False)

    summary = Table(title="Travel and waits")
    summary.add_column("measure")
    summary.add_column("before (existing only)", justify="right")
    summary.add_column("after", justify="right")
    b, a = p.before, p.after
    rows = [
        ("assignment", b.mode, a.mode),
        ("open sites", str(len(b.sites)), str(len(a.sites))),
        ("travel, visit-km", f"{b.travel.total_visit_km:,.0f}", f"{a.travel.total_visit_km:,.0f}"),
        ("mean km per visit", f"{b.travel.mean_km:.1f}", f"{a.travel.mean_km:.1f}"),
        (f"visits within {within:g} km", _pct(b.travel.share_within),
         _pct(a.travel.share_within)),
        ("longest trip, km", f"{b.travel.max_km:.1f}", f"{a.travel.max_km:.1f}"),
        ("sites over capacity", str(_over(b.sites)), str(_over(a.sites))),
        ("worst mean wait, min (Erlang C)", _minutes(_worst(b, "mean_wait_minutes")),
         _minutes(_worst(a, "mean_wait_minutes"))),
        ("worst mean wait, min (simulated)", _minutes(_worst(b, "simulated_wait_minutes")),
         _minutes(_worst(a, "simulated_wait_minutes"))),
    ]
    for row in rows:
        summary.add_row(*row)
    out.print(summary)

    table = Table(title=f"Sites (mean wait in minutes; {p.waits.service_minutes:g}-minute "
                        f"service, standard {p.waits.max_wait_minutes:g} min)")
    for col in ("site", "kind", "visits before", "visits after", "use before", "use after",
                "windows", "wait before", "wait after", "simulated", "within std"):
        table.add_column(col, justify="left" if col in ("site", "kind") else "right",
                         no_wrap=col == "site", min_width=16 if col == "site" else None)
    before = {x.site: x for x in b.sites}
    for x in a.sites:
        was = before.get(x.site)
        table.add_row(x.site, "existing" if x.existing else "new",
                      f"{was.visits:,.0f}" if was else "-", f"{x.visits:,.0f}",
                      _pct(was.utilisation) if was else "-", _pct(x.utilisation),
                      str(x.windows or "-"), _minutes(was.mean_wait_minutes) if was else "-",
                      _minutes(x.mean_wait_minutes), _minutes(x.simulated_wait_minutes),
                      _pct(x.within_standard))
    out.print(table)


def _over(sites: tuple[SiteLoad, ...]) -> int:
    return sum(1 for x in sites if x.utilisation is not None and x.utilisation > 1 + 1e-9)
