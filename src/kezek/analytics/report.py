"""`kezek report`: one HTML page with charts and a CSV per table, from one data set.

The report is a directory an analyst can open offline or mail: index.html, the charts as
PNG files beside it and every table as CSV, so any figure can be checked or re-plotted.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from kezek.analytics import claims, plots, stats
from kezek.analytics.calibration import Targets
from kezek.analytics.stats import Filter, Table

TITLES = {
    "region": {"en": "Services by region", "ru": "Услуги по регионам",
               "kk": "Өңірлер бойынша қызметтер"},
    "month": {"en": "Services by month", "ru": "Услуги по месяцам",
              "kk": "Айлар бойынша қызметтер"},
    "sector": {"en": "Services by sector", "ru": "Услуги по сферам",
               "kk": "Салалар бойынша қызметтер"},
    "channel": {"en": "Services by booking channel", "ru": "Услуги по каналам записи",
                "kk": "Жазылу арналары бойынша қызметтер"},
    "centre": {"en": "Busiest centres", "ru": "Самые загруженные центры",
               "kk": "Ең жүктелген орталықтар"},
    "waits": {"en": "Wait and service time by sector (minutes)",
              "ru": "Ожидание и обслуживание по сферам (минуты)",
              "kk": "Салалар бойынша күту және қызмет көрсету уақыты (минут)"},
    "histogram": {"en": "Served visits by wait (minutes)",
                  "ru": "Обслуженные визиты по времени ожидания (минуты)",
                  "kk": "Күту уақыты бойынша қызмет көрсетілген келушілер (минут)"},
    "compliance": {"en": "Maximum wait met, by sector (%)",
                   "ru": "Соблюдение максимального ожидания по сферам (%)",
                   "kk": "Салалар бойынша ең ұзақ күту нормасының сақталуы (%)"},
    "no_shows": {"en": "No-shows by booking channel (%)", "ru": "Неявки по каналам записи (%)",
                 "kk": "Жазылу арналары бойынша келмегендер (%)"},
    "lead": {"en": "Days booked ahead", "ru": "За сколько дней записываются",
             "kk": "Неше күн бұрын жазылады"},
    "online": {"en": "In-person services also available online (%)",
               "ru": "Услуги в ЦОН, доступные онлайн (%)",
               "kk": "Онлайн да алуға болатын ХҚКО қызметтері (%)"},
    "privilege": {"en": "Privilege claims: verified by the registry, checked at the door",
                  "ru": "Льготы: подтверждены реестром, проверены на входе",
                  "kk": "Жеңілдіктер: тізілім растаған, кіреберісте тексерілген"},
    "calibration": {"en": "Calibration against the article's figures",
                    "ru": "Сверка с цифрами из статьи", "kk": "Мақаладағы сандармен салыстыру"},
}
HEADING = {"en": "Kezek: national statistics", "ru": "Kezek: статистика по сети",
           "kk": "Kezek: желі бойынша статистика"}


@dataclass
class Section:
    key: str
    title: str
    table: Table
    chart: str | None  # file name of the PNG beside index.html


def build(con: duckdb.DuckDBPyConnection, flt: Filter = Filter(),
          targets: Targets | None = None) -> list[tuple[str, Table]]:
    """Every table of the report, in order; the pages use the same list."""
    tables = [("region", stats.services_by(con, "region", flt)),
              ("month", stats.services_by(con, "month", flt)),
              ("sector", stats.services_by(con, "sector", flt)),
              ("channel", stats.services_by(con, "channel", flt)),
              ("centre", stats.services_by(con, "centre", flt, limit=15)),
              ("waits", stats.waits(con, "sector", flt)),
              ("histogram", stats.wait_histogram(con, flt)),
              ("compliance", stats.compliance(con, "sector", flt)),
              ("no_shows", stats.no_shows(con, "channel", flt)),
              ("lead", stats.lead_times(con, flt)),
              ("online", stats.online_shift(con, flt)),
              ("privilege", claims.claims(con, flt))]
    if targets is not None:
        tables.append(("calibration", stats.calibration(con, targets)))
    return [(k, t) for k, t in tables if t.rows]


# The tables that have a chart (chart() draws them; the rest read better alone).
CHARTED = frozenset({"region", "month", "sector", "channel", "centre", "waits", "histogram",
                     "compliance", "no_shows", "lead", "online"})


def chart(key: str, table: Table, title: str, fmt: str = "png",
          names: Mapping[str, str] | None = None) -> bytes | None:
    """The chart for a report table, or None where a table reads better alone; `names`
    label the series (a legend) in the reader's language."""
    if key in ("region", "sector", "channel", "centre"):
        return plots.bars(table, table.columns[0], "services", title, fmt)
    if key == "month":
        return plots.lines(table, "month", ["services"], title, fmt, names)
    if key == "waits":
        return plots.bars(table, "sector", "wait_p90", title, fmt)
    if key == "histogram":
        return plots.stacked(table, "wait_from", ["booked", "walk_in"], title, fmt, names)
    if key == "compliance":
        return plots.bars(table, "sector", "within_pct", title, fmt, line_at=100.0)
    if key == "no_shows":
        return plots.bars(table, "channel", "no_show_pct", title, fmt)
    if key == "lead":
        return plots.bars(table, "days_ahead", "share_pct", title, fmt, horizontal=False)
    if key == "online":
        return plots.lines(table, "month", ["online_capable_pct"], title, fmt, names)
    return None


def write(data_dir: Path, out: Path, lang: str = "en", flt: Filter = Filter()) -> Path:
    """Writes the report directory and returns the path of its index.html."""
    if lang not in HEADING:
        raise ValueError(f"unknown language {lang!r}; use kk, ru or en")
    from kezek.analytics.dataset import connect

    con = connect(data_dir)
    meta_path = data_dir / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    targets = Targets(**meta["targets"]) if "targets" in meta else None
    out.mkdir(parents=True, exist_ok=True)
    sections = []
    for key, table in build(con, flt, targets):
        title = TITLES[key][lang]
        table.write_csv(out / f"{key}.csv")
        image = chart(key, table, title)
        if image is not None:
            (out / f"{key}.png").write_bytes(image)
        sections.append(Section(key, title, table, f"{key}.png" if image else None))
    env = Environment(loader=PackageLoader("kezek.analytics", "templates"),
                      autoescape=select_autoescape(["html"]))
    page = env.get_template("report.html").render(
        lang=lang, heading=HEADING[lang], sections=sections, meta=meta,
        source=html.escape(str(data_dir)), filter=flt,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
