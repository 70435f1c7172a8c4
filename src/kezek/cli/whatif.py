"""`kezek whatif`: change the network, simulate beside the baseline, one HTML report.

The planning package is pure and takes the day's demand as input; this command computes
it from the national calibration (kezek.analytics, which the pure packages may not
import), reads the scenario file, runs the comparison and writes index.html with PNG
charts and a CSV per table. Bad input exits 1 with one readable line.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import typer
from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console

from kezek.analytics import plots
from kezek.analytics.calibration import WEEKDAY_WEIGHT, CentreFacts, Targets, allocate, bucket_of
from kezek.analytics.generate import (
    BOOKED_SHARE,
    HOUR_PROFILE,
    NO_SHOW,
    PRIVILEGED,
    SECTOR_WEIGHT,
    calendar_days,
)
from kezek.analytics.stats import Table
from kezek.cli.common import fail, read_json
from kezek.core.network import CenterKind
from kezek.core.registry import Service
from kezek.planning.demo import Place, demo_places, demo_services
from kezek.planning.whatif import Comparison, Network, apply_all, compare
from kezek.planning.whatif_compare import METRICS, Estimate
from kezek.planning.whatif_io import ScenarioFile, scenario_from_dict
from kezek.planning.whatif_model import DemandShape, WhatIfError, split_visits
from kezek.planning.whatif_text import LANGS, PERCENT, metric, text
from kezek.sim.build import center_model

whatif_app = typer.Typer(help="What-if runs: change the network, simulate, compare.",
                         no_args_is_help=True, add_completion=False)
out = Console(soft_wrap=True)
CHARTED = ("mean_wait", "p90_wait", "within_standard", "utilisation", "peak_occupancy",
           "turned_away", "pushed")


def shape() -> DemandShape:
    """How visits arrive, from the generator's calibrated constants."""
    return DemandShape(
        booked_share={CenterKind.GENERAL: BOOKED_SHARE["general"],
                      CenterKind.SPECIALISED: BOOKED_SHARE["specialised"]},
        privileged_share={CenterKind.GENERAL: PRIVILEGED, CenterKind.SPECIALISED: 0.0},
        no_show=NO_SHOW, profile=tuple(float(x) for x in HOUR_PROFILE))


def calibrated_demand(places: Sequence[Place], services: Sequence[Service], load: float,
                      start: dt.date = dt.date(2025, 1, 6)
                      ) -> tuple[dict[str, dict[str, float]], Table]:
    """A typical working day (weekday weight 1) of the article's national figures.

    The half-year targets are allocated exactly over the centres (calibration.allocate).
    The demo network is a sample of the ~349 offices, so each bucket of centres carries at
    most `load` of its windows' capacity (open minutes over the mean counter time): a
    bucket the sample covers fully (Almaty's autoPSCs) keeps its whole volume if it fits.
    """
    days = calendar_days(start, 6)
    weighted = float(sum(WEEKDAY_WEIGHT[d.weekday()] for d in days))
    targets = Targets.for_period(6 / weighted)
    facts = [CentreFacts(p.center.city, p.center.kind is CenterKind.SPECIALISED,
                         len(p.windows)) for p in places]
    counts = allocate(facts, np.ones((len(places), 1), np.bool_), np.array([2]), targets)[:, 0]
    splits, capacity = [], []
    for p in places:
        model = center_model(p.center, p.windows, services)
        split = split_visits(p.center, model, services, 1.0, SECTOR_WEIGHT)
        by_code = {s.code: s for s in model.services}
        mean_service = sum(f * by_code[c].service_time.mean for c, f in split.items())
        splits.append(split)
        capacity.append(len(model.windows) * model.open_minutes / mean_service)
    buckets = sorted({bucket_of(f) for f in facts})
    rows, carried = [], {}
    for b in buckets:
        idx = [i for i, f in enumerate(facts) if bucket_of(f) == b]
        total = float(sum(counts[i] for i in idx))
        cap = sum(capacity[i] for i in idx)
        carried[b] = min(1.0, load * cap / total) if total else 0.0
        rows.append((b, len(idx), round(total), round(total * carried[b]),
                     round(100 * carried[b], 1), round(100 * total * carried[b] / cap, 1)))
    demand = {p.slug: {c: float(counts[i]) * carried[bucket_of(facts[i])] * f
                       for c, f in splits[i].items()}
              for i, p in enumerate(places)}
    table = Table("demand", ["bucket", "centres", "article_visits_per_day", "carried_per_day",
                             "carried_pct", "offered_load_pct"], rows)
    return demand, table


