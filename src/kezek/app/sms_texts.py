"""The short forms of notices, for SMS, in Kazakh, Russian and English.

An SMS costs money by the segment, and Cyrillic text fills a segment at 70 characters
(67 when concatenated): each short form keeps the booking code, the centre and the
local time, and fits in `LIMIT` characters, about two segments. A long centre name is
cut (with an ellipsis) rather than the code or the time; the full notice goes by
Telegram and e-mail as before.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from kezek.core.booking import display_code

LIMIT = 140


class Place(Protocol):
    """What a short form says about a visit: `kezek.app.notices.Place` has it.

    Named here as the three fields read, not imported from notices, because notices
    builds every Notice with these forms: importing it back would be a cycle.
    """

    @property
    def code(self) -> str: ...

    @property
    def centre(self) -> str: ...

    @property
    def start(self) -> dt.datetime: ...


LANGS = ("kk", "ru", "en")

TEXTS = {
    "staff_cancel": {
        "kk": "ХҚО қызметкері {code} жазылуын жойды: {centre}, {time}. Қайта жазылыңыз "
              "не 1414.",
        "ru": "Сотрудник ЦОН отменил запись {code}: {centre}, {time}. Запишитесь снова "
              "или 1414.",
        "en": "Centre staff cancelled booking {code}: {centre}, {time}. Book again or "
              "call 1414."},
    "offer": {
        "kk": "Күту тізімі {code}: {centre}, {time} орны {until} дейін сақтаулы. "
              "Қабылдау: {link}",
        "ru": "Лист ожидания {code}: место {centre}, {time} держим до {until}. "
              "Принять: {link}",
        "en": "Waitlist {code}: a place at {centre}, {time} is held until {until}. "
              "Accept: {link}"},
    "cc_move": {
        "kk": "1414 жазылуды ауыстырды: {code}, {centre}, {time}. Сіз сұрамасаңыз, 1414.",
        "ru": "1414 перенёс запись: {code}, {centre}, {time}. Не просили - звоните 1414.",
        "en": "1414 moved your booking: {code}, {centre}, {time}. Not you? Call 1414."},
    "cc_cancel": {
        "kk": "1414 {code} жазылуын жойды: {centre}, {time}. Сіз сұрамасаңыз, 1414.",
        "ru": "1414 отменил запись {code}: {centre}, {time}. Не просили - звоните 1414.",
        "en": "1414 cancelled booking {code}: {centre}, {time}. Not you? Call 1414."},
    "won": {
        "kk": "Жеребе: орын бұйырды. Жазылу {code}: {centre}, {time}. Жеке куәлікті "
              "ала келіңіз.",
        "ru": "Жеребьёвка: место ваше. Запись {code}: {centre}, {time}. Возьмите "
              "удостоверение.",
        "en": "Ballot: you have a place. Booking {code}: {centre}, {time}. Bring your ID."},
    "lost": {
        "kk": "Жеребе {code}: бұл жолы орын бұйырмады. Бос уақыттарға жазылуға болады: "
              "{link}",
        "ru": "Жеребьёвка {code}: место не досталось. Свободные времена открыты: {link}",
        "en": "Ballot {code}: no place this time. The free times are open to book: {link}"},
    "day_before": {
        "kk": "Ертең ХҚО: жазылу {code}, {centre}, {time}. Келе алмасаңыз, бас тартыңыз.",
        "ru": "Завтра ЦОН: запись {code}, {centre}, {time}. Не сможете прийти - отмените.",
        "en": "Tomorrow: booking {code}, {centre}, {time}. If you cannot come, cancel."},
    "hour_before": {
        "kk": "1 сағаттан кейін ХҚО: жазылу {code}, {centre}, {time}.",
        "ru": "Через час ЦОН: запись {code}, {centre}, {time}.",
        "en": "In an hour: booking {code}, {centre}, {time}."},
}


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "ru"


def fit(template: str, centre: str, **values: str) -> str:
    """The text with the centre's name cut as much as it must be to fit `LIMIT`."""
    text = template.format(centre=centre, **values)
    over = len(text) - LIMIT
    if over > 0 and len(centre) > over + 1:
        text = template.format(centre=centre[:len(centre) - over - 1].rstrip() + "…",
                               **values)
    return text


def _short_time(start: dt.datetime) -> str:
    return f"{start:%d.%m %H:%M}"


def about(kind: str, place: Place, lang: str) -> str:
    """A notice about one booking: staff_cancel, cc_move, cc_cancel, won, day_before or
    hour_before."""
    return fit(TEXTS[kind][_lang(lang)], place.centre, code=display_code(place.code),
               time=_short_time(place.start))


def offer(place: Place, waitlist_code: str, until: dt.datetime, link: str, lang: str
          ) -> str:
    return fit(TEXTS["offer"][_lang(lang)], place.centre, code=display_code(waitlist_code),
               time=_short_time(place.start), until=f"{until:%H:%M}", link=link)


def lost(entry_code: str, link: str, lang: str) -> str:
    return TEXTS["lost"][_lang(lang)].format(code=display_code(entry_code), link=link)
