"""The 1414 console page writes its days on the server (Babel), in kk, ru and en: the
browser's own dates wrote "M12 3, Thu" in Kazakh. And the page carries the waitlist
desk (a caller's entries, the full days of a centre) and its script."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
from babel.dates import get_month_names

from tests.web.conftest import Site, add_staff
from tests.web.test_callcentre_pages import PAGE_DATA, _login


@pytest.mark.parametrize(("lang", "weekday"), [
    ("kk", re.compile(r"^\d{1,2} [а-яәғқңөұүһі]+, [а-яәғқңөұүһі]+$")),
    ("ru", re.compile(r"^[А-Я][а-я]+, \d{1,2} [а-я]+$")),
    ("en", re.compile(r"^[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]+$")),
])
def test_the_console_days_are_written_by_the_server(
        site: Site, seeded_url: tuple[str, dict[str, int]], lang: str,
        weekday: re.Pattern[str]) -> None:
    url, _ = seeded_url
    add_staff(url, "cc.days", "call_centre", [])
    _login(site, "cc.days")
    page = site.client.get(f"/staff/callcentre?lang={lang}")
    assert page.status_code == 200
    data = json.loads(PAGE_DATA.search(page.text).group(1))  # type: ignore[union-attr]
    today = dt.datetime.now(ZoneInfo("Asia/Almaty")).date()
    days = data["days"]
    months = get_month_names("wide", context="format", locale=lang)
    for offset in (-7, 0, 1, 30, 90):  # a week back (lookups) to the booking horizon
        day = today + dt.timedelta(days=offset)
        label = days[day.isoformat()]
        assert weekday.match(label), label
        assert months[day.month] in label and str(day.day) in label
        assert not re.search(r"\bM\d", label)
    assert len(days) > 200  # every day the console may show, not just the next fortnight


def test_the_console_carries_the_waitlist_desk(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, _ = seeded_url
    add_staff(url, "cc.wl", "call_centre", [])
    _login(site, "cc.wl")
    page = site.client.get("/staff/callcentre?lang=kk").text
    for piece in ('id="caller-waitlist"', 'id="wait"', 'id="wait-day"', 'id="wait-phone"',
                  'type="tel"', "/static/callcentre_waitlist.js", "Күту тізімі",
                  "Қоңырау шалушының ұялы телефоны (SMS үшін)"):
        assert piece in page, piece
    assert site.client.get("/static/callcentre_waitlist.js").status_code == 200
