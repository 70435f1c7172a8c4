"""Staff API: changes to the registry and the network (accounts: routes_users.py).

Every change goes through an application service that writes the audit log with the
acting user and the channel `api`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from kezek.api.auth import Admin, AdminOrManager, NetworkReader
from kezek.api.body_examples import (
    BookingPolicyBody,
    CenterBody,
    CenterChange,
    RegistryBody,
    ServiceBody,
    WindowBody,
    WindowChange,
)
from kezek.api.deps import lang, tx
from kezek.api.schemas import HHMM, BodyId, CenterId, CenterOut, RowId, ServiceOut, Strict, example
from kezek.app import audit, network, registry, situations
from kezek.app.actor import Channel
from kezek.app.network_doc import NetworkDoc
from kezek.app.network_io import export_network, import_network
from kezek.core.registry_io import (
    registry_document,
    service_from_dict,
    service_to_dict,
    situations_to_records,
)
from kezek.store.models import CityRow

router = APIRouter(prefix="/api/v1")
API = Channel.API


@router.post("/services", status_code=201, response_model=ServiceOut, tags=["registry"])
async def create_service(request: Request, body: ServiceBody, actor: Admin) -> ServiceOut:
    """Adds a service: the same JSON shape as the registry export."""
    async with tx(request) as s:
        svc = await registry.create(s, service_from_dict(body), actor, API)
    return ServiceOut.of(svc, lang(request))


@router.put("/services/{code}", response_model=ServiceOut, tags=["registry"])
async def replace_service(request: Request, code: str, body: ServiceBody,
                          actor: Admin) -> ServiceOut:
    async with tx(request) as s:
        svc = await registry.replace(s, service_from_dict({**body, "code": code}), actor, API)
    return ServiceOut.of(svc, lang(request))


class ImportOut(BaseModel):
    created: int
    updated: int


@router.post("/registry/import", response_model=ImportOut, tags=["registry"])
async def import_registry(request: Request, body: RegistryBody, actor: Admin) -> ImportOut:
    """Imports `{"services": [...], "situations": [...]}` (life situations optional);
    the whole file is refused if one record is bad."""
    services, named = registry_document(body)
    async with tx(request) as s:
        created, updated = await registry.import_services(s, services, actor, API)
        await situations.replace_all(s, named, actor, API)
    return ImportOut(created=created, updated=updated)


@router.get("/registry/export", tags=["registry"])
async def export_registry(request: Request, _staff: NetworkReader) -> dict[str, Any]:
    async with tx(request) as s:
        return {"services": [service_to_dict(x) for x in await registry.export(s)],
                "situations": situations_to_records(await situations.export(s))}


@router.post("/centers", status_code=201, response_model=CenterOut, tags=["network"])
async def create_center(request: Request, body: CenterBody, actor: Admin) -> CenterOut:
    async with tx(request) as s:
        row = await network.create_center(s, body, actor, API)
        city = await s.get(CityRow, row.city)
        assert city is not None
        return CenterOut.of(row, city, lang(request))


@router.patch("/centers/{center_id}", response_model=CenterOut, tags=["network"])
async def update_center(request: Request, center_id: RowId, body: CenterChange,
                        actor: AdminOrManager) -> CenterOut:
    """Changes a centre's settings: format, hours, limits, policy overrides, ..."""
    async with tx(request) as s:
        row = await network.update_center(s, center_id, body, actor, API)
        city = await s.get(CityRow, row.city)
        assert city is not None
        return CenterOut.of(row, city, lang(request))


class WindowOut(BaseModel):
    id: int
    center: BodyId
    number: int
    privilege: bool
    scope: Any
    seats: int
    active: bool


def _window_out(w: Any) -> WindowOut:
    return WindowOut(id=w.id, center=w.center_id, number=w.number, privilege=w.privilege,
                     scope=network.scope_json(w), seats=w.seats, active=w.active)


