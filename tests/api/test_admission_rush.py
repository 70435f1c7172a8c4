"""A rush at the door of a real uvicorn over PostgreSQL: 40 walk-ins at once at a centre
that lets 4 people in, then two doors pressing "Admit" at once. The centre's lock is the
referee: never more than 4 inside, everyone else in the line outside."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest
from sqlalchemy import func, select

from kezek.store.db import make_engine
from kezek.store.models import FloorEventRow, TicketRow
from tests.api import test_concurrency
from tests.api.conftest import ADMIN_PASSWORD, ADMIN_USER
from tests.api.test_concurrency import Live
from tests.conftest import random_iin

pytestmark = pytest.mark.pg

LIMIT, PEOPLE = 4, 40
live = test_concurrency.live  # the real uvicorn over the seeded PostgreSQL database


def _token(client: httpx.Client, username: str, password: str) -> str:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def _door_staff(server: Live, cid: int, count: int) -> list[str]:
    """Sets the centre's limit and makes `count` door accounts; returns their tokens."""
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        admin = {"Authorization": f"Bearer {_token(client, ADMIN_USER, ADMIN_PASSWORD)}"}
        r = client.patch(f"/api/v1/centers/{cid}", headers=admin,
                         json={"occupancy_limit": LIMIT})
        assert r.status_code == 200, r.text
        tokens = []
        for i in range(count):
            name = f"door{i}"
            r = client.post("/api/v1/users", headers=admin, json={
                "username": name, "password": f"{name}-Tundra-Okapi-7", "role": "door",
                "centers": [cid]})
            assert r.status_code == 201, r.text
            tokens.append(_token(client, name, f"{name}-Tundra-Okapi-7"))
        return tokens


async def _at_once(server: Live, requests: list[tuple[str, str, dict[str, object] | None]]
                   ) -> list[httpx.Response]:
    """Sends every (token, path, body) on its own connection after a common start."""
    limits = httpx.Limits(max_connections=len(requests),
                          max_keepalive_connections=len(requests))
    async with httpx.AsyncClient(base_url=server.base_url, limits=limits,
                                 timeout=httpx.Timeout(45.0)) as client:
        go = asyncio.Event()

        async def one(token: str, path: str, body: dict[str, object] | None) -> httpx.Response:
            await go.wait()
            return await client.post(path, json=body,
                                     headers={"Authorization": f"Bearer {token}"})

        tasks = [asyncio.create_task(one(*r)) for r in requests]
        await asyncio.sleep(0.05)
        go.set()
        return await asyncio.gather(*tasks)


async def _floor(url: str, cid: int) -> tuple[Counter[str], int]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(select(TicketRow.status, func.count()).where(
                TicketRow.center_id == cid).group_by(TicketRow.status))).all()
            admitted = await conn.scalar(select(func.count()).select_from(FloorEventRow)
                                         .where(FloorEventRow.kind == "admitted"))
        return Counter({s: int(n) for s, n in rows}), int(admitted or 0)
    finally:
        await engine.dispose()


def test_forty_walk_ins_at_once_never_overfill_a_centre_of_four(live: Live) -> None:
    started = time.monotonic()
    cid = live.centers["mixed"]
    tokens = _door_staff(live, cid, 2)
    path = f"/api/v1/centers/{cid}/arrivals"
    rush = [(tokens[i % 2], path, {"iin": random_iin(), "service": "01010001"})
            for i in range(PEOPLE)]
    responses = asyncio.run(_at_once(live, rush))
    assert Counter(r.status_code for r in responses) == {201: PEOPLE}
    got = Counter(r.json()["ticket"]["status"] for r in responses)
    assert got == {"waiting": LIMIT, "outside": PEOPLE - LIMIT}
    places = sorted(r.json()["outside_place"] for r in responses
                    if r.json()["ticket"]["status"] == "outside")
    assert places[0] >= 1 and places[-1] <= PEOPLE - LIMIT
    assert len({r.json()["ticket"]["label"] for r in responses}) == PEOPLE
    floor, _ = asyncio.run(_floor(live.db_url, cid))
    assert floor == {"waiting": LIMIT, "outside": PEOPLE - LIMIT}

    # the centre empties (the limit is raised by 3), then both doors press Admit at once
    with httpx.Client(base_url=live.base_url, timeout=30) as client:
        admin = {"Authorization": f"Bearer {_token(client, ADMIN_USER, ADMIN_PASSWORD)}"}
        assert client.patch(f"/api/v1/centers/{cid}", headers=admin,
                            json={"occupancy_limit": LIMIT + 3}).status_code == 200
    presses = asyncio.run(_at_once(live, [(t, f"/api/v1/centers/{cid}/admit", None)
                                          for t in tokens * 4]))
    assert all(r.status_code == 200 for r in presses)
    assert sum(len(r.json()["admitted"]) for r in presses) == 3
    assert max(r.json()["occupancy"] for r in presses) == LIMIT + 3
    floor, admitted = asyncio.run(_floor(live.db_url, cid))
    assert floor == {"waiting": LIMIT + 3, "outside": PEOPLE - LIMIT - 3}
    assert admitted == 3
    assert time.monotonic() - started < 60