def baseline(load: float) -> tuple[Network, Table]:
    places, services = demo_places(), demo_services()
    demand, table = calibrated_demand(places, services, load)
    return Network(tuple(places), tuple(services), demand, shape()), table


def _fmt(e: Estimate, key: str, diff: bool = False) -> str:
    k = 100.0 if key in PERCENT else 1.0
    if not math.isfinite(e.mean):
        return "-"
    sign = "+" if diff and e.mean * k >= 0.05 else ""
    half = f" ± {e.half_width * k:.1f}" if math.isfinite(e.half_width) else ""
    star = "*" if diff and e.excludes_zero() else ""
    return f"{sign}{e.mean * k:.1f}{half}{star}"


def _rows(result_rows: list[tuple[str, dict[str, Estimate], dict[str, Estimate] | None]],
          lang: str) -> list[dict[str, Any]]:
    return [{"label": label, "cells": [(_fmt(v[m], m), _fmt(d[m], m, True) if d else "")
                                       for m in METRICS]}
            for label, v, d in result_rows]


def _csv_rows(c: Comparison) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    def cells(e: Estimate | None) -> tuple[Any, ...]:
        if e is None:
            return ("", "", "")
        return (round(e.mean, 4), round(e.low, 4), round(e.high, 4))
    net, cen = [], []
    for r in (c.baseline, *c.variants):
        for m in METRICS:
            net.append((r.name, m, *cells(r.network[m]), *cells(r.diff_network.get(m))))
        for slug in r.affected:
            if slug in r.centres:
                for m in METRICS:
                    d = r.diff_centres.get(slug, {}).get(m)
                    cen.append((r.name, slug, m, *cells(r.centres[slug][m]), *cells(d)))
    return net, cen


