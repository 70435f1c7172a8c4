"""Inline keyboards and the typed callback data behind their buttons.

Telegram gives a button 64 bytes of callback data, so buttons carry short keys (a
service code, a centre id, a slot's Unix time) and the conversation keeps the rest in
its FSM data. A slot is identified by its UTC instant, never by a local clock reading,
so that a button means the same time whatever zone the bot runs in.
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

from kezek.bot.texts import t

LANG_LABELS = (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English"))


class LangCb(CallbackData, prefix="lang"):
    lang: str


class MenuCb(CallbackData, prefix="menu"):
    action: str  # book | mine | lang


class ServiceCb(CallbackData, prefix="svc"):
    code: str


class CityCb(CallbackData, prefix="city"):
    index: int


class CentreCb(CallbackData, prefix="ctr"):
    id: int


class PrivilegeCb(CallbackData, prefix="priv"):
    value: str  # a Privilege value, or "none"


class DayCb(CallbackData, prefix="day"):
    day: str  # ISO date in the centre's zone


class TimeCb(CallbackData, prefix="time"):
    ts: int  # the slot's start, Unix seconds


class ConfirmCb(CallbackData, prefix="ok"):
    action: str  # yes | time


class BallotCb(CallbackData, prefix="bal"):
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
    items = [button(name[:60], ServiceCb(code=code)) for code, name in found]
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


def cities(names: Sequence[str], lang: str) -> InlineKeyboardMarkup:
    items = [button(name, CityCb(index=i)) for i, name in enumerate(names)]
    return rows([*items, button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def centres(choices: Iterable[tuple[int, str]], lang: str) -> InlineKeyboardMarkup:
    items = [button(label[:60], CentreCb(id=cid)) for cid, label in choices]
    return rows([*items, button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def privileges(lang: str) -> InlineKeyboardMarkup:
    values = ("pensioner", "large_family", "disability", "none")
    return rows([button(t(f"priv_{v}", lang), PrivilegeCb(value=v)) for v in values], 1)


def days(choices: Iterable[tuple[dt.date, str]], lang: str,
         ballot_label: str | None = None) -> InlineKeyboardMarkup:
    """The days with free times; first, when a newly opened day is in its ballot, the
    button that enters it (a row of its own: its label is long)."""
    items = [button(label, DayCb(day=d.isoformat())) for d, label in choices]
    markup = rows([*items, button(t("btn_menu", lang), MenuCb(action="menu"))], 2)
    if ballot_label:
        markup.inline_keyboard.insert(0, [button(ballot_label, BallotCb(action="enter"))])
    return markup


def ballot_times(starts: Iterable[dt.datetime], picked: Sequence[int], lang: str,
                 pages: tuple[int, int] = (0, 1)) -> InlineKeyboardMarkup:
    """The day's times (one page of them: Telegram takes 100 buttons at most); a chosen
    one carries its rank ("1 · 10:00"), tapping it again takes it out. Done and Start
    over appear once something is chosen; ◀ ▶ when the day has more than one page."""
    page, count = pages
    items = []
    for s in starts:
        ts = int(s.timestamp())
        rank = f"{picked.index(ts) + 1} · " if ts in picked else ""
        items.append(button(f"{rank}{s.strftime('%H:%M')}", BallotCb(action="pick", ts=ts)))
    grid = [items[i:i + 4] for i in range(0, len(items), 4)]
    if count > 1:
        grid.append([button("◀", BallotCb(action="page", ts=(page - 1) % count)),
                     button(f"{page + 1}/{count}", BallotCb(action="page", ts=page)),
                     button("▶", BallotCb(action="page", ts=(page + 1) % count))])
    if picked:
        grid.append([button(t("btn_ballot_done", lang, n=len(picked)), BallotCb(action="done")),
                     button(t("btn_ballot_clear", lang), BallotCb(action="clear"))])
    grid.append([button(t("btn_menu", lang), MenuCb(action="menu"))])
    return InlineKeyboardMarkup(inline_keyboard=grid)


def ballot_confirm(lang: str) -> InlineKeyboardMarkup:
    return rows([button(t("btn_ballot_send", lang), BallotCb(action="send")),
                 button(t("btn_ballot_clear", lang), BallotCb(action="clear")),
                 button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def times(starts: Iterable[dt.datetime], lang: str) -> InlineKeyboardMarkup:
    items = [button(s.strftime("%H:%M"), TimeCb(ts=int(s.timestamp()))) for s in starts]
    grid = [items[i:i + 5] for i in range(0, len(items), 5)]
    grid.append([button(t("btn_other_time", lang), ConfirmCb(action="time")),
                 button(t("btn_menu", lang), MenuCb(action="menu"))])
    return InlineKeyboardMarkup(inline_keyboard=grid)


def confirm(lang: str) -> InlineKeyboardMarkup:
    return rows([button(t("btn_confirm", lang), ConfirmCb(action="yes")),
                 button(t("btn_other_time", lang), ConfirmCb(action="time")),
                 button(t("btn_menu", lang), MenuCb(action="menu"))], 1)


def mine(code: str, lang: str) -> InlineKeyboardMarkup:
    return rows([button(t("btn_cancel_booking", lang, code=code),
                        MineCb(action="cancel", code=code)),
                 button(t("btn_rebook", lang, code=code), MineCb(action="rebook", code=code))],
                2)
