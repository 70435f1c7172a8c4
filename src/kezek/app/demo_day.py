"""The living part of the demo: staff accounts for one centre and a day on its floor.

Why: a newcomer who runs `make run` should be able to sign in as door staff, a window
operator or a manager and see a floor with people on it, not an empty room. Everything
here goes through the application services a real day goes through (accounts, booking,
arrivals, calls), so quotas, ticket numbers, floor events and the audit log hold exactly
as they would; nothing is inserted behind their back.

The accounts have passwords printed in the README and on the console: they are never
created when KEZEK_ENV is production (`refuse_in_production`), whatever the caller says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import accounts, arrivals, calls, catalog, day_end
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.booking import BookingRequest, book
from kezek.app.identity.phone_import import parse
from kezek.app.slots import free_slots
from kezek.core.errors import Forbidden
from kezek.store.models import BookingRow, CenterRow, TicketRow, UserRow, WindowRow, utcnow

DEMO_CENTER = "astana-esil"
# Windows 6-8 of the demo centre serve every service: one operator account each.
OPERATOR_WINDOWS = (6, 7, 8)
# Paper or paper-and-online services that the general windows serve, in turn.
# Days looked ahead for the bookings: enough to pass a weekend and a holiday or two.
LOOK_DAYS = 7
SERVICES = ("01010001", "01020001", "02010001", "01040001", "01010002", "02020001")


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    at_centre: bool
    what: str


DEMO_ACCOUNTS = (
    DemoAccount("demo.admin", "Kezek-demo-admin-26", Role.ADMIN, False, "everything"),
    DemoAccount("demo.manager", "Kezek-demo-manager-26", Role.MANAGER, True,
                "the demo centre's manager view"),
    DemoAccount("demo.door", "Kezek-demo-door-26", Role.DOOR, True, "door: check-in, walk-ins"),
    *(DemoAccount(f"demo.window{n}", f"Kezek-demo-window{n}-26", Role.OPERATOR, True,
                  f"operator at window {n}") for n in OPERATOR_WINDOWS),
    DemoAccount("demo.callcentre", "Kezek-demo-callcentre-26", Role.CALL_CENTRE, False,
                "call-centre bookings"),
    DemoAccount("demo.analyst", "Kezek-demo-analyst-26", Role.ANALYST, False, "analytics"),
)


def refuse_in_production(env: str) -> None:
    """Demo accounts have published passwords: a production database never gets them."""
    if env == "production":
        raise Forbidden(detail="demo accounts and the demo day are never created in "
                               "production (KEZEK_ENV=production)")


async def demo_center_id(session: AsyncSession) -> int:
    center_id = await session.scalar(select(CenterRow.id).where(CenterRow.slug == DEMO_CENTER))
    if center_id is None:
        raise Forbidden(detail=f"the demo centre {DEMO_CENTER} is not loaded")
    return int(center_id)


async def create_accounts(session: AsyncSession, env: str, actor: Actor) -> list[UserRow]:
    """Creates the demo accounts that do not exist yet (so a repeated load adds nothing)."""
    refuse_in_production(env)
    center_id = await demo_center_id(session)
    made = []
    for account in DEMO_ACCOUNTS:
        taken = await session.scalar(select(UserRow.id).where(
            UserRow.username == account.username))
        if taken is not None:
            continue
        made.append(await accounts.create_user(
            session, account.username, account.password, account.role.value,
            [center_id] if account.at_centre else [], f"Demo {account.what}", actor,
            Channel.CLI))
    return made


async def existing_accounts(session: AsyncSession) -> list[DemoAccount]:
    """The demo accounts present in the database (what the console may show)."""
    names = set((await session.scalars(select(UserRow.username).where(
        UserRow.username.in_([a.username for a in DEMO_ACCOUNTS])))).all())
    return [a for a in DEMO_ACCOUNTS if a.username in names]


async def _operators(session: AsyncSession, center_id: int) -> dict[int, tuple[int, Actor]]:
    """Window number -> (window id, the operator account's actor) for windows 6-8."""
    out = {}
    for number in OPERATOR_WINDOWS:
        window_id = await session.scalar(select(WindowRow.id).where(
            WindowRow.center_id == center_id, WindowRow.number == number))
        user = await session.scalar(select(UserRow).where(
            UserRow.username == f"demo.window{number}"))
        assert window_id is not None and user is not None
        out[number] = (int(window_id), accounts.actor_of(user))
    return out


async def _ticket(session: AsyncSession, center_id: int, iin: str, service: str, key: bytes,
                  door: Actor) -> TicketRow:
    ticket = await arrivals.walk_in(session, center_id, iin, service, None, key, door)
    assert isinstance(ticket, TicketRow), "the demo centre is mixed: walk-ins get tickets"
    return ticket


async def seed_day(session: AsyncSession, key: bytes, people_csv: str, env: str,
                   now: dt.datetime | None = None) -> dict[str, int]:
    """A day at the demo centre, as of now: served, serving, called, waiting, booked.

    The first three demo people are left free for the newcomer to book with. Nothing is
    done if the centre already has bookings or tickets today (a repeated load)."""
    refuse_in_production(env)
    now = now or utcnow()
    center_id = await demo_center_id(session)
    ctx = await catalog.center(session, center_id)
    today = day_end.local_today(ctx.center.timezone, now)
    busy = await session.scalar(select(func.count()).select_from(TicketRow).where(
        TicketRow.center_id == center_id, TicketRow.day == today))
    booked = await session.scalar(select(func.count()).select_from(BookingRow).where(
        BookingRow.center_id == center_id, BookingRow.local_date == today))
    if busy or booked:
        return {}
    people = [line.iin for line in parse(people_csv)][3:]
    door_user = await session.scalar(select(UserRow).where(UserRow.username == "demo.door"))
    assert door_user is not None, "create_accounts first"
    door = accounts.actor_of(door_user)
    ops = await _operators(session, center_id)
    turn = iter(range(len(people)))

    def next_person() -> tuple[str, str]:
        i = next(turn)
        return people[i], SERVICES[i % len(SERVICES)]

    counts = {"served": 0, "serving": 0, "called": 0, "waiting": 0, "booked": 0}
    # Window 6 served two people and window 7 one; 7 now serves a fourth; 8 is calling.
    for number, finish in ((6, True), (6, True), (7, True), (7, False), (8, None)):
        window_id, operator = ops[number]
        await _ticket(session, center_id, *next_person(), key, door)
        called = await calls.call_next(session, window_id, operator)
        assert called is not None
        if finish is None:
            counts["called"] += 1
            continue
        await calls.start(session, called.id, operator)
        if finish:
            await calls.finish(session, called.id, operator)
        counts["served" if finish else "serving"] += 1
    for _ in range(3):  # walked in, waiting
        await _ticket(session, center_id, *next_person(), key, door)
        counts["waiting"] += 1
    # Two booked for about now, checked in at the door, waiting; six booked for later,
    # every half hour from an hour on (later today, or the next open days after hours:
    # then the two "booked for now" walk in instead, a booking of another day cannot
    # be checked in today).
    for n in range(8):
        iin, service = next_person()
        slots = [s.start for s in await free_slots(session, center_id, service, today,
                                                   LOOK_DAYS, now)]
        later = [s for s in slots if s >= now + dt.timedelta(hours=1 + (n - 2) / 2)]
        start = slots[0] if n < 2 else later[0]
        if n < 2 and start.date() != today:
            await _ticket(session, center_id, iin, service, key, door)
            counts["waiting"] += 1
            continue
        row = await book(session, BookingRequest(iin, service, center_id, start, Channel.WEB),
                         key, CITIZEN)
        if n < 2:
            await arrivals.check_in(session, center_id, row.code, iin, key, door)
            counts["waiting"] += 1
        else:
            counts["booked"] += 1
    return counts
