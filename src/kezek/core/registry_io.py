"""The registry's exchange formats: JSON objects and CSV rows, both ways.

Import must refuse a bad file whole, with the row that is wrong, so the
parsers raise ValidationFailed naming the record rather than skipping it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import Any

from kezek.core.errors import ValidationFailed
from kezek.core.registry import (
    Delivery,
    Names,
    Phrases,
    Sector,
    Service,
    Standard,
    validate_service,
)

CSV_COLUMNS = (
    "code", "name_kk", "name_ru", "name_en", "sector", "delivery", "specialised_only",
    "slot_minutes", "max_wait_minutes", "max_service_minutes", "fee_mci", "term_days", "active",
    "aliases_kk", "aliases_ru", "aliases_en", "documents_kk", "documents_ru", "documents_en",
)
# A CSV cell holds a list as texts separated by this; no name or document uses it.
LIST_SEPARATOR = ";"

_TRUE = {"1", "true", "yes", "y", "да", "иә"}
_FALSE = {"0", "false", "no", "n", "нет", "жоқ", ""}


def _bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{field}: not a yes/no value")


def service_from_dict(data: Mapping[str, Any]) -> Service:
    """Builds and validates a service from its JSON form."""
    try:
        names = data.get("names") or {}
        std = data.get("standard") or {}
        if not isinstance(names, Mapping) or not isinstance(std, Mapping):
            raise TypeError("names and standard must be objects")
        service = Service(
            code=str(data["code"]).strip(),
            names=Names(
                kk=str(names.get("kk", "")).strip(),
                ru=str(names.get("ru", "")).strip(),
                en=str(names.get("en", "")).strip(),
            ),
            sector=Sector(data["sector"]),
            delivery=Delivery(data["delivery"]),
            specialised_only=_bool(data.get("specialised_only", False), "specialised_only"),
            standard=Standard(
                slot_minutes=int(std.get("slot_minutes", 15)),
                max_wait_minutes=int(std.get("max_wait_minutes", 30)),
                max_service_minutes=int(std.get("max_service_minutes", 20)),
                fee_mci=float(std.get("fee_mci", 0)),
                term_days=int(std.get("term_days", 1)),
            ),
            active=_bool(data.get("active", True), "active"),
            aliases=Phrases.from_dict(data.get("aliases")),
            documents=Phrases.from_dict(data.get("documents")),
        )
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationFailed(detail=f"service {data.get('code', '?')}: {exc}") from exc
    try:
        return validate_service(service)
    except ValidationFailed as exc:
        raise ValidationFailed(detail=f"service {service.code}: {exc.params['detail']}") from exc


def service_to_dict(service: Service) -> dict[str, Any]:
    st = service.standard
    return {
        "code": service.code,
        "names": {"kk": service.names.kk, "ru": service.names.ru, "en": service.names.en},
        "sector": service.sector.value,
        "delivery": service.delivery.value,
        "specialised_only": service.specialised_only,
        "standard": {
            "slot_minutes": st.slot_minutes,
            "max_wait_minutes": st.max_wait_minutes,
            "max_service_minutes": st.max_service_minutes,
            "fee_mci": st.fee_mci,
            "term_days": st.term_days,
        },
        "active": service.active,
        "aliases": service.aliases.as_dict(),
        "documents": service.documents.as_dict(),
    }


def services_from_records(records: Iterable[Mapping[str, Any]]) -> list[Service]:
    """Validates every record; a duplicate code is an error, not an overwrite."""
    seen: set[str] = set()
    out: list[Service] = []
    for record in records:
        service = service_from_dict(record)
        if service.code in seen:
            raise ValidationFailed(detail=f"service {service.code}: duplicate code")
        seen.add(service.code)
        out.append(service)
    return out


_SITUATION = re.compile(r"[0-9]{4}")


def situations_from_records(records: object) -> dict[str, Names]:
    """Life situations of a registry file: [{"code": "0502", "names": {...}}, ...]."""
    if records is None:
        return {}
    if not isinstance(records, list):
        raise ValidationFailed(detail="situations must be a list")
    out: dict[str, Names] = {}
    for record in records:
        code = str(record.get("code", "")).strip() if isinstance(record, Mapping) else ""
        names = record.get("names") if isinstance(record, Mapping) else None
        if not _SITUATION.fullmatch(code) or not isinstance(names, Mapping):
            raise ValidationFailed(detail=f"situation {code or '?'}: needs a 4-digit code "
                                          "and names")
        if code in out:
            raise ValidationFailed(detail=f"situation {code}: duplicate code")
        named = Names(**{lang: str(names.get(lang, "")).strip()[:300]
                         for lang in ("kk", "ru", "en")})
        if not named.ru and not named.kk:
            raise ValidationFailed(detail=f"situation {code}: a name in Kazakh or Russian "
                                          "is required")
        out[code] = named
    return out


def situations_to_records(situations: Mapping[str, Names]) -> list[dict[str, Any]]:
    return [{"code": code, "names": {"kk": n.kk, "ru": n.ru, "en": n.en}}
            for code, n in sorted(situations.items())]


def registry_document(doc: object) -> tuple[list[Service], dict[str, Names]]:
    """A registry file's services and life situations: `{"services": [...],
    "situations": [...]}`, or a bare list of services."""
    if isinstance(doc, list):
        return services_from_records(doc), {}
    if not isinstance(doc, Mapping) or not isinstance(doc.get("services", []), list):
        raise ValidationFailed(detail='expected {"services": [...], "situations": [...]}')
    return (services_from_records(doc.get("services", [])),
            situations_from_records(doc.get("situations")))


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(LIST_SEPARATOR) if part.strip()]


def services_from_csv(text: str) -> list[Service]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), restval="")
    missing = {"code", "name_ru", "sector", "delivery"} - set(reader.fieldnames or ())
    if missing:
        raise ValidationFailed(detail=f"CSV lacks columns: {sorted(missing)}")
    records = []
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ValidationFailed(detail=f"CSV line {reader.line_num}: {exc}") from exc
    for row in rows:
        records.append({
            "code": row.get("code", ""),
            "names": {"kk": row.get("name_kk", ""), "ru": row.get("name_ru", ""),
                      "en": row.get("name_en", "")},
            "sector": row.get("sector", ""),
            "delivery": row.get("delivery", ""),
            "specialised_only": row.get("specialised_only", "false"),
            "standard": {k: row[k] for k in (
                "slot_minutes", "max_wait_minutes", "max_service_minutes", "fee_mci", "term_days")
                if row.get(k) not in (None, "")},
            "active": row.get("active", "true") or "true",
            **{kind: {lang: _split(row.get(f"{kind}_{lang}", "")) for lang in ("kk", "ru", "en")}
               for kind in ("aliases", "documents")},
        })
    return services_from_records(records)


def services_to_csv(services: Iterable[Service]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for s in services:
        st = s.standard
        writer.writerow([
            s.code, s.names.kk, s.names.ru, s.names.en, s.sector.value, s.delivery.value,
            str(s.specialised_only).lower(), st.slot_minutes, st.max_wait_minutes,
            st.max_service_minutes, st.fee_mci, st.term_days, str(s.active).lower(),
            *(LIST_SEPARATOR.join(getattr(p, lang)) for p in (s.aliases, s.documents)
              for lang in ("kk", "ru", "en")),
        ])
    return buf.getvalue()
