"""The feedback page as plain HTTP forms: five choices and a comment, CSRF as every
form, one answer per visit (a second is refused with 409), a bad token a 404 page, a
missing rating or an overlong comment a 422 in the page's language."""

from __future__ import annotations

import sqlite3

from kezek.web.i18n_ui import ui
from tests.web.conftest import Site, window_ids
from tests.web.feedback_support import served_link


def _kept(site: Site) -> list[tuple[int, int, str | None, str]]:
    path = str(site.client.app.state.settings.database_url).split(":///", 1)[1]  # type: ignore[attr-defined]
    with sqlite3.connect(path) as db:
        return [tuple(r) for r in db.execute(  # type: ignore[misc]
            "SELECT ticket_id, rating, comment, channel FROM visit_feedback").fetchall()]


def _link(site: Site) -> tuple[int, str]:
    url = str(site.client.app.state.settings.database_url)  # type: ignore[attr-defined]
    cid = site.centers["mixed"]
    return served_link(url, cid, window_ids(url, cid)[1])


def test_a_rating_and_comment_are_kept_once(site: Site) -> None:
    ticket_id, link = _link(site)
    page = site.client.get(link + "?lang=kk")
    assert page.status_code == 200
    assert ui("fb_title", "kk") in page.text and ui("fb_5", "kk") in page.text
    r = site.client.post(link, data={"rating": "4", "comment": "Жылдам, рахмет",
                                     "csrf": site.csrf(page.text)})
    assert r.status_code == 200 and ui("fb_thanks", "kk", rating=4) in r.text
    assert _kept(site) == [(ticket_id, 4, "Жылдам, рахмет", "web")]

    again = site.client.get(link + "?lang=ru")
    assert again.status_code == 200 and ui("fb_already", "ru", rating=4) in again.text
    r = site.client.post(link, data={"rating": "1", "csrf": site.csrf(page.text)})
    assert r.status_code == 409 and ui("fb_already", "ru", rating=4) in r.text
    assert _kept(site) == [(ticket_id, 4, "Жылдам, рахмет", "web")]


def test_bad_answers_are_refused_in_the_page_language(site: Site) -> None:
    _, link = _link(site)
    page = site.client.get(link + "?lang=ru")
    csrf = site.csrf(page.text)
    r = site.client.post(link, data={"csrf": csrf, "comment": "ok"})
    assert r.status_code == 422 and ui("fb_pick", "ru") in r.text
    assert 'href="#rating"' in r.text and ">ok</textarea>" in r.text
    r = site.client.post(link, data={"csrf": csrf, "rating": "9"})
    assert r.status_code == 422 and ui("fb_pick", "ru") in r.text
    r = site.client.post(link, data={"csrf": csrf, "rating": "5", "comment": "я" * 501})
    assert r.status_code == 422 and ui("fb_too_long", "ru") in r.text
    r = site.client.post(link, data={"csrf": "x" * 30, "rating": "5"})
    assert r.status_code == 403
    assert _kept(site) == []


def test_a_made_up_or_changed_token_finds_nothing(site: Site) -> None:
    ticket_id, link = _link(site)
    token = link.rsplit("/", 1)[1]
    other = f"{ticket_id + 1}.{token.split('.', 1)[1]}"
    for bad in (other, "1.abc", "nothing", token[:-2]):
        r = site.client.get(f"/feedback/{bad}?lang=en")
        assert r.status_code == 404 and ui("fb_unknown", "en") in r.text
    page = site.client.get(link)
    r = site.client.post(f"/feedback/{other}", data={"rating": "5",
                                                     "csrf": site.csrf(page.text)})
    assert r.status_code == 404
    assert _kept(site) == []
