"""Which centres can take a person for a service, asked of the booking rules themselves.

The answer comes from `eligible_windows`, the rule booking enforces: a centre is listed
when it would accept the booking, and marked privilege-only when only a privilege window
would (an online service at a booking-only centre). Nothing here decides anew.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog, network
from kezek.core.errors import ServiceNotOffered
from kezek.core.network import CenterKind
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.registry import Service
from kezek.store.models import CenterRow, CityRow

REDIRECTED = ("online", "privilege_only")


@dataclass(frozen=True, slots=True)
class Offer:
    centre: CenterRow
    city: CityRow
    privilege_only: bool


async def offering(s: AsyncSession, service: Service) -> list[Offer]:
    """Active centres that serve the service, in city order."""
    kind = CenterKind.SPECIALISED if service.specialised_only else CenterKind.GENERAL
    snap = await catalog.snapshot(s)
    out = []
    for row, city in await network.list_centers(s, kind=kind.value):
        ctx = snap.centers.get(row.id)
        if ctx is None:
            continue
        try:
            eligible_windows(ctx.center, service, ctx.windows, None)
            out.append(Offer(row, city, privilege_only=False))
        except ServiceNotOffered as exc:
            if exc.params.get("reason") not in REDIRECTED:
                continue
            try:
                eligible_windows(ctx.center, service, ctx.windows, Privilege.PENSIONER)
            except ServiceNotOffered:
                continue
            out.append(Offer(row, city, privilege_only=True))
    return out