def write_report(c: Comparison, nets: dict[str, Network], spec: ScenarioFile, demand: Table,
                 out_dir: Path, lang: str, load: float) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    head = ("mean", "low", "high", "diff_mean", "diff_low", "diff_high")
    net_rows, cen_rows = _csv_rows(c)
    Table("network", ["scenario", "metric", *head], net_rows).write_csv(out_dir / "network.csv")
    Table("centres", ["scenario", "centre", "metric", *head],
          cen_rows).write_csv(out_dir / "centres.csv")
    demand.write_csv(out_dir / "demand.csv")
    Table("per_seed", ["scenario", "seed", *METRICS],
          [(r.name, s, *(round(k[m], 4) for m in METRICS))
           for r in (c.baseline, *c.variants) for s, k in zip(c.seeds, r.per_seed, strict=True)]
          ).write_csv(out_dir / "per_seed.csv")
    results = (c.baseline, *c.variants)
    charts = []
    for m in CHARTED:
        k = 100.0 if m in PERCENT else 1.0
        t = Table(m, ["scenario", "value"], [(r.name, r.network[m].mean * k) for r in results])
        (out_dir / f"network_{m}.png").write_bytes(plots.bars(t, "scenario", "value",
                                                              metric(m, lang)))
        charts.append(f"network_{m}.png")
    base = text("baseline", lang)
    variants = []
    for r in c.variants:
        shown = [s for s in r.affected if s in r.centres][:12]
        rows = []
        for slug in shown:
            if slug in c.baseline.centres:
                rows.append((f"{slug} · {base}", c.baseline.centres[slug]["p90_wait"].mean))
            rows.append((f"{slug} · {r.name}", r.centres[slug]["p90_wait"].mean))
        chart = None
        if rows:
            chart = f"{r.name}_p90_wait.png"
            (out_dir / chart).write_bytes(plots.bars(
                Table("p90", ["centre", "value"], [(a, float(np.nan_to_num(b)))
                                                   for a, b in rows]),
                "centre", "value", metric("p90_wait", lang)))
        net = nets[r.name]
        centre_rows: list[tuple[str, dict[str, Estimate] | None, dict[str, Estimate] | None,
                                str]] = []
        for slug in r.affected:
            before = nets["baseline"].places
            if any(p.slug == slug for p in before) and slug in c.baseline.centres:
                centre_rows.append((f"{slug} · {base}", c.baseline.centres[slug], None,
                                    _facts(nets["baseline"], slug, lang)))
            if slug in r.centres:
                centre_rows.append((f"{slug} · {r.name}", r.centres[slug],
                                    r.diff_centres.get(slug), _facts(net, slug, lang)))
            else:
                centre_rows.append((f"{slug} · {r.name}: closed", None, None, ""))
        variants.append({
            "name": r.name, "title": spec.title_of(
                next(v for v in spec.variants if v.name == r.name), lang),
            "chart": chart,
            "centres": [{"label": label, "facts": facts,
                         "cells": [(_fmt(v[m], m), _fmt(d[m], m, True) if d else "")
                                   for m in METRICS] if v else []}
                        for label, v, d, facts in centre_rows]})
    network_rows = _rows([(r.name, r.network, r.diff_network or None) for r in results], lang)
    env = Environment(loader=PackageLoader("kezek.planning", "templates"),
                      autoescape=select_autoescape(["html"]))
    page = env.get_template("whatif.html").render(
        lang=lang, t=lambda k: text(k, lang), title=spec.title,
        metrics=[metric(m, lang) for m in METRICS], network_rows=network_rows,
        charts=charts, variants=variants, demand=demand,
        method=text("method_body", lang).format(days=c.days, seeds=len(c.seeds), load=load),
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def _facts(net: Network, slug: str, lang: str) -> str:
    p = net.place(slug)
    return (f"{text('format', lang)} {p.center.format.value}, {len(p.windows)} "
            f"{text('windows', lang)}, {sum(net.visits(slug).values()):.0f} "
            f"{text('visits', lang)}")


def _run(path: Path | Any, out_dir: Path, days: int | None, seeds: int | None, lang: str,
         load: float | None) -> None:
    if lang not in LANGS:
        fail(f"unknown language {lang!r}; use kk, ru or en")
    doc = read_json(path)
    try:
        spec = scenario_from_dict(doc)
        n_days = days or spec.days or 5
        n_seeds = seeds or spec.seeds or 10
        use_load = load or spec.load or 0.8
        if n_days < 1 or n_seeds < 1:
            raise WhatIfError("days and seeds must be at least 1")
        base, demand = baseline(use_load)
        nets = {"baseline": base}
        for v in spec.variants:
            try:
                nets[v.name] = apply_all(base, v.changes)
            except WhatIfError as exc:
                raise WhatIfError(f"variant {v.name}: {exc}") from None
        comparison = compare(base, spec.variants, n_days, n_seeds)
    except WhatIfError as exc:
        fail(f"{path}: {exc}")
        return
    try:
        index = write_report(comparison, nets, spec, demand, out_dir, lang, use_load)
    except OSError as exc:
        fail(f"cannot write the report to {out_dir}: {exc.strerror}")
        return
    for r in comparison.variants:
        d = r.diff_network
        out.print(f"{r.name}: {metric('mean_wait', lang)} {_fmt(d['mean_wait'], 'mean_wait', True)}"
                  f", {metric('p90_wait', lang)} {_fmt(d['p90_wait'], 'p90_wait', True)}",
                  highlight=False)
    out.print(f"{text('written', lang)} {index}", highlight=False)


DAYS = typer.Option(None, "--days", min=1, help="Working days in a row per seed (default 5).")
SEEDS = typer.Option(None, "--seeds", min=1, help="Seeds 0..n-1 (default 10).")
LANG = typer.Option("en", "--lang", help="Report language: kk, ru or en.")
LOAD = typer.Option(None, "--load", min=0.05, max=2.0,
                    help="Most of its windows' capacity a bucket of centres carries (0.8).")


@whatif_app.command("run")
def run_cmd(path: Path = typer.Argument(..., help="The scenario file (JSON)."),
            out_dir: Path = typer.Option(..., "--out", help="Directory for the report."),
            days: int | None = DAYS, seeds: int | None = SEEDS, lang: str = LANG,
            load: float | None = LOAD) -> None:
    """Simulate the baseline and each variant of the scenario file; write one report."""
    _run(path, out_dir, days, seeds, lang, load)


@whatif_app.command("example")
def example_cmd(out_dir: Path = typer.Option(Path("whatif-report"), "--out"),
                days: int | None = DAYS, seeds: int | None = SEEDS, lang: str = LANG,
                load: float | None = LOAD) -> None:
    """The shipped example: Almaty booking-only, windows moved, +30 % vehicle demand,
    a 6th Almaty vehicle centre and one in Talgar."""
    _run(resources.files("kezek.planning") / "data" / "whatif_example.json", out_dir, days,
         seeds, lang, load)
