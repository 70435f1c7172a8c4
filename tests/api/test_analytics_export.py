"""The floor's real record, exported to a data set, gives the visits that happened."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kezek.analytics import stats
from kezek.analytics.dataset import connect
from kezek.analytics.export import export
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.api.conftest import Api
from tests.conftest import random_iin


def _export(url: str, directory: Path) -> dict[str, int]:
    async def main() -> dict[str, int]:
        engine = make_engine(url)
        try:
            async with unit_of_work(make_sessionmaker(engine)) as session:
                return await export(session, directory)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def test_export_of_floor_activity(api: Api, tmp_path: Path) -> None:
    cid = api.centers["mixed"]
    door = api.add_user("door.x", "door", [cid])
    op = api.add_user("oper.x", "operator", [cid])
    iins = [random_iin() for _ in range(3)]
    tickets = []
    for iin, service in zip(iins, ("01010001", "03010001", "01010001"), strict=True):
        r = api.client.post(f"/api/v1/centers/{cid}/arrivals", headers=api.auth(door),
                            json={"iin": iin, "service": service})
        assert r.status_code == 201, r.text
        tickets.append(r.json()["ticket"]["id"])
    windows = {w["number"]: w["id"] for w in api.client.get(
        f"/api/v1/centers/{cid}/windows").json()}
    called = api.client.post(f"/api/v1/windows/{windows[1]}/call-next", headers=api.auth(op))
    first = called.json()["ticket"]["id"]
    for step in ("start", "finish"):
        assert api.client.post(f"/api/v1/tickets/{first}/{step}",
                               headers=api.auth(op)).status_code == 200
    counts = _export(api.url, tmp_path)
    assert counts["tickets"] == 3 and counts["visits"] == 3 and counts["events"] >= 6
    con = connect(tmp_path)
    outcomes = dict(con.execute("SELECT outcome, count(*) FROM visits GROUP BY 1").fetchall())
    assert outcomes == {"served": 1, "open": 2}
    served = con.execute("SELECT channel, kind, \"window\", started_at >= arrived_at, "
                         "finished_at >= started_at FROM visits WHERE outcome = 'served'"
                         ).fetchall()
    assert served == [("walk_in", "walk_in", 1, True, True)]
    by_sector = stats.services_by(con, "sector")
    assert by_sector.column("services") == [1]
    # No IIN (nor its masked form) leaves the database.
    for path in tmp_path.glob("*.parquet"):
        blob = path.read_bytes()
        assert not any(iin.encode() in blob for iin in iins)
        assert b"****" not in blob
