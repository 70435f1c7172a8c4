"""Inline keyboards and the typed callback data behind their buttons.

Telegram gives a button 64 bytes of callback data, so buttons carry short keys (a
service code, a centre id, a slot's Unix time) and the conversation keeps the rest in
its FSM data. A slot is identified by its UTC instant, never by a local clock reading,
so that a button means the same time whatever zone the bot runs in. The buttons of the
booking path also carry the context they were made for (`bound.Where`: fields c, s,
p, r), so that a button on an old message acts on what that message showed.

Labels made of names (services, centres) are shortened at a word boundary with an
ellipsis (`short`): Telegram cuts a long label wherever the screen ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from kezek.bot.bound import Where
from kezek.bot.texts import t

LANG_LABELS = (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English"))
# The longest name label: what a one-column button shows on a phone in one or two lines.
LABEL_MAX = 48


def short(text: str, limit: int = LABEL_MAX) -> str:
    """`text` within `limit` characters, cut after a whole word and ended by "…".

    A single word longer than the limit is cut inside it (there is no boundary)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]  # room for the ellipsis: the character at `limit` is dropped
    cut = head.rfind(" ")
    head = head[:cut] if cut > 0 else head[:limit - 1]
    return head.rstrip(" ,.;:–—-(") + "…"


class Bound(CallbackData, prefix="_"):
    """The context fields a booking button carries (see `bound.Where`)."""

    c: int = 0  # the centre
    s: str = ""  # the service's code
    p: str = ""  # the privilege, one letter
    r: str = ""  # the booking being moved


class LangCb(CallbackData, prefix="lang"):
    lang: str


class MenuCb(CallbackData, prefix="menu"):
    action: str  # book | mine | lang


class ServiceCb(CallbackData, prefix="svc"):
    code: str


class CityCb(CallbackData, prefix="city"):
    index: int  # in the service's cities, sorted by name
    s: str = ""  # the service's code


class CentreCb(CallbackData, prefix="ctr"):
    id: int
    s: str = ""  # the service's code


class PrivilegeCb(CallbackData, prefix="priv"):
    value: str  # a Privilege value, or "none"
    c: int = 0
    s: str = ""


class DayCb(Bound, prefix="day"):
    day: str  # ISO date in the centre's zone


class WaitCb(Bound, prefix="wait"):
    day: str  # ISO date of the full day to wait for


class TimeCb(Bound, prefix="time"):
    ts: int  # the slot's start, Unix seconds


class ConfirmCb(Bound, prefix="ok"):
    action: str  # yes | time
    ts: int = 0  # yes: the start confirmed, Unix seconds


class BallotCb(Bound, prefix="bal"):
    action: str  # enter | pick | page | clear | done | send
    ts: int = 0  # pick: the start's Unix seconds; page: the page's number


class MineCb(CallbackData, prefix="mine"):
    action: str  # cancel | rebook
    code: str


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    grid = [list(buttons[i:i + width]) for i in range(0, len(buttons), width)]
    return InlineKeyboardMarkup(inline_keyboard=grid)


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def languages() -> InlineKeyboardMarkup:
    return rows([button(label, LangCb(lang=code)) for code, label in LANG_LABELS], 3)


def menu(lang: str) -> InlineKeyboardMarkup:
    return rows([button(t("btn_book", lang), MenuCb(action="book")),
                 button(t("btn_mine", lang), MenuCb(action="mine")),
                 button(t("btn_lang", lang), MenuCb(action="lang"))], 1)


def back_to_menu(lang: str) -> InlineKeyboardMarkup:
    return rows([button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def services(found: Iterable[tuple[str, str]], lang: str) -> InlineKeyboardMarkup:
    items = [button(short(name), ServiceCb(code=code)) for code, name in found]
    return rows([*items, button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def portal(url: str, lang: str) -> InlineKeyboardMarkup:
    host = url.split("://", 1)[-1].rstrip("/")
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=t("portal_button", lang, host=host), url=url)],
        [button(t("btn_menu", lang), MenuCb(action="menu"))]])


def share_location(lang: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=t("btn_location", lang), request_location=True)]],
        resize_keyboard=True, one_time_keyboard=True)


def share_contact(lang: str) -> ReplyKeyboardMarkup:
    """The one button Telegram fills with the account's own, verified number."""
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=t("btn_contact", lang), request_contact=True)]],
        resize_keyboard=True, one_time_keyboard=True)


