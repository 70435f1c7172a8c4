"""The notice a person gets when someone else changed their booking: the 1414 call centre
moved or cancelled it on a caller's word.

The person may have been the caller; they may not: anyone who knows an IIN and a booking
code can phone. Either way the booking's own contact (the bot chat it was made in, the
e-mail, the proven number) hears of it, with the new time for a move and "if you did not
ask for this, call 1414" for both. Claimed once per booking, kind and channel like every
notification (app/notify.py): a move is told under the new booking, a cancellation under
the cancelled one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import notify, sms_texts
from kezek.app.notices import Notice, Place, when
from kezek.core.booking import display_code
from kezek.store.models import BookingRow

MOVED, CANCELLED = "cc_move", "cc_cancel"
# The status a booking has once the change it is told about has happened.
STATUS = {MOVED: "active", CANCELLED: "cancelled"}

SUBJECT = {
    MOVED: {"kk": "ХҚО-ға жазылуыңыз ауыстырылды", "ru": "Ваша запись в ЦОН перенесена",
            "en": "Your public service centre booking was moved"},
    CANCELLED: {"kk": "ХҚО-ға жазылуыңыз күшін жойды", "ru": "Ваша запись в ЦОН отменена",
                "en": "Your public service centre booking was cancelled"},
}
LINES = {
    MOVED: {"kk": "1414 байланыс орталығының операторы жазылуыңызды ауыстырды. Жаңа "
                  "жазылу:",
            "ru": "Оператор контакт-центра 1414 перенёс вашу запись. Новая запись:",
            "en": "A 1414 call-centre operator moved your booking. The new booking:"},
    CANCELLED: {"kk": "1414 байланыс орталығының операторы жазылуыңыздың күшін жойды:",
                "ru": "Оператор контакт-центра 1414 отменил вашу запись:",
                "en": "A 1414 call-centre operator cancelled your booking:"},
    "not_you": {"kk": "Мұны сіз сұрамасаңыз, 1414 нөміріне қоңырау шалыңыз.",
                "ru": "Если вы об этом не просили, позвоните по номеру 1414.",
                "en": "If you did not ask for this, call 1414."},
    "code": {"kk": "Жазылу коды", "ru": "Код записи", "en": "Booking code"},
    "service": {"kk": "Қызмет", "ru": "Услуга", "en": "Service"},
    "centre": {"kk": "Орталық", "ru": "Центр", "en": "Centre"},
    "address": {"kk": "Мекенжайы", "ru": "Адрес", "en": "Address"},
    "time": {"kk": "Уақыты", "ru": "Время", "en": "Time"},
}


def text_of(kind: str, place: Place, lang: str) -> Notice:
    """The notice's words; an unknown language is Russian."""
    lang = lang if lang in sms_texts.LANGS else "ru"
    subject = SUBJECT[kind][lang]
    body = [f"{LINES['code'][lang]}: {display_code(place.code)}",
            f"{LINES['service'][lang]}: {place.service}",
            f"{LINES['centre'][lang]}: {place.centre}",
            *([f"{LINES['address'][lang]}: {place.address}"] if kind == MOVED else []),
            f"{LINES['time'][lang]}: {when(place.start, lang)}"]
    return Notice(subject, "\n".join([subject, "", LINES[kind][lang], *body, "",
                                      LINES["not_you"][lang]]),
                  sms_texts.about(kind, place, lang))


async def claim(session: AsyncSession, booking_id: int, kind: str, channels: set[str],
                now: dt.datetime, key: bytes | None = None) -> list[notify.Outgoing]:
    """Claims the notice on each channel of the booking's contact, if the booking still
    is as the change left it (a move undone since, a cancellation of a moved booking,
    tell nothing); run in its own committed transaction before anything is sent."""
    row = await session.get(BookingRow, booking_id)
    if row is None or kind not in STATUS or row.status != STATUS[kind]:
        return []
    contact = await notify.contact(session, booking_id)
    if contact is None:
        return []
    targets = notify.addresses(contact.telegram_chat_id, contact.email, channels,
                               notify.phone_of(contact.phone_cipher, row.person_id, key))
    if not targets:
        return []
    notice = text_of(kind, await notify.place_of(session, row, contact.lang), contact.lang)
    return await notify.claim_all(session, booking_id, kind, targets, notice, now)
