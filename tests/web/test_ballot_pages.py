"""The fair-release pages (ADR 13): the booking page says when the newest day opens or
that it is in its ballot; the ballot form takes up to three ranked times without any
script; the request's page shows the result after the (lazy) draw. Kezek's clock is
pinned to a working-day morning (tests.conftest.MORNING), so the release times set
relative to it fall inside the day whenever the tests run."""

from __future__ import annotations

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

import pytest

from kezek import clock
from kezek.app import network
from kezek.app.actor import SYSTEM, Channel
from kezek.app.catalog import RECHECK_SECONDS
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.conftest import random_iin
from tests.web.conftest import Site, run_async

pytestmark = pytest.mark.usefixtures("pinned_clock")
TZ = ZoneInfo("Asia/Almaty")
VEHICLE = "04010001"


async def _policy(url: str, values: dict[str, object]) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await network.set_network_policy(s, values, SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


def set_policy(site: Site, **values: object) -> None:
    url = str(site.client.app.state.settings.database_url)
    run_async(_policy, url, values)
    time.sleep(RECHECK_SECONDS + 0.1)  # changed from outside: the app sees it this late


def local_now() -> dt.datetime:
    """Now in the centres' zone, by Kezek's (pinned) clock."""
    return clock.now().astimezone(TZ)


def newest() -> dt.date:
    return local_now().date() + dt.timedelta(days=10)


def open_ballot(site: Site) -> str:
    now = local_now()
    opened = (now - dt.timedelta(minutes=5)).strftime("%H:%M")
    set_policy(site, release_time=opened, ballot_minutes=60)
    return opened


def test_the_booking_page_says_when_the_newest_day_opens(site: Site) -> None:
    assert local_now().time() < dt.time(23, 59)  # the release time is still ahead today
    set_policy(site, release_time="23:59")
    page = site.client.get(f"/book/{VEHICLE}/{site.centers['vehicle']}")
    assert page.status_code == 200
    assert "запись откроется в 23:59" in page.text
    kk = site.client.get(f"/book/{VEHICLE}/{site.centers['vehicle']}?lang=kk")
    assert "жазылу 23:59 ашылады" in kk.text


def test_the_ballot_form_without_script_then_the_result(site: Site) -> None:
    open_ballot(site)
    cid, day = site.centers["vehicle"], newest()
    book = site.client.get(f"/book/{VEHICLE}/{cid}")
    assert "распределяются жеребьёвкой" in book.text
    link = f"/ballot/{VEHICLE}/{cid}?day={day.isoformat()}"
    assert link in book.text.replace("&amp;", "&")
    form = site.client.get(link)
    assert form.status_code == 200 and form.text.count("<select") == 3
    values = re.findall(r'<option value="([^"]+)"', form.text)
    assert len(values) > 3
    token = site.csrf(form.text)
    iin = random_iin()
    missing = site.client.post(f"/ballot/{VEHICLE}/{cid}", data={
        "csrf": token, "day": day.isoformat(), "iin": iin})
    assert missing.status_code == 422
    assert 'href="#choice1"' in missing.text and "Выберите первое время" in missing.text
    sent = site.client.post(f"/ballot/{VEHICLE}/{cid}", data={
        "csrf": token, "day": day.isoformat(), "iin": iin, "choice1": values[0],
        "choice2": values[1]}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    entry_url = sent.headers["location"]
    entry = site.client.get(entry_url)
    assert "Заявка принята" in entry.text and iin not in entry.text
    twice = site.client.post(f"/ballot/{VEHICLE}/{cid}", data={
        "csrf": token, "day": day.isoformat(), "iin": iin, "choice1": values[2]})
    assert twice.status_code == 409 and "уже подали заявку" in twice.text
    # The window closes; showing the request draws the day.
    set_policy(site, release_time=(local_now() - dt.timedelta(minutes=5)).strftime("%H:%M"),
               ballot_minutes=1)
    result = site.client.get(entry_url)
    assert "Вам досталось место" in result.text
    assert values[0][11:16] in result.text  # the first choice's time, booked


def test_the_request_page_asks_a_stranger_for_the_iin(site: Site) -> None:
    open_ballot(site)
    cid, day = site.centers["vehicle"], newest()
    form = site.client.get(f"/ballot/{VEHICLE}/{cid}?day={day.isoformat()}")
    values = re.findall(r'<option value="([^"]+)"', form.text)
    iin = random_iin()
    sent = site.client.post(f"/ballot/{VEHICLE}/{cid}", data={
        "csrf": site.csrf(form.text), "day": day.isoformat(), "iin": iin,
        "choice1": values[0]}, follow_redirects=False)
    entry_url = sent.headers["location"]
    site.client.cookies.clear()
    asked = site.client.get(entry_url)
    assert 'name="iin"' in asked.text and "Заявка принята" not in asked.text
    shown = site.client.post(entry_url, data={"csrf": site.csrf(asked.text), "iin": iin})
    assert "Заявка принята" in shown.text
    wrong = site.client.post(entry_url, data={"csrf": site.csrf(asked.text),
                                              "iin": random_iin()})
    assert wrong.status_code == 404


def test_the_ballot_form_is_refused_outside_the_window(site: Site) -> None:
    set_policy(site, release_time=None, ballot_minutes=0)
    cid, day = site.centers["vehicle"], newest()
    page = site.client.get(f"/ballot/{VEHICLE}/{cid}?day={day.isoformat()}")
    assert page.status_code == 409 and "не принимаются" in page.text
