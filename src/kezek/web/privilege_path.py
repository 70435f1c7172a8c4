"""The centres where an online-only service is done at a privilege window.

The portal is the way for most people, but the booking rules keep a privilege window
for pensioners, people with a disability and large families (`eligible_windows`): the
service page lists those centres so that such a person can reach one (issue 13). The
booking flow behind each link asks for the privilege (privilege.html) and the door
checks it, as for any privileged booking.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog
from kezek.core.errors import KezekError
from kezek.core.policy import Privilege, eligible_windows
from kezek.core.registry import Service
from kezek.store.models import CityRow
from kezek.web.views import CentreChoice, offering_centres


async def privilege_window_centres(s: AsyncSession, service: Service, lang: str
                                   ) -> list[tuple[CityRow, list[CentreChoice]]]:
    """Centres that would take a privileged person for the service, grouped by city as
    `offering_centres` groups them; every one is for privileged people only."""
    snap = await catalog.snapshot(s)
    out = []
    for city, centres in await offering_centres(s, service, lang):
        kept = []
        for c in centres:
            ctx = snap.centers.get(c.id)
            if ctx is None:
                continue
            try:  # any privilege: the windows are the same for each
                eligible_windows(ctx.center, service, ctx.windows, Privilege.PENSIONER)
            except KezekError:
                continue
            kept.append(dataclasses.replace(c, privilege_only=True))
        if kept:
            out.append((city, kept))
    return out
