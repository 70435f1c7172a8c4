"""Loading the shipped demo registry and network into an empty database."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import demo_day, registry, situations
from kezek.app.actor import SYSTEM, Channel
from kezek.app.identity import phone_import
from kezek.app.network_io import import_network
from kezek.core.registry_io import registry_document
from kezek.store.models import CenterRow, ServiceRow


def demo_text(name: str) -> str:
    return resources.files("kezek.demo").joinpath("data", name).read_text(encoding="utf-8")


def demo_document(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(demo_text(name))
    return data


async def is_empty(session: AsyncSession) -> bool:
    services = await session.scalar(select(func.count()).select_from(ServiceRow))
    centers = await session.scalar(select(func.count()).select_from(CenterRow))
    return not services and not centers


async def load(session: AsyncSession, key: bytes, env: str = "development"
               ) -> dict[str, int]:
    """The registry, the network, and a few people with registered numbers to try the
    code step with (README, "Demo people"); the development sender shows the codes.

    Outside production also the demo staff accounts and a day at the demo centre
    (kezek.app.demo_day), so that a newcomer sees a floor with people on it; production
    gets neither (their passwords are published)."""
    services, named = registry_document(demo_document("registry.json"))
    created, updated = await registry.import_services(session, services, SYSTEM, Channel.CLI)
    await situations.replace_all(session, named, SYSTEM, Channel.CLI)
    counts = await import_network(session, demo_document("network.json"), SYSTEM, Channel.CLI)
    people = await phone_import.load(session, demo_text("people.csv"), key, SYSTEM,
                                     Channel.CLI)
    out = {"services": created + updated, **counts, "people": people}
    if env == "production":
        return out
    staff = await demo_day.create_accounts(session, env, SYSTEM)
    day = await demo_day.seed_day(session, key, demo_text("people.csv"), env)
    return {**out, "staff": len(staff), **day}
