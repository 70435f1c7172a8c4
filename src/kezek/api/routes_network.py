"""Reference data of the network that everyone may read: regions, cities, holidays,
self-service points."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from kezek.api.deps import lang, tx
from kezek.app import network
from kezek.core.collation import sorted_by_name

router = APIRouter(prefix="/api/v1", tags=["network"])


class RegionOut(BaseModel):
    code: str
    name: str
    seat: str


class CityOut(BaseModel):
    slug: str
    region: str
    kind: str
    name: str


class PointOut(BaseModel):
    slug: str
    city: str
    name: str
    address: str
    lat: float | None
    lon: float | None
    hours: dict[str, list[str] | None]


class HolidayOut(BaseModel):
    date: str
    name: str


def _name(row: object, lang_: str, prefix: str = "name") -> str:
    value: str = getattr(row, f"{prefix}_{lang_}", "") or getattr(row, f"{prefix}_ru", "")
    return value


@router.get("/regions", response_model=list[RegionOut])
async def regions(request: Request) -> list[RegionOut]:
    """Regions and cities come in the alphabetical order of the requested language."""
    language = lang(request)
    async with tx(request) as s:
        rows = await network.regions(s)
    out = [RegionOut(code=r.code, name=_name(r, language), seat=r.seat) for r in rows]
    return sorted_by_name(out, lambda r: r.name, language)


@router.get("/cities", response_model=list[CityOut])
async def cities(request: Request, region: str | None = None) -> list[CityOut]:
    language = lang(request)
    async with tx(request) as s:
        rows = await network.cities(s, region)
    out = [CityOut(slug=c.slug, region=c.region, kind=c.kind, name=_name(c, language))
           for c in rows]
    return sorted_by_name(out, lambda c: c.name, language)


@router.get("/self-service-points", response_model=list[PointOut])
async def points(request: Request, city: str | None = None) -> list[PointOut]:
    """Places with a computer and help, for people sent to the portal."""
    language = lang(request)
    async with tx(request) as s:
        rows = await network.self_service_points(s, city)
    return [PointOut(slug=p.slug, city=p.city, name=_name(p, language),
                     address=_name(p, language, "address"), lat=p.lat, lon=p.lon, hours=p.hours)
            for p in rows]


@router.get("/holidays", response_model=list[HolidayOut])
async def holidays(request: Request) -> list[HolidayOut]:
    language = lang(request)
    async with tx(request) as s:
        rows = await network.holidays(s)
    return [HolidayOut(date=h.day.isoformat(), name=_name(h, language)) for h in rows]
