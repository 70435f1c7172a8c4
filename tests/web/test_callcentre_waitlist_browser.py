"""The 1414 console's waitlist desk in Debian's chromium, in Kazakh and Russian, at a
desk and on a phone: the operator finds the caller, shows a centre's times, sees the
fully booked day (written by the server, never "M12 3, Thu"), puts the caller in line
with the number they give, sees the entry in the caller's record and takes it off the
list; axe-core finds nothing, and no button is clipped at 1280-1366 px. Screenshots go
to $KEZEK_SHOTS when set."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.dates import get_month_names
from sqlalchemy import select

from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models_jobs import WaitlistEntryRow
from tests.conftest import next_weekday, random_iin
from tests.web.conftest import IN_CI, STAFF_PASSWORD, add_staff, run_async
from tests.web.test_accessibility_browser import AXE, violations
from tests.web.test_identity_browser import shot
from tests.web.test_waitlist_pages import VEHICLE, FullDay, _fill

pytestmark = pytest.mark.browser
SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1366, "height": 768}}
WORDS = {
    "ru": {"search": "транспортного", "waiting": "В очереди: 1-й", "left": "Вышел из очереди",
           "joined": "Поставлен в лист ожидания", "leave": "Убрать из очереди",
           "confirm": "Подтвердить отмену", "phone": "Неверный номер телефона"},
    "kk": {"search": "Көлікті", "waiting": "Кезекте: 1-орын", "left": "Шықты",
           "joined": "Күту тізіміне жазылды", "leave": "Кезектен шығару",
           "confirm": "Растау: болдырмау", "phone": "Телефон нөмірі қате"},
}
@pytest.fixture
def full_day(seeded_url: tuple[str, dict[str, int]]) -> FullDay:
    url, centres = seeded_url
    cid = centres["vehicle"]
    day = next_weekday(days_ahead=2)
    return FullDay(url, cid, day, run_async(_fill, url, cid, day))


@pytest.fixture
def site_url(full_day: FullDay, base_url: str) -> str:
    """The server, started after the day was filled (its catalog is read afresh)."""
    return base_url


async def _entries(url: str) -> list[tuple[str, str, bool]]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            return [(e.channel, e.status, e.phone_cipher is not None)
                    for e in (await s.scalars(select(WaitlistEntryRow)))]
    finally:
        await engine.dispose()


def nothing_clipped(page: Any) -> list[str]:
    """Buttons whose text overflows them or that stick out of a box that clips them (a
    scrolling table, the panel, the page), and selects too narrow for their choice."""
    return list(page.evaluate("""() => {
        const out = [];
        const width = document.documentElement.clientWidth;
        for (const b of document.querySelectorAll('.cc-panel button')) {
          if (!b.offsetParent) continue;
          const r = b.getBoundingClientRect();
          let clipped = b.scrollWidth > b.clientWidth + 1 || r.right > width;
          for (let up = b.parentElement; up && !clipped; up = up.parentElement) {
            const style = getComputedStyle(up);
            if (style.overflowX === 'visible' && !up.classList.contains('cc-panel')) continue;
            const box = up.getBoundingClientRect();
            clipped = r.right > box.right + 1 || r.left < box.left - 1;
          }
          if (clipped) out.push((b.id || b.className) + ': ' + b.textContent.trim());
        }
        for (const s of document.querySelectorAll('.cc-panel select')) {
          if (!s.offsetParent) continue;
          const text = s.options[s.selectedIndex] ? s.options[s.selectedIndex].text : '';
          const probe = document.createElement('span');
          probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;font:' +
            getComputedStyle(s).font;
          probe.textContent = text;
          document.body.appendChild(probe);
          // the text, its padding and the arrow: about 3.5em besides the text
          const need = probe.getBoundingClientRect().width +
            3.5 * parseFloat(getComputedStyle(s).fontSize);
          probe.remove();
          if (need > s.getBoundingClientRect().width + 1) out.push('#' + s.id + ': ' + text);
        }
        if (document.documentElement.scrollWidth > width) out.push('the page scrolls sideways');
        return out;
    }"""))


@pytest.mark.parametrize("size", ["desk", "phone"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_console_puts_a_caller_on_the_waitlist(
        site_url: str, full_day: FullDay, browser: Any, lang: str, size: str) -> None:
    from playwright.sync_api import expect

    if not AXE.exists():
        if IN_CI:
            pytest.fail(f"{AXE} is missing: run `make axe`")
        pytest.skip(f"{AXE} is missing: run `make axe`")
    add_staff(full_day.url, "cc.wait", "call_centre", [])
    words = WORDS[lang]
    context = browser.new_context(viewport=SIZES[size], locale="kk-KZ" if lang == "kk"
                                  else "ru-RU", is_mobile=size == "phone",
                                  has_touch=size == "phone", device_scale_factor=1,
                                  bypass_csp=True)  # for axe-core's script only
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{site_url}/staff/callcentre?lang={lang}")
        page.locator("#username").fill("cc.wait")
        page.locator("#password").fill(STAFF_PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/staff/callcentre"))
        page.locator('#live-status[data-state="on"]').wait_for()

        iin = random_iin()
        page.locator("#caller-iin").fill(iin)
        page.locator("#caller-checked").check()
        page.locator("#caller-form button[type=submit]").click()
        expect(page.locator("#caller-masked")).to_contain_text(f"{iin[:2]}********{iin[-2:]}")
        expect(page.locator("#caller-waitlist-none")).to_be_visible()

        page.locator("#service-q").fill(words["search"])
        page.locator("#service-q").press("Enter")
        page.locator(f'#service-results button[data-code="{VEHICLE}"]').click()
        page.locator("#book-centre").select_option(str(full_day.center))
        page.locator("#book-show").click()
        expect(page.locator("#book-times .cc-slots button").first).to_be_visible()
        page.locator("#book-times .cc-slots button").first.click()  # a booking first
        expect(page.locator("#booked-code")).to_be_visible()
        expect(page.locator("#bookings-body tr button")).to_have_count(2)
        for width in ((1280, 1366) if size == "desk" else (390,)):
            page.set_viewport_size({"width": width, "height": SIZES[size]["height"]})
            assert nothing_clipped(page) == [], (width, nothing_clipped(page))
            shot(page, f"cc-booked-{lang}-{size}-{width}")
        page.locator("#book-show").click()
        expect(page.locator("#book-times .cc-slots button").first).to_be_visible()
        # Every day on the console is the server's: the free days and the full one.
        labels = page.locator("#book-times-day option").all_inner_texts()
        box = page.locator("#wait")
        expect(box).to_be_visible()
        day = full_day.day.isoformat()
        option = box.locator(f'#wait-day option[value="{day}"]')
        expect(option).to_have_count(1)
        labels.append(option.inner_text())
        for label in labels:
            assert not re.search(r"\bM\d", label), label
        month = get_month_names("wide", context="format", locale=lang)[full_day.day.month]
        assert f"{full_day.day.day} {month}" in labels[-1]
        assert f'value="{day}"' not in page.locator("#book-times-day").inner_html()

        box.locator("#wait-day").select_option(day)
        box.locator("#wait-phone").fill("12345")
        box.locator("#wait-join").click()
        expect(page.locator("#error")).to_contain_text(words["phone"])
        box.locator("#wait-phone").fill("8 701 555 01 23")
        assert nothing_clipped(page) == [], nothing_clipped(page)
        shot(page, f"cc-waitlist-form-{lang}-{size}")
        found = violations(page)
        box.locator("#wait-join").click()
        code = page.locator("#wait-code")
        expect(code).to_have_text(re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"))
        expect(page.locator("#notice")).to_contain_text(words["joined"])
        assert box.locator("#wait-phone").input_value() == ""
        entry = page.locator("#caller-waitlist li")
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text(code.inner_text())
        expect(entry).to_contain_text(words["waiting"])
        expect(entry).to_contain_text("SMS")
        expect(page.locator("#caller-waitlist-none")).to_be_hidden()
        assert nothing_clipped(page) == [], nothing_clipped(page)
        shot(page, f"cc-waitlist-joined-{lang}-{size}")
        found += violations(page)
        assert run_async(_entries, full_day.url) == [("call_centre", "waiting", True)]

        # Off the list: the button asks once more, then the entry shows as left.
        leave = entry.get_by_role("button", name=words["leave"])
        leave.click()
        expect(entry.get_by_role("button", name=words["confirm"])).to_be_visible()
        entry.get_by_role("button", name=words["confirm"]).click()
        expect(page.locator("#caller-waitlist li")).to_contain_text(words["left"])
        expect(page.locator("#caller-waitlist li button")).to_have_count(0)
        assert run_async(_entries, full_day.url) == [("call_centre", "cancelled", True)]
        assert iin not in page.content() and "555 01 23" not in page.content()
        assert found == []
        assert errors == []
    finally:
        context.close()
