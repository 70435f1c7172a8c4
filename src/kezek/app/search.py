"""The search index of the current catalog, built once per catalog version.

Every channel (web, bot, call centre, API, CLI) asks here, so a citizen finds the
same services whichever way they come. Building takes a few milliseconds for the
whole registry; a query then costs well under one.
"""

from __future__ import annotations

from collections import OrderedDict

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog
from kezek.core.registry import Service
from kezek.core.search.index import SearchIndex

# A few snapshots live at once (one per database in tests, old ones briefly after a
# reload); an index is kept for the newest of them, checked by identity.
_KEEP = 4
_indexes: OrderedDict[int, tuple[catalog.Snapshot, SearchIndex]] = OrderedDict()


def index_of(snap: catalog.Snapshot) -> SearchIndex:
    entry = _indexes.get(id(snap))
    if entry is not None and entry[0] is snap:
        _indexes.move_to_end(id(snap))
        return entry[1]
    index = SearchIndex(snap.services.values(), snap.situations)
    _indexes[id(snap)] = (snap, index)
    while len(_indexes) > _KEEP:
        _indexes.popitem(last=False)
    return index


async def find(session: AsyncSession, q: str, sector: str | None = None,
               include_inactive: bool = False, limit: int = 50) -> list[Service]:
    """Services for a citizen's words, best first."""
    hits = index_of(await catalog.snapshot(session)).query(q, limit=1000)
    out = [h.service for h in hits
           if (include_inactive or h.service.active)
           and (sector is None or h.service.sector.value == sector)]
    return out[:limit]
