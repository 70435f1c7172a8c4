"""Telling a ballot entry its result, in Kazakh, Russian or English (ADR 13).

A winner's message carries the booking like any reminder (code, service, centre,
address, time); a loser's says so and that the rest of the day is open to book. Both
link to the entry's page, which shows the same result.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import notify, sms_texts
from kezek.app.ballot_draw import claim_result
from kezek.app.notices import Notice, Place, _body
from kezek.app.notify import Outgoing
from kezek.core.booking import display_code
from kezek.store.models import BookingRow
from kezek.store.models_release import WON

SUBJECTS = {
    "won": {"kk": "Жеребе: сізге орын берілді", "ru": "Жеребьёвка: вам досталось место",
            "en": "Ballot: you have a place"},
    "lost": {"kk": "Жеребе: бұл жолы орын бұйырмады",
             "ru": "Жеребьёвка: в этот раз место не досталось",
             "en": "Ballot: no place this time"},
}
LINES = {
    "entry": {"kk": "Жеребе өтінімінің коды", "ru": "Код заявки на жеребьёвку",
              "en": "Ballot request code"},
    "lost": {"kk": "Таңдаған уақыттарыңыздың бәрі басқаларға бұйырды. Қалған бос уақыттарға "
                   "қазір жазылуға болады.",
             "ru": "Все выбранные вами времена достались другим. На оставшиеся свободные "
                   "времена теперь можно записаться.",
             "en": "All the times you chose went to others. The remaining free times are "
                   "now open to book."},
    "link": {"kk": "Толығырақ: {link}", "ru": "Подробнее: {link}", "en": "Details: {link}"},
}


def _lang(lang: str) -> str:
    return lang if lang in ("kk", "ru", "en") else "ru"


def won(place: Place, entry_code: str, link: str, lang: str) -> Notice:
    lang = _lang(lang)
    subject = SUBJECTS["won"][lang]
    return Notice(subject, "\n".join([
        subject, "", *_body(place, lang),
        f"{LINES['entry'][lang]}: {display_code(entry_code)}", "",
        LINES["link"][lang].format(link=link)]), sms_texts.about("won", place, lang))


def lost(entry_code: str, link: str, lang: str) -> Notice:
    lang = _lang(lang)
    subject = SUBJECTS["lost"][lang]
    return Notice(subject, "\n".join([
        subject, "", f"{LINES['entry'][lang]}: {display_code(entry_code)}", "",
        LINES["lost"][lang], "", LINES["link"][lang].format(link=link)]),
        sms_texts.lost(entry_code, link, lang))


async def claim(session: AsyncSession, entry_id: int, channels: set[str], now: dt.datetime,
                public_url: str, key: bytes | None = None) -> list[Outgoing]:
    """Claims the entry's result message (once) and builds it for each of its channels
    (SMS too where the entry keeps a proven number and `key` opens it)."""
    entry = await claim_result(session, entry_id, now)
    if entry is None:
        return []
    targets = notify.addresses(entry.telegram_chat_id, entry.email, channels,
                               notify.phone_of(entry.phone_cipher, entry.person_id, key))
    link = f"{public_url.rstrip('/')}/ballot/{entry.code}"
    booking = await session.get(BookingRow, entry.booking_id) if entry.booking_id else None
    if entry.status == WON and booking is not None:
        notice = won(await notify.place_of(session, booking, entry.lang), entry.code, link,
                     entry.lang)
    else:
        notice = lost(entry.code, link, entry.lang)
    return [Outgoing(entry.id, entry.booking_id or 0, "ballot", channel, address, notice)
            for channel, address in targets]
