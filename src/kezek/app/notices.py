"""The words of reminders and waitlist offers, in Kazakh, Russian and English.

A message carries everything a person needs to come without opening anything else:
the booking code (as read aloud), the service, the centre, its address and the local
time. Plain text: it goes out both by Telegram and by e-mail; each notice also carries
a short form for SMS (`sms_texts`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from kezek.app import sms_texts
from kezek.core.booking import display_code

SUBJECTS = {
    "day_before": {"kk": "Ертең ХҚО-ға жазылуыңыз бар", "ru": "Завтра у вас запись в ЦОН",
                   "en": "Your public service centre visit is tomorrow"},
    "hour_before": {"kk": "Бір сағаттан кейін ХҚО-ға жазылуыңыз бар",
                    "ru": "Через час у вас запись в ЦОН",
                    "en": "Your public service centre visit is in an hour"},
    "offer": {"kk": "Күту тізімі: сізге орын сақталды",
              "ru": "Лист ожидания: для вас придержано место",
              "en": "Waitlist: a place is held for you"},
}

LINES = {
    "code": {"kk": "Жазылу коды", "ru": "Код записи", "en": "Booking code"},
    "service": {"kk": "Қызмет", "ru": "Услуга", "en": "Service"},
    "centre": {"kk": "Орталық", "ru": "Центр", "en": "Centre"},
    "address": {"kk": "Мекенжайы", "ru": "Адрес", "en": "Address"},
    "time": {"kk": "Уақыты", "ru": "Время", "en": "Time"},
    "bring": {"kk": "Жеке куәлігіңізді ала келіңіз. Келе алмасаңыз, жазылудан бас тартыңыз: "
                    "орынды басқа адам ала алады.",
              "ru": "Возьмите удостоверение личности. Если не сможете прийти, отмените "
                    "запись: место достанется другому.",
              "en": "Bring your identity document. If you cannot come, please cancel: "
                    "someone else can take the place."},
    "held_until": {"kk": "Орын {until} дейін сақталады. Қабылдау үшін: {link}",
                   "ru": "Место придержано до {until}. Чтобы принять: {link}",
                   "en": "The place is held until {until}. To accept it: {link}"},
    "waitlist_code": {"kk": "Күту тізіміндегі код", "ru": "Код в листе ожидания",
                      "en": "Waitlist code"},
    "bring_title": {"kk": "Өзіңізбен бірге алыңыз:", "ru": "Что взять с собой:",
                    "en": "What to bring:"},
    "cancel_advice": {"kk": "Келе алмасаңыз, жазылудан бас тартыңыз немесе оны ауыстырыңыз: "
                            "орынды басқа адам ала алады.",
                      "ru": "Если не сможете прийти, отмените или перенесите запись: место "
                            "достанется другому.",
                      "en": "If you cannot come, please cancel or move the booking: someone "
                            "else can take the place."},
    "manage": {"kk": "Жою немесе ауыстыру: {link}", "ru": "Отменить или перенести: {link}",
               "en": "Cancel or move: {link}"},
}

WEEKDAYS = {
    "kk": ("дс", "сс", "ср", "бс", "жм", "сб", "жс"),
    "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


@dataclass(frozen=True, slots=True)
class Place:
    """What a message says about a visit, already in the person's language."""

    code: str
    service: str
    centre: str
    address: str
    start: dt.datetime  # aware, in the centre's zone
    # What the service's standard asks the person to bring, in their language.
    documents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    subject: str
    text: str
    # The short form for SMS (app/sms_texts.py); the text itself where there is none.
    short: str | None = None
    # Telegram only: one row of inline buttons, (label, callback data) each.
    buttons: tuple[tuple[str, str], ...] = ()


def local_time(start_utc: dt.datetime, zone: str) -> dt.datetime:
    return start_utc.astimezone(ZoneInfo(zone))


def when(start: dt.datetime, lang: str) -> str:
    return f"{WEEKDAYS[lang][start.weekday()]} {start:%d.%m.%Y %H:%M}"


def _body(place: Place, lang: str) -> list[str]:
    return [f"{LINES['code'][lang]}: {display_code(place.code)}",
            f"{LINES['service'][lang]}: {place.service}",
            f"{LINES['centre'][lang]}: {place.centre}",
            f"{LINES['address'][lang]}: {place.address}",
            f"{LINES['time'][lang]}: {when(place.start, lang)}"]


def reminder(kind: str, place: Place, lang: str, manage_link: str | None = None) -> Notice:
    """A reminder: the visit, what to bring (the service's own list where the registry
    has one), and where to cancel or move it, so a person who cannot come frees the seat
    from the message itself."""
    lang = _lang(lang)
    subject = SUBJECTS[kind][lang]
    if place.documents:
        bring = [LINES["bring_title"][lang], *(f"- {d}" for d in place.documents), "",
                 LINES["cancel_advice"][lang]]
    else:
        bring = [LINES["bring"][lang]]
    if manage_link:
        bring.append(LINES["manage"][lang].format(link=manage_link))
    return Notice(subject, "\n".join([subject, "", *_body(place, lang), "", *bring]),
                  sms_texts.about(kind, place, lang))


def manage_link(public_url: str, code: str) -> str:
    """The booking look-up page with the code filled in; the IIN and its proof are still
    asked there, so the link opens nothing by itself."""
    return f"{public_url.rstrip('/')}/bookings/find?code={code}"


def offer(place: Place, waitlist_code: str, until: dt.datetime, link: str, lang: str
          ) -> Notice:
    lang = _lang(lang)
    subject = SUBJECTS["offer"][lang]
    held = LINES["held_until"][lang].format(until=f"{until:%H:%M}", link=link)
    return Notice(subject, "\n".join([
        subject, "", f"{LINES['waitlist_code'][lang]}: {display_code(waitlist_code)}",
        *_body(place, lang)[1:], "", held]),
        sms_texts.offer(place, waitlist_code, until, link, lang))


def _lang(lang: str) -> str:
    return lang if lang in WEEKDAYS else "ru"
