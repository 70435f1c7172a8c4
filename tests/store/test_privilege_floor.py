"""Privilege claims through the application services on SQLite and PostgreSQL: a booking's
claim follows it to the door's ticket, the door's decision follows it back to the booking
under either rule, the waitlist carries the claim to the offered seat, and the counts
see each visit once. The registry is a loopback HTTP server (tests/api/test_identity.py)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kezek import clock
from kezek.app import (
    arrivals,
    booking,
    network,
    privilege_door,
    privilege_policy,
    privilege_stats,
    waitlist,
)
from kezek.app.actor import CITIZEN, SYSTEM, Actor, Channel, Role
from kezek.app.booking import BookingRequest
from kezek.app.identity.directory import LocalDirectory, RegistryDirectory
from kezek.core.errors import NotFound
from kezek.core.policy import Privilege
from kezek.core.privilege import Decision, PrivilegeNotConfirmed
from kezek.store.db import unit_of_work
from kezek.store.models import AuditRow, BookingRow, CenterRow, FloorEventRow, TicketRow
from kezek.store.models_jobs import WaitlistEntryRow
from tests.api.test_identity import Recorder
from tests.conftest import IIN_KEY, next_weekday, random_iin

TZ = ZoneInfo("Asia/Almaty")
ADMIN = Actor("admin", 1, Role.ADMIN)
PENSIONER, SILENT, NOBODY = (random_iin() for _ in range(3))


@pytest.fixture
def registry() -> Iterator[RegistryDirectory]:
    server = Recorder({
        PENSIONER: (200, {"phones": ["+77010000001"], "privilege": "pensioner"}),
        NOBODY: (200, {"phones": ["+77010000002"], "privilege": None}),
        SILENT: (200, {"phones": ["+77010000003"]}),
    })
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield RegistryDirectory(server.url + "/lookup", None)
    server.shutdown()
    server.server_close()


def door(cid: int) -> Actor:
    return Actor("door.x", 9, Role.DOOR, frozenset({cid}))


async def _centre(sm, slug: str = "mixed") -> int:  # type: ignore[no-untyped-def]
    async with sm() as s:
        return int((await s.execute(select(CenterRow.id).where(CenterRow.slug == slug)))
                   .scalar_one())


async def _tonight(sm, cid: int) -> dt.datetime:  # type: ignore[no-untyped-def]
    """23:30 today, the centre opened late for it; the tests that book it pin the clock
    to a morning (`pinned_clock`), so it is ahead whenever they run."""
    start = dt.datetime.combine(clock.now().astimezone(TZ).date(), dt.time(23, 30), TZ)
    async with unit_of_work(sm) as s:
        await network.set_exception(s, cid, start.date(), "00:00", "23:59", "", ADMIN,
                                    Channel.API)
        await network.update_center(s, cid, {"latest_booking": "23:59"}, ADMIN, Channel.API)
    return start


async def _book(sm, iin: str, cid: int, start: dt.datetime,  # type: ignore[no-untyped-def]
                directory, privilege: Privilege | None = Privilege.PENSIONER) -> BookingRow:
    async with unit_of_work(sm) as s:
        return await booking.book(s, BookingRequest(iin, "01010001", cid, start, Channel.WEB,
                                                    privilege), IIN_KEY, CITIZEN,
                                  directory=directory)


async def _checked_in(sm, cid: int, row: BookingRow, iin: str,  # type: ignore[no-untyped-def]
                      start: dt.datetime) -> TicketRow:
    async with unit_of_work(sm) as s:
        ticket = await arrivals.check_in(s, cid, row.code, iin, IIN_KEY, door(cid),
                                         now=start - dt.timedelta(minutes=2))
    assert isinstance(ticket, TicketRow)
    return ticket


@pytest.mark.usefixtures("pinned_clock")
async def test_a_bookings_claim_goes_to_the_door_and_back(sm, registry) -> None:  # type: ignore[no-untyped-def]
    cid = await _centre(sm)
    start = await _tonight(sm, cid)
    silent = await _book(sm, SILENT, cid, start, registry)
    verified = await _book(sm, PENSIONER, cid, start, registry)
    assert (silent.privilege_status, verified.privilege_status) == ("claimed", "verified")
    with pytest.raises(PrivilegeNotConfirmed):
        await _book(sm, NOBODY, cid, start, registry)
    ticket = await _checked_in(sm, cid, silent, SILENT, start)
    assert (ticket.privilege_claim, ticket.privilege_status) == ("pensioner", "claimed")
    assert ticket.label.startswith("L")
    seen = await _checked_in(sm, cid, verified, PENSIONER, start)
    assert seen.privilege_status == "verified"
    async with sm() as s:
        assert [t.id for t in await privilege_door.open_claims(s, cid)] == [ticket.id]
    async with unit_of_work(sm) as s:
        done = await privilege_door.decide(s, cid, ticket.id, Decision.CONFIRM, door(cid))
    assert done.status.value == "confirmed" and done.ticket.privilege == "pensioner"
    async with sm() as s:
        row = await s.get(BookingRow, silent.id)
        assert row is not None and row.privilege_status == "confirmed"
        audit = (await s.scalars(select(AuditRow).where(
            AuditRow.action == "privilege.confirm"))).one()
        assert (audit.actor, audit.channel, audit.entity_id) == ("door.x", "door",
                                                                 str(ticket.id))
        assert audit.details["booking"] == silent.code
        assert SILENT not in str(audit.details)
        counted = await privilege_stats.counts(s, [cid])
    # two bookings claimed, each counted once (not again as its ticket)
    assert [(c.claims, c.verified, c.confirmed, c.rejected, c.open) for c in counted] == [
        (2, 1, 1, 0, 0)]


@pytest.mark.usefixtures("pinned_clock")
async def test_a_refused_claim_cancels_the_booking(sm, registry) -> None:  # type: ignore[no-untyped-def]
    cid = await _centre(sm)
    start = await _tonight(sm, cid)
    async with unit_of_work(sm) as s:
        await privilege_policy.change(s, {"rejected": "refuse"}, SYSTEM, Channel.CLI)
    iin = random_iin()
    row = await _book(sm, iin, cid, start, LocalDirectory(IIN_KEY))
    assert row.privilege_status == "claimed"
    ticket = await _checked_in(sm, cid, row, iin, start)
    with pytest.raises(NotFound):  # a ticket of this centre asked through another
        async with unit_of_work(sm) as s:
            other = await _centre(sm, "vehicle")
            await privilege_door.decide(s, other, ticket.id, Decision.REJECT, ADMIN)
    async with unit_of_work(sm) as s:
        done = await privilege_door.decide(s, cid, ticket.id, Decision.REJECT, door(cid))
    assert done.rule is not None and done.rule.value == "refuse"
    async with sm() as s:
        stored = await s.get(BookingRow, row.id)
        closed = await s.get(TicketRow, ticket.id)
        event = (await s.scalars(select(FloorEventRow).where(
            FloorEventRow.ticket_id == ticket.id).order_by(FloorEventRow.id.desc()))).first()
    assert stored is not None and (stored.status, stored.privilege_status) == (
        "cancelled", "rejected")
    assert closed is not None and (closed.status, closed.privilege) == ("left", None)
    assert closed.privilege_claim == "pensioner"
    assert event is not None and event.kind == "left" and event.details["rule"] == "refuse"


async def test_the_general_rule_keeps_the_visit_in_the_general_queue(sm) -> None:  # type: ignore[no-untyped-def]
    cid = await _centre(sm)
    async with unit_of_work(sm) as s:
        ticket = await arrivals.walk_in(s, cid, random_iin(), "01010001",
                                        Privilege.DISABILITY, IIN_KEY, door(cid))
    assert isinstance(ticket, TicketRow) and ticket.privilege_status == "claimed"
    async with unit_of_work(sm) as s:
        done = await privilege_door.decide(s, cid, ticket.id, Decision.REJECT, door(cid))
    assert done.rule is not None and done.rule.value == "general"
    assert (done.ticket.status, done.ticket.privilege) == ("waiting", None)
    async with sm() as s:
        event = (await s.scalars(select(FloorEventRow.kind).where(
            FloorEventRow.ticket_id == ticket.id).order_by(FloorEventRow.id))).all()
        counted = await privilege_stats.counts(s, [cid])
    assert event == ["arrived", "claim_rejected"]
    assert [(c.privilege, c.claims, c.rejected) for c in counted] == [("disability", 1, 1)]


async def test_the_waitlist_carries_the_verified_claim_to_the_seat(sm, registry) -> None:  # type: ignore[no-untyped-def]
    cid = await _centre(sm, "vehicle")
    day = next_weekday(days_ahead=2)
    async with unit_of_work(sm) as s:
        await network.set_exception(s, cid, day, "09:00", "09:15", "", ADMIN, Channel.API)
    first = dt.datetime.combine(day, dt.time(9, 0), TZ)
    taken = random_iin()
    async with unit_of_work(sm) as s:
        held = await booking.book(s, BookingRequest(taken, "04010001", cid, first,
                                                    Channel.WEB), IIN_KEY, CITIZEN)
    with pytest.raises(PrivilegeNotConfirmed):
        async with unit_of_work(sm) as s:
            await waitlist.join(s, waitlist.JoinRequest(NOBODY, "04010001", cid, day,
                                                        Channel.WEB, Privilege.PENSIONER),
                                IIN_KEY, CITIZEN, directory=registry)
    async with unit_of_work(sm) as s:
        entry = await waitlist.join(s, waitlist.JoinRequest(
            PENSIONER, "04010001", cid, day, Channel.WEB, Privilege.PENSIONER), IIN_KEY,
            CITIZEN, directory=registry)
    assert entry.privilege_status == "verified"
    async with unit_of_work(sm) as s:
        await booking.cancel(s, held.code, taken, IIN_KEY, CITIZEN, Channel.WEB)
    from kezek.app import waitlist_offers

    async with unit_of_work(sm) as s:
        await waitlist_offers.offer_freed(s, cid, day, dt.datetime.now(dt.UTC), 15)
    async with sm() as s:
        offered = await s.get(WaitlistEntryRow, entry.id)
        assert offered is not None and offered.booking_id is not None
        seat = await s.get(BookingRow, offered.booking_id)
    assert seat is not None and (seat.status, seat.privilege_claim, seat.privilege_status) == (
        "held", "pensioner", "verified")
    async with unit_of_work(sm) as s:
        accepted = await waitlist.accept(s, entry.code, PENSIONER, IIN_KEY, CITIZEN,
                                         Channel.WEB)
    assert (accepted.status, accepted.privilege_status) == ("active", "verified")


async def test_a_walk_in_claim_has_its_own_audit_row(sm) -> None:  # type: ignore[no-untyped-def]
    """The claim made at the door is audited with the staff member, as a booking's claim
    is with the booking; the IIN is not in it."""
    cid = await _centre(sm)
    iin = random_iin()
    async with unit_of_work(sm) as s:
        ticket = await arrivals.walk_in(s, cid, iin, "01010001", Privilege.PENSIONER,
                                        IIN_KEY, door(cid))
        plain = await arrivals.walk_in(s, cid, random_iin(), "01010001", None, IIN_KEY,
                                       door(cid))
    assert isinstance(ticket, TicketRow) and isinstance(plain, TicketRow)
    async with sm() as s:
        rows = (await s.scalars(select(AuditRow).where(
            AuditRow.action == "privilege.claim"))).all()
    assert [(r.actor, r.channel, r.entity, r.entity_id) for r in rows] == [
        ("door.x", "door", "ticket", str(ticket.id))]
    assert rows[0].details["privilege"] == "pensioner"
    assert rows[0].details["ticket"] == ticket.label
    assert iin not in str(rows[0].details)
