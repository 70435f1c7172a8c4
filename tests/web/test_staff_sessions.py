"""Page sessions the server can end: a copied cookie dies at logout, with a password
change and with disabling; sign-in refusals are pages in the person's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from kezek.api.app import create_app
from kezek.app import staff_accounts, staff_login
from kezek.app.accounts import user_named
from kezek.app.actor import SYSTEM, Channel
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import UserRow
from tests.web.conftest import STAFF_PASSWORD, WEB_IIN_KEY, Site, add_staff, run_async, web_settings

NEW_PASSWORD = "Marigold-Piston-Fjord-42"


@pytest.fixture(autouse=True)
def _no_misses() -> None:
    staff_login.misses.clear()


async def _work(url: str, work: Any) -> Any:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            return await work(s)
    finally:
        await engine.dispose()


def _on(url: str, username: str, action: Any) -> Any:
    async def work(s: Any) -> Any:
        return await action(s, await user_named(s, username))

    return run_async(_work, url, work)


def _sign_in(client: TestClient, username: str, password: str = STAFF_PASSWORD,
             otp: str = "", lang: str | None = None) -> Any:
    form = client.get("/staff/login" + (f"?lang={lang}" if lang else ""))
    csrf = Site(client, {}).csrf(form.text)
    return client.post("/staff/login", data={"username": username, "password": password,
                                             "otp": otp, "csrf": csrf},
                       follow_redirects=False)


def _signed_in(client: TestClient) -> bool:
    return client.get("/staff", follow_redirects=False).status_code == 200


def _copy(site: Site, url: str) -> TestClient:
    """A second browser holding a copy of the first one's session cookie."""
    thief = TestClient(create_app(web_settings(url)))
    thief.cookies.set("kezek_session", site.client.cookies["kezek_session"])
    return thief


def test_logout_kills_a_copied_cookie(site: Site, seeded_url: tuple[str, Any]) -> None:
    url, _ = seeded_url
    add_staff(url, "dana", "operator", [])
    assert _sign_in(site.client, "dana").status_code == 303
    with _copy(site, url) as thief:
        assert _signed_in(thief)
        home = site.client.get("/staff")
        out = site.client.post("/staff/logout", data={"csrf": site.csrf(home.text)},
                               follow_redirects=False)
        assert out.status_code == 303
        assert not _signed_in(thief)
        assert thief.get("/api/v1/users").status_code == 401  # the API refuses it too


def test_password_change_and_disabling_end_page_sessions(
        site: Site, seeded_url: tuple[str, Any]) -> None:
    url, _ = seeded_url
    add_staff(url, "dana", "manager", [])
    assert _sign_in(site.client, "dana").status_code == 303
    with _copy(site, url) as thief:
        page = site.client.get("/staff/password")
        assert page.status_code == 200
        differ = site.client.post("/staff/password", data={
            "csrf": site.csrf(page.text), "old_password": STAFF_PASSWORD,
            "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
        assert differ.status_code == 422 and "не совпадают" in differ.text
        weak = site.client.post("/staff/password", data={
            "csrf": site.csrf(page.text), "old_password": STAFF_PASSWORD,
            "new_password": "aaaaaaaaaaaaaaaa", "new_password2": "aaaaaaaaaaaaaaaa"})
        assert weak.status_code == 422 and "Слишком слабый пароль" in weak.text
        done = site.client.post("/staff/password", data={
            "csrf": site.csrf(page.text), "old_password": STAFF_PASSWORD,
            "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            follow_redirects=False)
        assert done.status_code == 303
        assert not _signed_in(thief)  # the copy dies with the change
        assert _signed_in(site.client)  # the browser that changed it is signed in again
    with _copy(site, url) as second:
        _on(url, "dana", lambda s, u: staff_accounts.disable(s, u.id, SYSTEM, Channel.CLI))
        assert not _signed_in(site.client) and not _signed_in(second)
    refused = _sign_in(site.client, "dana", NEW_PASSWORD)
    assert refused.status_code == 401 and "Неверный логин или пароль" in refused.text


def test_a_cookie_without_a_version_is_refused(site: Site, seeded_url: tuple[str, Any]
                                               ) -> None:
    """A session cookie from before versions (user id only) no longer signs anyone in."""
    url, _ = seeded_url
    add_staff(url, "dana", "operator", [])
    assert _sign_in(site.client, "dana").status_code == 303
    _on(url, "dana", lambda s, u: s.execute(update(UserRow).where(UserRow.id == u.id)
                                            .values(session_version=UserRow.session_version
                                                    + 1)))
    assert not _signed_in(site.client)


def test_throttled_sign_in_is_a_page_in_the_language(site: Site,
                                                     seeded_url: tuple[str, Any]) -> None:
    url, _ = seeded_url
    add_staff(url, "dana", "operator", [])
    for _ in range(5):
        assert _sign_in(site.client, "dana", "wrong-password-x", lang="kk").status_code == 401
    page = _sign_in(site.client, "dana", STAFF_PASSWORD, lang="kk")
    assert page.status_code == 429 and 0 < int(page.headers["retry-after"]) <= 5
    assert "text/html" in page.headers["content-type"]
    wait = page.headers["retry-after"]
    assert f"Сұраулар тым көп. {wait} секундтан кейін" in page.text
    assert 'id="username"' in page.text
    assert not _signed_in(site.client)
    _on(url, "dana", lambda s, u: s.execute(update(UserRow).where(UserRow.id == u.id)
                                            .values(failed_logins=25, locked_until=None)))
    locked = _sign_in(site.client, "dana", STAFF_PASSWORD, lang="en")
    assert locked.status_code == 423 and "Ask an administrator" in locked.text
    _on(url, "dana", lambda s, u: staff_accounts.unlock(s, u.id, SYSTEM, Channel.CLI))
    assert _sign_in(site.client, "dana").status_code == 303


def test_totp_on_the_login_page(site: Site, seeded_url: tuple[str, Any]) -> None:
    url, _ = seeded_url
    add_staff(url, "dana", "operator", [])
    uri = _on(url, "dana", lambda s, u: staff_accounts.enable_totp(
        s, u.id, WEB_IIN_KEY.encode(), SYSTEM, Channel.CLI))
    totp = pyotp.TOTP(pyotp.parse_uri(uri).secret)
    missing = _sign_in(site.client, "dana", lang="ru")
    assert missing.status_code == 401 and "6-значный код" in missing.text
    assert 'aria-invalid="true"' in missing.text  # the code field is marked
    code = totp.at(dt.datetime.now(dt.UTC))
    assert _sign_in(site.client, "dana", otp=code).status_code == 303
    site.client.cookies.delete("kezek_session")
    replay = _sign_in(site.client, "dana", otp=code, lang="en")
    assert replay.status_code == 401 and "already used" in replay.text


def test_reset_sends_the_user_to_choose_a_password(site: Site,
                                                   seeded_url: tuple[str, Any]) -> None:
    url, _ = seeded_url
    add_staff(url, "dana", "operator", [])
    _on(url, "dana", lambda s, u: staff_accounts.reset_password(s, u.id, NEW_PASSWORD,
                                                                 SYSTEM, Channel.CLI))
    signed = _sign_in(site.client, "dana", NEW_PASSWORD)
    assert signed.headers["location"] == "/staff/password"
    home = site.client.get("/staff", follow_redirects=False, headers={"accept": "text/html"})
    assert home.status_code == 303 and home.headers["location"] == "/staff/password"
