"""The notice a person gets when staff cancel their booking, in their language.

It goes where the person's reminders go (a Telegram chat, an e-mail, the number proven
by a code: the booking's contact; by SMS in a short form, ADR 0020), claimed once per
channel like every notification (app/notify.py), so a job run twice sends it once. A
person who left no contact is told on their next look at the booking (its status is
cancelled) or when they try to come; see ADR 0015.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import notify, sms_texts
from kezek.app.notices import Notice, Place, when
from kezek.core.booking import display_code
from kezek.store.models import BookingRow

KIND = "staff_cancel"

SUBJECT = {"kk": "ХҚО-ға жазылуыңыз күшін жойды", "ru": "Ваша запись в ЦОН отменена",
           "en": "Your public service centre booking was cancelled"}
REASONS = {
    "hoard": {"kk": "бір көзден тым көп жазылу жасалды",
              "ru": "с одного источника сделано слишком много записей",
              "en": "too many bookings were made from one source"},
    "resale": {"kk": "жазылу сатылымға шығарылды", "ru": "запись предлагалась к продаже",
               "en": "the booking was offered for sale"},
    "duplicate": {"kk": "бір адамға қайталанған жазылулар",
                  "ru": "повторные записи одного человека",
                  "en": "repeated bookings of one person"},
    "other": {"kk": "ХҚО ережелерінің бұзылуы", "ru": "нарушение правил записи",
              "en": "a breach of the booking rules"},
}
LINES = {
    "cancelled": {"kk": "ХҚО қызметкері жазылуыңыздың күшін жойды. Себебі: {reason}.",
                  "ru": "Сотрудник ЦОН отменил вашу запись. Причина: {reason}.",
                  "en": "Centre staff cancelled your booking. Reason: {reason}."},
    "again": {"kk": "Қызмет қажет болса, жеке басыңызды растап, қайта жазылыңыз немесе "
                    "1414 нөміріне қоңырау шалыңыз.",
              "ru": "Если услуга вам нужна, запишитесь снова, подтвердив личность, или "
                    "позвоните по номеру 1414.",
              "en": "If you need the service, book again with your identity confirmed, "
                    "or call 1414."},
    "code": {"kk": "Жазылу коды", "ru": "Код записи", "en": "Booking code"},
    "service": {"kk": "Қызмет", "ru": "Услуга", "en": "Service"},
    "centre": {"kk": "Орталық", "ru": "Центр", "en": "Centre"},
    "time": {"kk": "Уақыты", "ru": "Время", "en": "Time"},
}


def text_of(place: Place, reason: str, lang: str) -> Notice:
    """The notice's words; an unknown language is Russian, an unknown reason `other`."""
    lang = lang if lang in SUBJECT else "ru"
    why = REASONS.get(reason, REASONS["other"])[lang]
    subject = SUBJECT[lang]
    short = sms_texts.about(KIND, place, lang)
    return Notice(subject, "\n".join([
        subject, "", LINES["cancelled"][lang].format(reason=why), "",
        f"{LINES['code'][lang]}: {display_code(place.code)}",
        f"{LINES['service'][lang]}: {place.service}",
        f"{LINES['centre'][lang]}: {place.centre}",
        f"{LINES['time'][lang]}: {when(place.start, lang)}", "", LINES["again"][lang]]),
        short)


async def claim(session: AsyncSession, booking_id: int, reason: str, channels: set[str],
                now: dt.datetime, key: bytes | None = None) -> list[notify.Outgoing]:
    """Claims the notice on each channel the person gave, if the booking is still
    cancelled; run in its own transaction and committed before anything is sent. `key`
    opens the sealed number for SMS."""
    row = await session.get(BookingRow, booking_id)
    if row is None or row.status != "cancelled":
        return []
    contact = await notify.contact(session, booking_id)
    if contact is None:
        return []
    targets = notify.addresses(contact.telegram_chat_id, contact.email, channels,
                               notify.phone_of(contact.phone_cipher, row.person_id, key))
    if not targets:
        return []
    notice = text_of(await notify.place_of(session, row, contact.lang), reason, contact.lang)
    return await notify.claim_all(session, booking_id, KIND, targets, notice, now)
