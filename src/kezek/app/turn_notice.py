""""Your turn is near": one message to a booked person when few are ahead of them.

The line moves when a window calls someone; after that call commits, a job (never the
call's own transaction: a slow mail server must not hold a window) reads the centre's
line and tells each booked person with `ahead` or fewer people before them: their
ticket, how many are ahead, and to come into the hall (outside) or be ready (inside).

Like every notification it is claimed per booking, kind and channel (app/notify.py),
so a person hears it once however often the line moves; someone already called is no
longer waiting and is not told; a walk-in has no contact and is not told either.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import catalog, notify
from kezek.app.notices import Notice
from kezek.core.floor import TicketStatus, Waiting
from kezek.core.turn_near import near
from kezek.store.models import BookingRow, CenterRow, TicketRow
from kezek.store.models_channels import BookingContactRow
from kezek.store.models_jobs import NotificationClaimRow

KIND = "turn_near"
LANGS = ("kk", "ru", "en")

SUBJECT = {"kk": "Кезегіңіз жақындады", "ru": "Ваша очередь подходит",
           "en": "Your turn is near"}
LINES = {
    "ticket": {"kk": "Талон: {label}", "ru": "Талон: {label}", "en": "Ticket: {label}"},
    "ahead": {"kk": "Сіздің алдыңызда: {n} адам", "ru": "Перед вами: {n} чел.",
              "en": "People ahead of you: {n}"},
    "outside": {"kk": "Залға кіруге дайын болып, кіреберіске келіңіз.",
                "ru": "Подойдите ко входу: скоро вас пригласят в зал.",
                "en": "Please come to the entrance: you will be let into the hall soon."},
    "inside": {"kk": "Дайын болыңыз: табло мен дыбыстық хабарландыруды тыңдаңыз.",
               "ru": "Будьте готовы: следите за табло и объявлениями.",
               "en": "Please be ready: watch the board and listen for your number."},
}
SHORT = {
    "outside": {"kk": "ХҚО: {label} талоны, алдыңызда {n} адам. Кіреберіске келіңіз.",
                "ru": "ЦОН: талон {label}, перед вами {n}. Подойдите ко входу.",
                "en": "Centre: ticket {label}, {n} ahead of you. Please come to the door."},
    "inside": {"kk": "ХҚО: {label} талоны, алдыңызда {n} адам. Дайын болыңыз.",
               "ru": "ЦОН: талон {label}, перед вами {n}. Будьте готовы.",
               "en": "Centre: ticket {label}, {n} ahead of you. Please be ready."},
}


def text_of(label: str, ahead: int, outside: bool, centre: str, lang: str) -> Notice:
    """The notice's words; an unknown language is Russian."""
    lang = lang if lang in LANGS else "ru"
    where = "outside" if outside else "inside"
    subject = SUBJECT[lang]
    text = "\n".join([f"{subject}: {centre}", "", LINES["ticket"][lang].format(label=label),
                      LINES["ahead"][lang].format(n=ahead), "", LINES[where][lang]])
    return Notice(subject, text, SHORT[where][lang].format(label=label, n=ahead))


def ahead_setting(default: int, centre_rule: int | None) -> int:
    """The centre's own number when its floor rules set one, else the deployment's."""
    return default if centre_rule is None else centre_rule


async def _line(session: AsyncSession, center_id: int) -> tuple[list[Waiting],
                                                               list[Waiting], set[int]]:
    rows = (await session.execute(
        select(TicketRow.id, TicketRow.services, TicketRow.arrived_at, TicketRow.booked_start,
               TicketRow.privilege, TicketRow.status)
        .where(TicketRow.center_id == center_id, TicketRow.status.in_(
            (TicketStatus.WAITING.value, TicketStatus.OUTSIDE.value))))).all()
    inside: list[Waiting] = []
    outside: list[Waiting] = []
    for r in rows:
        w = Waiting(r.id, frozenset(r.services), r.arrived_at, r.booked_start,
                    r.privilege is not None)
        (outside if r.status == TicketStatus.OUTSIDE.value else inside).append(w)
    return inside, outside, {w.ticket_id for w in outside}


async def claim(session: AsyncSession, center_id: int, default_ahead: int, channels: set[str],
                now: dt.datetime, key: bytes | None = None) -> list[notify.Outgoing]:
    """Claims the notice for every booked person now near their turn at this centre who
    has a contact and was not told before; run in its own committed transaction."""
    ctx = await catalog.center(session, center_id)
    ahead = ahead_setting(default_ahead, ctx.floor.turn_near_ahead)
    inside, outside, out_ids = await _line(session, center_id)
    close = near(inside, outside, ahead, now, ctx.floor)
    if not close:
        return []
    told = set((await session.scalars(
        select(NotificationClaimRow.booking_id).join(
            TicketRow, TicketRow.booking_id == NotificationClaimRow.booking_id)
        .where(TicketRow.id.in_(close), NotificationClaimRow.kind == KIND))).all())
    rows = (await session.execute(
        select(TicketRow.id, TicketRow.label, TicketRow.booking_id, BookingRow.person_id,
               BookingContactRow)
        .join(BookingRow, BookingRow.id == TicketRow.booking_id)
        .join(BookingContactRow, BookingContactRow.booking_id == TicketRow.booking_id)
        .where(TicketRow.id.in_(close)))).all()
    out: list[notify.Outgoing] = []
    for ticket_id, label, booking_id, person_id, contact in rows:
        if booking_id is None or booking_id in told:
            continue
        targets = notify.addresses(contact.telegram_chat_id, contact.email, channels,
                                   notify.phone_of(contact.phone_cipher, person_id, key))
        if not targets:
            continue
        lang = contact.lang if contact.lang in LANGS else "ru"
        notice = text_of(label, close[ticket_id], ticket_id in out_ids,
                         await _centre_name(session, center_id, lang), lang)
        out += await notify.claim_all(session, booking_id, KIND, targets, notice, now)
    return out


async def _centre_name(session: AsyncSession, center_id: int, lang: str) -> str:
    row = await session.get(CenterRow, center_id)
    assert row is not None
    return str(getattr(row, f"name_{lang}") or row.name_ru)
