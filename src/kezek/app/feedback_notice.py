"""The feedback request sent once after a served visit.

Telegram gets the question with five buttons under it (one tap answers, in the same
chat: bot/feedback.py); e-mail and SMS get a short link to /feedback/{token}
(app/feedback.py), a page with the same five choices and a comment. Claimed per
booking, kind and channel like every notification (app/notify.py); a walk-in without
a booking has no contact and is not asked.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import feedback, notify
from kezek.app.notices import Notice
from kezek.core.floor import TicketStatus
from kezek.store.models import BookingRow, CenterRow, TicketRow

KIND = "feedback"
LANGS = ("kk", "ru", "en")
CALLBACK = "fb"  # callback data: fb:<ticket id>:<rating>

SUBJECT = {"kk": "ХҚО-дағы қызмет көрсетуді бағалаңыз",
           "ru": "Оцените обслуживание в ЦОН",
           "en": "How was your visit to the public service centre?"}
LINES = {
    "thanks": {"kk": "Келгеніңізге рахмет: {centre}, талон {label}.",
               "ru": "Спасибо, что посетили {centre} (талон {label}).",
               "en": "Thank you for visiting {centre} (ticket {label})."},
    "ask_tap": {"kk": "Қызмет көрсетуді 1-ден 5-ке дейін бағалаңыз (5 - өте жақсы):",
                "ru": "Оцените обслуживание от 1 до 5 (5 - отлично):",
                "en": "Please rate the service from 1 to 5 (5 is excellent):"},
    "ask_link": {"kk": "Қызмет көрсетуді 1-ден 5-ке дейін бағалаңыз: {link}",
                 "ru": "Оцените обслуживание от 1 до 5: {link}",
                 "en": "Please rate the service from 1 to 5: {link}"},
}
SHORT = {"kk": "ХҚО {label}: қызметті бағалаңыз: {link}",
         "ru": "ЦОН {label}: оцените обслуживание: {link}",
         "en": "Centre {label}: rate your visit: {link}"}


def link(public_url: str, ticket_id: int, secret: str) -> str:
    return f"{public_url.rstrip('/')}/feedback/{feedback.token_for(ticket_id, secret)}"


def texts(label: str, centre: str, url: str, lang: str) -> tuple[Notice, Notice]:
    """(the Telegram notice with buttons, the e-mail/SMS notice with the link)."""
    lang = lang if lang in LANGS else "ru"
    head = [SUBJECT[lang], "", LINES["thanks"][lang].format(centre=centre, label=label)]
    return (Notice(SUBJECT[lang], "\n".join([*head, LINES["ask_tap"][lang]])),
            Notice(SUBJECT[lang], "\n".join([*head, LINES["ask_link"][lang].format(
                link=url)]), SHORT[lang].format(label=label, link=url)))


def buttons(ticket_id: int) -> tuple[tuple[str, str], ...]:
    return tuple((str(n), f"{CALLBACK}:{ticket_id}:{n}") for n in range(1, 6))


async def claim(session: AsyncSession, ticket_id: int, channels: set[str], now: dt.datetime,
                public_url: str, secret: str, key: bytes | None = None
                ) -> list[notify.Outgoing]:
    """Claims the request on each channel of the visit's booking contact, if the visit
    was served and not rated yet; run in its own committed transaction."""
    ticket = await session.get(TicketRow, ticket_id)
    if (ticket is None or ticket.booking_id is None
            or ticket.status != TicketStatus.DONE.value
            or await feedback.given(session, ticket_id) is not None):
        return []
    contact = await notify.contact(session, ticket.booking_id)
    booking = await session.get(BookingRow, ticket.booking_id)
    if contact is None or booking is None:
        return []
    targets = notify.addresses(contact.telegram_chat_id, contact.email, channels,
                               notify.phone_of(contact.phone_cipher, booking.person_id, key))
    if not targets:
        return []
    lang = contact.lang if contact.lang in LANGS else "ru"
    centre_row = await session.get(CenterRow, ticket.center_id)
    assert centre_row is not None
    centre = getattr(centre_row, f"name_{lang}") or centre_row.name_ru
    tapped, linked = texts(ticket.label, centre, link(public_url, ticket_id, secret), lang)
    out: list[notify.Outgoing] = []
    for channel, address in targets:
        notice = (Notice(tapped.subject, tapped.text, None, buttons(ticket_id))
                  if channel == notify.TELEGRAM else linked)
        out += await notify.claim_all(session, ticket.booking_id, KIND, [(channel, address)],
                                      notice, now)
    return out
