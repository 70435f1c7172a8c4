"""What the bot's keyboards look like (issue 13): a reply keyboard that asked for a
location is removed once it is answered or the person goes on another way, and names
in buttons are shortened at a word boundary, within Telegram's limits."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import PLACES, Chat
from tests.bot.test_places import choose_service

from kezek.bot import keyboards as kb
from kezek.bot.bound import Where
from kezek.store.db import unit_of_work
from kezek.store.models import CenterRow

SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
LONG = "Центр обслуживания населения Алмалинского района города Алматы имени Абая"


def _removals(chat: Chat) -> list[Any]:
    return [c for c in chat.since("sendMessage")
            if c.params.get("reply_markup") == {"remove_keyboard": True}]


@SQLITE
async def test_a_shared_location_removes_the_location_keyboard(chat: Chat) -> None:
    await choose_service(chat, "identity card", "Issue of an identity card")
    assert chat.since("sendMessage")[-1].params["reply_markup"]["keyboard"]
    await chat.share_location(*PLACES["mixed"])
    removed = _removals(chat)
    assert [c.params["text"] for c in removed] == ["📍 Location received."]
    assert "The centres nearest to you" in chat.said()
    await chat.press("PSC 2", exact=False)  # nothing left to remove
    assert _removals(chat) == [] and chat.since("deleteMessage") == []


@SQLITE
async def test_going_on_by_a_city_button_removes_the_location_keyboard(chat: Chat) -> None:
    await choose_service(chat, "identity card", "Issue of an identity card")
    await chat.press("Test", exact=True)
    removed = _removals(chat)
    assert len(removed) == 1
    # the short message that removed it does not stay in the chat
    assert [int(c.params["message_id"]) for c in chat.since("deleteMessage")] == [
        removed[0].result["message_id"]]
    assert "Choose a centre" in chat.said()
    await chat.press("PSC 2", exact=True)
    assert _removals(chat) == []


@SQLITE
async def test_a_typed_command_removes_the_self_service_location_keyboard(chat: Chat) -> None:
    await choose_service(chat, "address certificate", "Address certificate")
    await chat.send("/menu")
    assert len(_removals(chat)) == 1


def test_names_are_shortened_at_a_word_boundary_with_an_ellipsis() -> None:
    label = kb.short(LONG)
    assert label == "Центр обслуживания населения Алмалинского…"
    assert len(label) <= kb.LABEL_MAX and LONG.startswith(label[:-1])
    assert kb.short("PSC 2") == "PSC 2"
    assert kb.short("x" * 80) == "x" * (kb.LABEL_MAX - 1) + "…"


def test_a_centre_button_keeps_its_distance_whole() -> None:
    markup = kb.centres([(7, LONG)], "01010001", "ru", suffixes=["12.5"])
    text = markup.inline_keyboard[0][0].text
    assert text.endswith("… · 12.5") and len(text) <= kb.LABEL_MAX
    assert not text.split(" · ")[0][:-1].endswith(" ")


def test_every_booking_button_fits_telegrams_64_bytes() -> None:
    import datetime as dt

    where = Where(centre=123456, service="01010001", privilege="large_family",
                  target="ABCD2345")
    start = dt.datetime(2026, 12, 4, 5, 0, tzinfo=dt.UTC)
    markups = [kb.times([start], where, "kk"), kb.confirm(where, int(start.timestamp()), "kk"),
               kb.days([(start.date(), "4 жел")], where, "kk", "🎲",
                       full=[(start.date(), "5 жел")]),
               kb.full_day(start.date(), where, "kk"),
               kb.ballot_times([start], [int(start.timestamp())], where, "kk", (0, 2))]
    for markup in markups:
        for row in markup.inline_keyboard:
            for b in row:
                assert b.callback_data is not None
                assert len(b.callback_data.encode()) <= 64


@SQLITE
async def test_a_long_centre_name_in_the_chat(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    async with unit_of_work(sm) as s:
        await s.execute(update(CenterRow).where(CenterRow.slug == "mixed").values(name_en=LONG))
    await choose_service(chat, "identity card", "Issue of an identity card")
    await chat.press("Test", exact=True)
    assert "Центр обслуживания населения Алмалинского…" in chat.buttons()
    await chat.press("Центр обслуживания населения Алмалинского…", exact=True)
    assert "Choose a day" in chat.said()
