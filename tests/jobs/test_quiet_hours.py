"""A seat freed at night: offered to the first in line, announced at 08:00, held until
08:15, where it used to be held 00:12-00:27 while the person slept. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from kezek.jobs.queue import make_jobs
from tests.jobs.conftest import World, local
from tests.jobs.test_waitlist import cancel, entry_of, full_day, join


def with_quiet_hours(world: World, tmp_path: Path) -> World:
    settings = world.settings.model_copy(update={"quiet_hours": "22:00-08:00"})
    return dataclasses.replace(world, jobs=make_jobs(settings, tmp_path / "quiet.db"),
                               settings=settings)


async def test_a_night_offer_waits_for_the_morning(world: World, tmp_path: Path) -> None:
    world = with_quiet_hours(world, tmp_path)
    cid, day, booked = await full_day(world)
    _, first = await join(world, cid, day, email="first@example.kz", lang="ru")
    eve = day - dt.timedelta(days=1)
    await cancel(world, *booked[0])
    await world.run_due(local(eve, 0, 12))

    offered = await entry_of(world, first.id)
    assert offered.status == "offered" and offered.offer_expires_at is not None
    assert offered.offer_expires_at == local(eve, 8, 15).astimezone(dt.UTC)
    assert world.inbox.messages == []  # nobody is woken

    await world.run_due(local(eve, 7, 59))
    assert world.inbox.messages == [] and (await entry_of(world, first.id)).status == "offered"

    await world.run_due(local(eve, 8, 0))
    assert len(world.inbox.messages) == 1
    assert "08:15" in world.inbox.messages[0].get_content()
    await world.run_due(local(eve, 8, 1))
    assert len(world.inbox.messages) == 1  # told once

    await world.run_due(local(eve, 8, 16))
    assert (await entry_of(world, first.id)).status == "expired"


async def test_by_day_the_hold_is_the_setting(world: World, tmp_path: Path) -> None:
    world = with_quiet_hours(world, tmp_path)
    cid, day, booked = await full_day(world)
    _, first = await join(world, cid, day, email="first@example.kz")
    eve = day - dt.timedelta(days=1)
    await cancel(world, *booked[0])
    await world.run_due(local(eve, 14, 0))
    offered = await entry_of(world, first.id)
    assert offered.offer_expires_at == local(eve, 14, 15).astimezone(dt.UTC)
    assert len(world.inbox.messages) == 1
