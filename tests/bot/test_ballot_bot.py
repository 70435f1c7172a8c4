"""The ballot in the bot (ADR 13): a centre whose newest day is in its ballot says so
beside the days; the person taps ranked times, proves the IIN as for a booking and
enters through `ballot.submit`; a second request for the day is refused in words; the
draw's result reaches the chat through the real job code and the fake Bot API; "my
bookings" shows the request entered, then won.

Kezek's clock, which the bot reads, is pinned to a working-day morning
(tests.conftest.MORNING), and the release time is set a few minutes before it, as the
API's ballot test does: the hour of ballot fits in the day whenever the tests run."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import Chat, bot_settings
from tests.bot.test_booking import IIN

from kezek import clock
from kezek.app import ballot, ballot_draw, catalog, network
from kezek.app.actor import SYSTEM, Channel
from kezek.bot.views import day_label
from kezek.jobs import flows
from kezek.store.db import unit_of_work
from kezek.store.models import BookingRow, CenterRow, utcnow
from kezek.store.models_release import BallotEntryRow

pytestmark = pytest.mark.usefixtures("pinned_clock")
TZ = ZoneInfo("Asia/Almaty")
CARD = "01010001"  # identity card, offered at PSC 2 ("mixed")


async def open_a_ballot(sm: async_sessionmaker[AsyncSession], centre: int
                        ) -> tuple[dt.date, str, list[dt.datetime]]:
    """A release five minutes ago with an hour of ballot: the newest day, the draw's
    local time, and the times a request may choose at PSC 2."""
    now = clock.now().astimezone(TZ)
    opened = now - dt.timedelta(minutes=5)
    async with unit_of_work(sm) as s:
        await network.set_network_policy(s, {"release_time": opened.strftime("%H:%M"),
                                             "ballot_minutes": 60}, SYSTEM, Channel.CLI)
    async with sm() as s:
        found = await ballot.open_ballot(s, centre)
        assert found is not None
        starts = await ballot.ballot_starts(s, centre, CARD, found.day)
    return found.day, found.closes.astimezone(TZ).strftime("%H:%M"), starts


async def to_the_days(chat: Chat, first: bool = True) -> str:
    if first:
        await chat.send("/start")
        await chat.press("English")
    await chat.press("Book a visit")
    await chat.send("identity card")
    await chat.press("Issue of an identity card")
    await chat.press("Test", exact=True)
    await chat.press("PSC 2", exact=True)
    return chat.said()


def hm(x: dt.datetime) -> str:
    return x.astimezone(TZ).strftime("%H:%M")


async def test_entering_the_ballot_from_the_chat_and_its_result(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int],
        db_url: str) -> None:
    cid = centres["mixed"]
    day, draw_at, starts = await open_a_ballot(sm, cid)
    said = await to_the_days(chat)
    assert f"{day_label(day, 'en')}: places are given by ballot" in said
    assert f"Until {draw_at}" in said and "Choose a day" in said
    assert day_label(day, "en") not in chat.buttons()[1:]  # not bookable in the days list
    await chat.press("Enter the ballot")
    assert "tap up to 3 times, best first" in chat.said() and draw_at in chat.said()
    a, b = starts[2], starts[5]
    await chat.press(hm(a), exact=True)
    assert f"1 · {hm(a)}" in chat.buttons() and "✅ Done (1)" in chat.buttons()
    await chat.press(hm(b), exact=True)
    assert f"2 · {hm(b)}" in chat.buttons()
    await chat.press(f"1 · {hm(a)}", exact=True)  # taken out: b moves up to first
    assert f"1 · {hm(b)}" in chat.buttons() and hm(a) in chat.buttons()
    await chat.press(hm(a), exact=True)  # and back in, now second
    assert f"Chosen: 1) {hm(b)}  2) {hm(a)}" in chat.said()
    await chat.press("Done (2)")
    assert "To send the request, send your IIN" in chat.said()
    said = await chat.send_iin(IIN)
    assert "Please check the ballot request" in said
    assert f"Times chosen: 1) {hm(b)}  2) {hm(a)}" in said and "IIN: 90********17" in said
    async with sm() as s:
        assert (await s.scalars(select(BallotEntryRow))).all() == []  # not before sending
    await chat.press("Send the request")
    assert "Request received. Request code:" in chat.said()
    assert "We send the result to this chat after the draw" in chat.said()
    async with sm() as s:
        entry = (await s.scalars(select(BallotEntryRow))).one()
    assert entry.channel == "bot" and entry.telegram_chat_id == chat.chat_id
    assert entry.lang == "en" and entry.status == "entered"
    assert [dt.datetime.fromisoformat(c) for c in entry.choices] == [b, a]
    code = f"{entry.code[:4]}-{entry.code[4:]}"
    assert code in chat.said()

    # One request per person, centre and day: a second one is refused in words.
    await to_the_days(chat, first=False)
    await chat.press("Enter the ballot")
    await chat.press(hm(starts[7]), exact=True)
    await chat.press("Done (1)")
    await chat.send_iin(IIN)
    await chat.press("Send the request")
    assert "You have already sent a ballot request for this centre and day" in chat.said()
    async with sm() as s:
        assert len((await s.scalars(select(BallotEntryRow))).all()) == 1

    # "My bookings" (the chat is linked and proven) shows the request waiting.
    await chat.press("My bookings")
    said = chat.said()
    assert "Your ballot requests:" in said and code in said
    assert "entered, awaiting the draw" in said

    # The draw (as the sweep runs it), then the job that tells the results.
    now = utcnow()
    async with unit_of_work(sm) as s:
        assert await ballot_draw.draw(s, await catalog.center(s, cid), day, now)
    sent_before = len(chat.api.of("sendMessage"))
    told = await flows.send_ballot_results(sm, bot_settings(db_url, chat.api.url), cid, day,
                                           now)
    assert told == 1
    results = chat.api.of("sendMessage")[sent_before:]
    assert [int(c.params["chat_id"]) for c in results] == [chat.chat_id]
    text = results[0].params["text"]
    async with sm() as s:
        entry = (await s.scalars(select(BallotEntryRow))).one()
        won = await s.get(BookingRow, entry.booking_id)
    assert entry.status == "won" and entry.won_choice == 0 and won is not None
    assert "Ballot: you have a place" in text and code in text and hm(b) in text
    assert IIN not in text
    # Told once: a second pass sends nothing.
    assert await flows.send_ballot_results(sm, bot_settings(db_url, chat.api.url), cid,
                                           day, now) == 0
    await chat.send("/menu")
    await chat.press("My bookings")
    said = chat.said()
    assert f"won a place: {hm(b)}, {won.code[:4]}-{won.code[4:]}" in said
    assert "Your active bookings:" in said


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_no_ballot_offer_when_the_day_is_open(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    said = await to_the_days(chat)
    assert "Choose a day" in said and "ballot" not in said
    assert not any("ballot" in label for label in chat.buttons())


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_long_day_of_times_comes_in_pages(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    """Telegram takes at most 100 buttons a message: a 3-minute grid is paged."""
    cid = centres["mixed"]
    async with unit_of_work(sm) as s:
        await s.execute(update(CenterRow).where(CenterRow.id == cid).values(slot_minutes=3))
        await catalog.changed(s)
    _, _, starts = await open_a_ballot(sm, cid)
    assert len(starts) > 48
    await to_the_days(chat)
    await chat.press("Enter the ballot")
    markup = chat.since("editMessageText")[-1].params["reply_markup"]["inline_keyboard"]
    assert sum(len(row) for row in markup) < 100
    assert hm(starts[0]) in chat.buttons() and hm(starts[48]) not in chat.buttons()
    await chat.press(hm(starts[1]), exact=True)
    await chat.press("▶", exact=True)
    assert hm(starts[48]) in chat.buttons() and hm(starts[0]) not in chat.buttons()
    await chat.press(hm(starts[48]), exact=True)
    assert f"Chosen: 1) {hm(starts[1])}  2) {hm(starts[48])}" in chat.said()
    await chat.press("◀", exact=True)
    assert f"1 · {hm(starts[1])}" in chat.buttons()
