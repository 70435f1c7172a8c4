"""Where to go: online services to the portal and self-service points, centres nearby,
privilege-only centres, and the conversation in Kazakh."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tests.bot.conftest import PLACES, Chat, tomorrow_label
from tests.bot.test_booking import IIN

from kezek.core.geo import haversine_km
from kezek.store.models import BookingRow

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def choose_service(chat: Chat, words: str, name: str, lang_button: str = "English",
                         book: str = "Book a visit") -> None:
    await chat.send("/start")
    await chat.press(lang_button)
    await chat.press(book)
    await chat.send(words)
    await chat.press(name)


async def test_an_online_service_goes_to_the_portal_and_self_service_points(
        chat: Chat, sm: async_sessionmaker[AsyncSession]) -> None:
    await choose_service(chat, "address certificate", "Address certificate")
    said = chat.said()
    assert "is provided only on the e-government portal" in said
    assert "https://egov.kz" in said and "electronic digital signature" in said
    assert "Employment department" in said and "1 Abai Street" in said
    assert "Opening hours: Mon–Fri 09:00–18:00" in said
    assert "https://www.openstreetmap.org/?mlat=53.28410&mlon=69.39520" in said
    portal = [b for _, (_, buttons) in chat.messages().items() for b in buttons if "url" in b]
    assert portal and portal[-1]["url"] == "https://egov.kz"
    assert "Choose a day" not in said  # nothing to book
    share = chat.since("sendMessage")[-1].params["reply_markup"]
    assert share["keyboard"][0][0]["request_location"] is True

    await chat.share_location(53.40, 69.60)  # at the chamber of entrepreneurs
    said = chat.said()
    assert said.index("Chamber of entrepreneurs") < said.index("Employment department")
    assert "0.0 km" in said
    async with sm() as s:
        assert (await s.scalars(select(BookingRow))).all() == []


async def test_a_point_far_away_is_not_offered_as_near(chat: Chat) -> None:
    # Every point is in Kokshetau; from Almaty the "nearest" used to be listed as near.
    await choose_service(chat, "address certificate", "Address certificate")
    await chat.share_location(43.238, 76.945)
    said = chat.said()
    assert "There is no self-service point near you: the nearest is 1" in said
    assert "call 1414" in said
    assert said.count("Opening hours") == 1  # the one nearest point, with its distance


async def test_a_shared_location_lists_the_nearest_centres(chat: Chat) -> None:
    await choose_service(chat, "identity card", "Issue of an identity card")
    lat, lon = PLACES["mixed"]
    await chat.share_location(lat + 0.001, lon)
    said = chat.said()
    assert "The centres nearest to you" in said
    assert said.index("PSC 2") < said.index("PSC 1")
    assert "Vehicle PSC" not in said  # a specialised centre does not issue identity cards
    far = haversine_km(lat + 0.001, lon, *PLACES["booking-only"])
    assert f"{far:.1f} km" in said
    assert chat.buttons()[:2] == ["PSC 2 · 0.1", f"PSC 1 · {far:.1f}"]
    await chat.press("PSC 2 · 0.1")
    assert "Choose a day" in chat.said()


async def test_a_privilege_only_centre_asks_and_books_at_the_privilege_window(
        chat: Chat, sm: async_sessionmaker[AsyncSession], centres: dict[str, int]) -> None:
    # Registering a birth is also online, so the booking-only centre keeps it for
    # privileged people; the mixed centre serves everyone.
    await choose_service(chat, "birth", "Registration of a birth")
    assert "also get this service online" in chat.said()
    await chat.press("Test", exact=True)
    await chat.press("PSC 1", exact=True)
    assert "kept for privileged people" in chat.said()
    await chat.press("None of these")
    assert "https://egov.kz" in chat.said()
    await chat.press("Back to the menu")
    await chat.press("Book a visit")
    await chat.send("birth")
    await chat.press("Registration of a birth")
    await chat.press("Test", exact=True)
    await chat.press("PSC 1", exact=True)
    await chat.press("Pensioner")
    await chat.press(tomorrow_label("en"), exact=True)
    await chat.press("09:30", exact=True)
    await chat.send_iin(IIN)
    await chat.press("Confirm")
    assert "You are booked!" in chat.said()
    async with sm() as s:
        row = (await s.scalars(select(BookingRow))).one()
    assert row.privilege == "pensioner" and row.center_id == centres["booking-only"]


async def test_the_conversation_in_kazakh(chat: Chat) -> None:
    await chat.send("/start")
    await chat.press("Қазақша")
    assert "Қабылдауға жазылу" in chat.buttons()
    await chat.press("Қабылдауға жазылу")
    assert "Қызметтің атауын" in chat.said()
    await chat.send("жеке куәлік")
    await chat.press("Жеке куәлік беру")
    await chat.press("Тест", exact=True)
    await chat.press("ХҚО 2", exact=True)
    assert "Күнді таңдаңыз" in chat.said()
    await chat.press(tomorrow_label("kk"), exact=True)
    await chat.press("10:00", exact=True)
    assert "ЖСН" in chat.said()
    await chat.send("900101300019")
    assert "ЖСН қате: бақылау саны сәйкес емес" in chat.said()
    await chat.send(IIN)
    assert "ЖСН қабылданды: 90********17" in chat.said()
    assert "Бұл сіз екеніңізді растаңыз" in chat.said()
    await chat.share_contact()
    assert "Расталды: +7 701 *** ** 67" in chat.said()
    assert "Растау" in " ".join(chat.buttons())
