"""The privilege path of an online-only service on the web (issue 13): the service page
says, in kk, ru and en, that a pensioner, a person with a disability or a large family
can book a privilege window, and lists the centres that have one; the link leads into
the booking flow, which asks for the privilege, and the booking carries the claim (the
door checks it). Plain forms, no script."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models import BookingRow
from kezek.web.i18n_ui import ui
from tests.web.conftest import IIN, Site, run_async
from tests.web.test_citizen_pages import CODE, START, confirm_page, post_iin

ONLINE = "02010001"  # "online": the portal, or a privilege window


async def _bookings(url: str) -> list[tuple[str, str | None, str | None, str]]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            return [(b.service_code, b.privilege, b.privilege_status, b.channel)
                    for b in (await s.scalars(select(BookingRow)))]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_an_online_only_service_shows_the_privilege_path(site: Site, lang: str) -> None:
    page = site.client.get(f"/services/{ONLINE}?lang={lang}")
    assert page.status_code == 200
    text = page.text
    link = ui("priv_path_link", lang)
    assert f'<a class="priv-path-link" href="#privilege">{link}</a>' in text
    assert f'<h2 class="h-m" id="privilege">{ui("priv_path_title", lang)}</h2>' in text
    assert ui("priv_path_door", lang) in text
    # Only the centre with a privilege window is listed, marked as for privileged people.
    booking_only = site.centers["booking-only"]
    assert re.findall(r'href="(/book/[^"]+)"', text) == [f"/book/{ONLINE}/{booking_only}"]
    assert ui("centre_privilege_only", lang) in text
    # The portal and the self-service points stay first.
    assert text.index("egov.kz") < text.index('id="privilege"')


def test_a_paper_service_has_no_privilege_path(site: Site) -> None:
    page = site.client.get("/services/01010001?lang=ru").text
    assert 'id="privilege"' not in page and ui("priv_path_link", "ru") not in page


def test_the_privilege_path_books_with_the_claim(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    site.client.get("/?lang=ru")
    service = site.client.get(f"/services/{ONLINE}").text
    (path,) = re.findall(r'href="(/book/[^"]+)"', service)
    asked = site.client.get(path)  # the flow asks which privilege first
    assert asked.status_code == 200
    assert ui("privilege_required_title", "ru") in asked.text
    assert 'value="pensioner"' in asked.text and 'value="none"' in asked.text
    times = site.client.get(path, params={"privilege": "pensioner", "asked": "1"})
    assert times.status_code == 200, times.text
    found = START.search(times.text)
    assert found, "no privilege-window time offered"
    start = found.group(1)
    confirm, csrf = confirm_page(site, start, service=ONLINE, centre="booking-only",
                                 privilege="pensioner")
    posted = post_iin(site, confirm, start, IIN, csrf, privilege="pensioner")
    assert posted.status_code == 303, posted.text
    done = site.client.get(posted.headers["location"])
    assert CODE.search(done.text)
    assert run_async(_bookings, seeded_url[0]) == [(ONLINE, "pensioner", "claimed", "web")]
    # Without the privilege the same centre sends the person online.
    online = site.client.get(path, params={"privilege": "none", "asked": "1"})
    assert online.status_code == 200 and "egov.kz" in online.text
    assert not START.search(online.text)
