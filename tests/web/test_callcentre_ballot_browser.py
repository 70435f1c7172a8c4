"""The 1414 console's ballot desk in Debian's chromium (ADR 13), in Russian and Kazakh,
at a desk and on a phone: the operator finds the caller, chooses a service and a
centre whose newest day is in its ballot, presses the caller's times in their order
(a second press takes one out), sends the request, and sees it in the caller's record;
a second request for the day is refused in words. Screenshots of the ballot part go to
$KEZEK_SHOTS when set, for a person to look at."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kezek.app.catalog import RECHECK_SECONDS
from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models_release import BallotEntryRow
from tests.conftest import random_iin
from tests.web.conftest import STAFF_PASSWORD, add_staff, pin_browser_clock, run_async
from tests.web.test_ballot_pages import _policy
from tests.web.test_identity_browser import shot

pytestmark = pytest.mark.browser
VEHICLE = "04010001"
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 900}}
WORDS = {
    "ru": {"search": "транспортного", "title": "жеребьёвка", "rank": "Выбор {n}",
           "chosen": "Выбрано: ", "sent": "Заявка отправлена. Код:",
           "waiting": "Ждёт жеребьёвки", "already": "Вы уже подали заявку",
           "need": "Выберите хотя бы одно время"},
    "kk": {"search": "Көлікті", "title": "жеребе", "rank": "{n}-таңдау",
           "chosen": "Таңдалғаны: ", "sent": "Өтінім жіберілді. Коды:",
           "waiting": "Жеребе күтілуде", "already": "жеребеге өтінім беріп қойғансыз",
           "need": "Кемінде бір уақыт таңдаңыз"},
}


async def _entries(url: str) -> list[tuple[str, list[str], str]]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            return [(e.channel, e.choices, e.lang)
                    for e in (await s.scalars(select(BallotEntryRow)))]
    finally:
        await engine.dispose()


def _shot_ballot(page: Any, name: str, part: str = "#ballot") -> None:
    """The whole page, then the part itself (the console is long on a phone)."""
    shot(page, name)
    folder = os.environ.get("KEZEK_SHOTS")
    if folder:
        page.locator(part).screenshot(path=str(Path(folder) / f"{name}-part.png"))


@pytest.mark.parametrize("size", ["desk", "phone"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_console_enters_a_callers_ballot_request(
        base_url: str, seeded_url: tuple[str, dict[str, int]], browser: Any, lang: str,
        size: str, pinned_clock: dt.datetime) -> None:
    """The clock (server and browser) reads a morning: the hour of ballot fits in it."""
    from playwright.sync_api import expect

    now = pinned_clock
    url, centres = seeded_url
    run_async(_policy, url, {"release_time": (now - dt.timedelta(minutes=5)).strftime("%H:%M"),
                             "ballot_minutes": 60})
    time.sleep(RECHECK_SECONDS + 0.1)
    add_staff(url, "cc.bal", "call_centre", [])
    words = WORDS[lang]
    context = browser.new_context(viewport=SIZES[size], locale="kk-KZ" if lang == "kk"
                                  else "ru-RU", is_mobile=size == "phone",
                                  has_touch=size == "phone", device_scale_factor=1)
    pin_browser_clock(context, pinned_clock)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base_url + "/staff/callcentre")
        page.locator("#username").fill("cc.bal")
        page.locator("#password").fill(STAFF_PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(base_url + "/staff/callcentre")
        page.locator('#live-status[data-state="on"]').wait_for()

        iin = random_iin()
        page.locator("#caller-iin").fill(iin)
        page.locator("#caller-checked").check()
        page.locator("#caller-form button[type=submit]").click()
        expect(page.locator("#caller-masked")).to_contain_text(f"{iin[:2]}********{iin[-2:]}")
        expect(page.locator("#caller-ballots-part")).to_be_hidden()

        page.locator("#service-q").fill(words["search"])
        page.locator("#service-q").press("Enter")
        page.locator(f'#service-results button[data-code="{VEHICLE}"]').click()
        page.locator("#book-centre").select_option(str(centres["vehicle"]))
        page.locator("#book-show").click()
        box = page.locator("#ballot")
        expect(box).to_be_visible()
        expect(box.locator("#ballot-title")).to_contain_text(words["title"])
        # The day in the page's language even where the browser lacks its dates
        # (chromium has no Kazakh ones and wrote "M12 13, Sun").
        assert not re.search(r"\bM\d", box.locator("#ballot-title").inner_text())
        times = box.locator("#ballot-times button")
        expect(times.first).to_be_visible()
        assert times.count() > 5
        # The free times below are of the other days only: the ballot day is not booked.
        day = box.get_attribute("data-day")
        assert day and day > now.date().isoformat()
        expect(page.locator("#book-times-day option").first).to_be_attached()
        expect(page.locator(f'#book-times-day option[value="{day}"]')).to_have_count(0)

        box.locator("#ballot-send").click()  # nothing chosen yet
        expect(page.locator("#error")).to_contain_text(words["need"])
        third, first = times.nth(2), times.nth(0)
        third_at, first_at = third.get_attribute("data-start"), first.get_attribute("data-start")
        assert third_at and first_at
        third.click()
        box.locator(f'[data-start="{first_at}"]').click()
        pick = lambda at: box.locator(f'[data-start="{at}"]')  # noqa: E731
        expect(pick(third_at)).to_have_attribute("aria-pressed", "true")
        expect(pick(third_at)).to_contain_text(words["rank"].format(n=1))
        expect(pick(first_at)).to_contain_text(words["rank"].format(n=2))
        pick(third_at).click()  # taken out: the other moves up
        expect(pick(third_at)).to_have_attribute("aria-pressed", "false")
        expect(pick(first_at)).to_contain_text(words["rank"].format(n=1))
        expect(pick(third_at)).to_be_focused()  # the operator's place is kept
        pick(third_at).click()  # back in, second now
        expect(box.locator("#ballot-chosen")).to_have_text(
            f"{words['chosen']}1) {first_at[11:16]}   2) {third_at[11:16]}")
        _shot_ballot(page, f"cc-ballot-{lang}-{size}")

        box.locator("#ballot-send").click()
        expect(page.locator("#ballot-code")).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
        code = page.locator("#ballot-code").inner_text()
        expect(page.locator("#notice")).to_contain_text(words["sent"])
        expect(box).to_be_hidden()
        entry = page.locator("#caller-ballots li")
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(code)
        expect(entry).to_contain_text(words["waiting"])
        _shot_ballot(page, f"cc-ballot-done-{lang}-{size}", "#caller")
        assert run_async(_entries, url) == [("call_centre", [
            dt.datetime.fromisoformat(first_at).astimezone(dt.UTC).isoformat(),
            dt.datetime.fromisoformat(third_at).astimezone(dt.UTC).isoformat()], lang)]

        # One request per person and day, from any channel: the second is refused.
        page.locator("#book-show").click()
        expect(box).to_be_visible()
        times.nth(4).click()
        box.locator("#ballot-send").click()
        expect(page.locator("#error")).to_contain_text(words["already"])
        assert len(run_async(_entries, url)) == 1
        assert iin not in page.content()
        assert errors == []
    finally:
        context.close()
