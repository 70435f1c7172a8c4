"""`kezek registry` and `kezek network`: the catalog of services and centres, from files
and one setting at a time. Bad input exits non-zero with one readable line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from kezek.cli.common import fail, out, read_json, run, whoami, write_text
from kezek.core.errors import KezekError

registry_app = typer.Typer(help="The registry of state services.", no_args_is_help=True)
network_app = typer.Typer(help="The network of centres.", no_args_is_help=True)


@registry_app.command("import")
def registry_import(path: Path) -> None:
    """Imports services from a CSV or JSON file (created or updated by code)."""
    from kezek.app import registry, situations
    from kezek.app.actor import Actor, Channel
    from kezek.core.registry import Names
    from kezek.core.registry_io import registry_document, services_from_csv

    named: dict[str, Names] = {}
    try:
        if path.suffix.lower() == ".csv":
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                fail(f"cannot read {path}: {exc.strerror}")
            services = services_from_csv(text)
        else:
            services, named = registry_document(read_json(path))
    except KezekError as exc:
        fail(f"{path}: {exc.params.get('detail', exc.code)}")
    actor = Actor("cli:" + whoami())

    async def both(s: Any) -> tuple[int, int]:
        counts = await registry.import_services(s, services, actor, Channel.CLI)
        await situations.replace_all(s, named, actor, Channel.CLI)
        return counts

    created, updated = run(both)
    out.print(f"imported {len(services)} services: {created} new, {updated} updated"
              + (f"; {len(named)} life situations" if named else ""))


@registry_app.command("export")
def registry_export(path: Path) -> None:
    """Writes the registry to a CSV or JSON file."""
    from kezek.app import registry, situations
    from kezek.core.registry_io import service_to_dict, services_to_csv, situations_to_records

    services = run(registry.export)
    if path.suffix.lower() == ".csv":
        write_text(path, services_to_csv(services))
    else:
        named = run(situations.export)
        write_text(path, json.dumps({"services": [service_to_dict(s) for s in services],
                                     "situations": situations_to_records(named)},
                                    ensure_ascii=False, indent=1))
    out.print(f"exported {len(services)} services to {path}")


@registry_app.command("search")
def registry_search(query: str, lang: str = "ru") -> None:
    """Finds services by words in any of the three languages."""
    from kezek.app import registry

    found = run(lambda s: registry.search(s, query))
    table = Table("code", "name", "sector", "delivery")
    for s in found:
        table.add_row(s.code, s.names.get(lang), s.sector.value, s.delivery.value)
    out.print(table)


@network_app.command("import")
def network_import(path: Path) -> None:
    """Imports cities, centres, windows, self-service points and holidays from JSON."""
    from kezek.app.actor import Actor, Channel
    from kezek.app.network_doc import parse_document
    from kezek.app.network_io import import_network
    from kezek.core.errors import ValidationFailed

    raw = read_json(path)
    if not isinstance(raw, dict):
        fail(f"{path}: not a network document (a JSON object with cities, centers, ...)")
    try:  # the shape, whole, before a connection is opened
        doc = parse_document(raw)
    except ValidationFailed as exc:
        fail(f"{path}: not a network document in Kezek's form: {exc.params['detail']}")
    actor = Actor("cli:" + whoami())
    counts = run(lambda s: import_network(s, doc, actor, Channel.CLI))
    out.print("imported: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@network_app.command("export")
def network_export(path: Path) -> None:
    """Writes the whole network to a JSON file."""
    from kezek.app.network_io import export_network

    doc = run(export_network)
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=1))
    out.print(f"exported {len(doc['centers'])} centres to {path}")


@network_app.command("centers")
def network_centers(region: str = "", city: str = "", kind: str = "") -> None:
    """Lists centres."""
    from kezek.app import network
    from kezek.core.network import CenterKind

    kinds = [k.value for k in CenterKind]
    if kind and kind not in kinds:
        fail(f"unknown kind {kind!r}; use one of {', '.join(kinds)}")
    rows = run(lambda s: network.list_centers(s, region or None, city or None, kind or None))
    table = Table("id", "slug", "city", "kind", "format", "name")
    for c, ci in rows:
        table.add_row(str(c.id), c.slug, ci.slug, c.kind, c.format, c.name_ru)
    out.print(table)


@network_app.command("set")
def network_set(center_id: int, field: str, value: str) -> None:
    """Changes one setting of a centre, e.g. `format booking_only` or `occupancy_limit 20`."""
    from kezek.app import network
    from kezek.app.actor import Channel

    parsed: Any = value
    if field in ("occupancy_limit", "slot_capacity", "horizon_days", "slot_minutes"):
        parsed = None if value in ("", "none") else _int(value)
    elif field in ("schedule", "policy"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            fail(f"{field}: expected JSON")
    elif field == "active":
        parsed = value.lower() in ("1", "true", "yes")
    run(lambda s: network.update_center(s, center_id, {field: parsed}, _cli_admin(),
                                         Channel.CLI))
    out.print(f"centre {center_id}: {field} set")


def _cli_admin() -> Any:
    from kezek.app.actor import Actor, Role

    return Actor("cli:" + whoami(), role=Role.ADMIN)


def _date(text: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"not a date (YYYY-MM-DD): {text}")


@network_app.command("exception")
def network_exception(center_id: int, day: str,
                      opens: str = typer.Option("", help="HH:MM; omit both to close the day"),
                      closes: str = "", note: str = "") -> None:
    """Closes a centre on a date, or sets that date's hours."""
    from kezek.app import network
    from kezek.app.actor import Channel

    when = _date(day)
    for name, text in (("--opens", opens), ("--closes", closes)):
        if text:
            _time(name, text)
    run(lambda s: network.set_exception(s, center_id, when, opens or None, closes or None,
                                         note, _cli_admin(), Channel.CLI))
    out.print(f"centre {center_id} on {when}: " + (f"{opens}-{closes}" if opens else "closed"))


@network_app.command("holiday")
def network_holiday(day: str, name_kk: str = "", name_ru: str = "", name_en: str = "") -> None:
    """Declares a national holiday (every centre closed unless it has its own exception)."""
    from kezek.app import network
    from kezek.app.actor import Channel

    when = _date(day)
    names = {"kk": name_kk, "ru": name_ru, "en": name_en}
    run(lambda s: network.add_holiday(s, when, names, _cli_admin(), Channel.CLI))
    out.print(f"holiday {when} set")


def _time(option: str, text: str) -> None:
    """An hour of the day (HH:MM), checked here: set_exception would raise a bare
    ValueError ("hour must be in 0..23") that no one turns into a line."""
    import datetime as dt

    try:
        dt.time.fromisoformat(text)
    except ValueError:
        fail(f"{option}: not a time of day (HH:MM): {text}")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        fail(f"not a number: {text}")
        raise