def cities(names: Sequence[str], service: str, lang: str) -> InlineKeyboardMarkup:
    items = [button(short(name), CityCb(index=i, s=service)) for i, name in enumerate(names)]
    return rows([*items, button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def centres(choices: Iterable[tuple[int, str]], service: str, lang: str,
            suffixes: Sequence[str] = ()) -> InlineKeyboardMarkup:
    """A button a centre; a suffix (the distance) is kept whole, the name shortened."""
    items = []
    for i, (cid, name) in enumerate(choices):
        tail = f" · {suffixes[i]}" if i < len(suffixes) else ""
        items.append(button(short(name, LABEL_MAX - len(tail)) + tail,
                            CentreCb(id=cid, s=service)))
    return rows([*items, button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def privileges(where: Where, lang: str) -> InlineKeyboardMarkup:
    values = ("pensioner", "large_family", "disability", "none")
    return rows([button(t(f"priv_{v}", lang),
                        PrivilegeCb(value=v, c=where.centre, s=where.service))
                 for v in values], 1)


def days(choices: Iterable[tuple[dt.date, str]], where: Where, lang: str,
         ballot_label: str | None = None,
         full: Iterable[tuple[dt.date, str]] = ()) -> InlineKeyboardMarkup:
    """The days with free times, and the full ones (saying so, in date order with the
    others); first, when a newly opened day is in its ballot, the button that enters it
    (a row of its own: its label is long)."""
    ctx = where.fields()
    shown = sorted([*choices, *[(d, t("day_full", lang, day=label)) for d, label in full]])
    items = [button(label, DayCb(day=d.isoformat(), **ctx)) for d, label in shown]
    markup = rows([*items, button(t("btn_menu", lang), MenuCb(action="menu"))], 2)
    if ballot_label:
        markup.inline_keyboard.insert(0, [button(ballot_label,
                                                 BallotCb(action="enter", **ctx))])
    return markup


def ballot_times(starts: Iterable[dt.datetime], picked: Sequence[int], where: Where,
                 lang: str, pages: tuple[int, int] = (0, 1)) -> InlineKeyboardMarkup:
    """The day's times (one page of them: Telegram takes 100 buttons at most); a chosen
    one carries its rank ("1 · 10:00"), tapping it again takes it out. Done and Start
    over appear once something is chosen; ◀ ▶ when the day has more than one page."""
    page, count = pages
    ctx = where.fields()
    items = []
    for s in starts:
        ts = int(s.timestamp())
        rank = f"{picked.index(ts) + 1} · " if ts in picked else ""
        items.append(button(f"{rank}{s.strftime('%H:%M')}", BallotCb(action="pick", ts=ts, **ctx)))
    grid = [items[i:i + 4] for i in range(0, len(items), 4)]
    if count > 1:
        grid.append([button("◀", BallotCb(action="page", ts=(page - 1) % count, **ctx)),
                     button(f"{page + 1}/{count}", BallotCb(action="page", ts=page, **ctx)),
                     button("▶", BallotCb(action="page", ts=(page + 1) % count, **ctx))])
    if picked:
        grid.append([button(t("btn_ballot_done", lang, n=len(picked)),
                            BallotCb(action="done", **ctx)),
                     button(t("btn_ballot_clear", lang), BallotCb(action="clear", **ctx))])
    grid.append([button(t("btn_menu", lang), MenuCb(action="menu"))])
    return InlineKeyboardMarkup(inline_keyboard=grid)


def ballot_confirm(where: Where, lang: str) -> InlineKeyboardMarkup:
    ctx = where.fields()
    return rows([button(t("btn_ballot_send", lang), BallotCb(action="send", **ctx)),
                 button(t("btn_ballot_clear", lang), BallotCb(action="clear", **ctx)),
                 button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def times(starts: Iterable[dt.datetime], where: Where, lang: str) -> InlineKeyboardMarkup:
    ctx = where.fields()
    items = [button(s.strftime("%H:%M"), TimeCb(ts=int(s.timestamp()), **ctx))
             for s in starts]
    grid = [items[i:i + 5] for i in range(0, len(items), 5)]
    grid.append([button(t("btn_other_time", lang), ConfirmCb(action="time", **ctx)),
                 button(t("btn_menu", lang), MenuCb(action="menu"))])
    return InlineKeyboardMarkup(inline_keyboard=grid)


def confirm(where: Where, start: int, lang: str) -> InlineKeyboardMarkup:
    """Confirm carries the start it confirms, so a second press of it is recognised."""
    ctx = where.fields()
    return rows([button(t("btn_confirm", lang), ConfirmCb(action="yes", ts=start, **ctx)),
                 button(t("btn_other_time", lang), ConfirmCb(action="time", **ctx)),
                 button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def full_day(day: dt.date, where: Where, lang: str) -> InlineKeyboardMarkup:
    """A full day: join its waitlist, or pick another day."""
    ctx = where.fields()
    return rows([button(t("btn_waitlist", lang), WaitCb(day=day.isoformat(), **ctx)),
                 button(t("btn_other_day", lang), ConfirmCb(action="time", **ctx)),
                 button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def mine(code: str, lang: str) -> InlineKeyboardMarkup:
    return rows([button(t("btn_cancel_booking", lang, code=code),
                        MineCb(action="cancel", code=code)),
                 button(t("btn_rebook", lang, code=code), MineCb(action="rebook", code=code))],
                2)