@router.get("/centers/{center_id}/windows", response_model=list[WindowOut], tags=["network"])
async def windows(request: Request, center_id: RowId) -> list[WindowOut]:
    async with tx(request) as s:
        await network.center_row(s, center_id)
        return [_window_out(w) for w in await network.windows_of(s, center_id)]


@router.post("/centers/{center_id}/windows", status_code=201, response_model=WindowOut,
             tags=["network"])
async def add_window(request: Request, center_id: RowId, body: WindowBody,
                     actor: AdminOrManager) -> WindowOut:
    async with tx(request) as s:
        return _window_out(await network.add_window(s, center_id, body, actor, API))


@router.patch("/windows/{window_id}", response_model=WindowOut, tags=["network"])
async def update_window(request: Request, window_id: RowId, body: WindowChange,
                        actor: AdminOrManager) -> WindowOut:
    async with tx(request) as s:
        return _window_out(await network.update_window(s, window_id, body, actor, API))


class ExceptionIn(Strict):
    model_config = example(date="2027-07-05", opens="09:00", closes="13:00",
                           note="қысқартылған күн / сокращённый день")
    date: dt.date
    opens: str | None = Field(None, pattern=HHMM, examples=["09:00"])
    closes: str | None = Field(None, pattern=HHMM, examples=["13:00"])
    note: str = ""


@router.put("/centers/{center_id}/exceptions", status_code=204, tags=["network"])
async def set_exception(request: Request, center_id: CenterId, body: ExceptionIn,
                        actor: AdminOrManager) -> None:
    """Closes a centre for a day (no hours) or sets that day's hours."""
    async with tx(request) as s:
        await network.set_exception(s, center_id, body.date, body.opens, body.closes,
                                    body.note, actor, API)


class HolidayIn(Strict):
    model_config = example(date="2027-03-22",
                           names={"kk": "Наурыз мейрамы", "ru": "Праздник Наурыз", "en": "Nauryz"})
    date: dt.date
    names: dict[str, str] = {}


@router.post("/holidays", status_code=204, tags=["network"])
async def add_holiday(request: Request, body: HolidayIn, actor: Admin) -> None:
    async with tx(request) as s:
        await network.add_holiday(s, body.date, body.names, actor, API)


@router.get("/policy", tags=["network"])
async def get_policy(request: Request) -> dict[str, Any]:
    async with tx(request) as s:
        return (await network.network_policy(s)).to_dict()


@router.put("/policy", tags=["network"])
async def put_policy(request: Request, body: BookingPolicyBody, actor: Admin) -> dict[str, Any]:
    """Sets the network-wide booking policy; centres override fields via `policy`."""
    async with tx(request) as s:
        return (await network.set_network_policy(s, body, actor, API)).to_dict()


@router.post("/network/import", tags=["network"])
async def network_import(request: Request, body: NetworkDoc, actor: Admin) -> dict[str, int]:
    """Upserts a network document (the export's format) whole, or refuses it whole."""
    async with tx(request) as s:
        return await import_network(s, body, actor, API)


@router.get("/network/export", tags=["network"])
async def network_export(request: Request, _staff: NetworkReader) -> dict[str, Any]:
    async with tx(request) as s:
        return await export_network(s)


class AuditOut(BaseModel):
    id: int
    at: str
    actor: str
    channel: str
    action: str
    entity: str
    entity_id: str
    details: dict[str, Any]


@router.get("/audit", response_model=list[AuditOut], tags=["auth"])
async def audit_log(request: Request, entity: str | None = None,
                    limit: int = Query(100, ge=1, le=1000), *, _staff: Admin) -> list[AuditOut]:
    async with tx(request) as s:
        rows = await audit.recent(s, limit, entity)
    return [AuditOut(id=r.id, at=r.at.isoformat(), actor=r.actor, channel=r.channel,
                     action=r.action, entity=r.entity, entity_id=r.entity_id,
                     details=r.details) for r in rows]
