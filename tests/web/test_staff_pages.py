"""Staff sign-in: session cookie, CSRF, wrong passwords, sign-out."""

from __future__ import annotations

from kezek.app import accounts
from kezek.app.actor import SYSTEM, Channel
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.web.conftest import Site, run_async

PASSWORD = "correct-horse-battery"


async def _make_user(url: str, centres: list[int]) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            await accounts.create_user(s, "dana", PASSWORD, "manager", centres, "Dana",
                                       SYSTEM, Channel.CLI)
    finally:
        await engine.dispose()


def _login(site: Site, password: str) -> object:
    page = site.client.get("/staff/login")
    assert page.status_code == 200
    return site.client.post("/staff/login", data={
        "username": "dana", "password": password, "csrf": site.csrf(page.text)},
        follow_redirects=False)


def test_sign_in_and_out(site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, centres = seeded_url
    run_async(_make_user, url, [centres["mixed"]])
    assert site.client.get("/staff", follow_redirects=False).headers["location"] == \
        "/staff/login"
    wrong = _login(site, "not-the-password")
    assert wrong.status_code == 401  # type: ignore[attr-defined]
    assert "Неверный логин или пароль" in wrong.text  # type: ignore[attr-defined]
    assert "kezek_session" not in site.client.cookies
    ok = _login(site, PASSWORD)
    assert ok.status_code == 303 and ok.headers["location"] == "/staff"  # type: ignore[attr-defined]
    cookie = ok.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "kezek_session=" in cookie and "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    home = site.client.get("/staff")
    assert home.status_code == 200 and "dana" in home.text and "manager" in home.text
    assert "ЦОН 2" in home.text  # the manager's centre
    # the session also authenticates API calls from the same browser
    me = site.client.get("/api/v1/users")
    assert me.status_code == 403  # a manager is not an admin
    out = site.client.post("/staff/logout", data={"csrf": site.csrf(home.text)},
                           follow_redirects=False)
    assert out.status_code == 303
    assert site.client.get("/staff", follow_redirects=False).status_code == 303


def test_sign_in_needs_csrf(site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    url, _ = seeded_url
    run_async(_make_user, url, [])
    site.client.get("/staff/login")
    refused = site.client.post("/staff/login", data={"username": "dana", "password": PASSWORD,
                                                     "csrf": "x" * 40}, follow_redirects=False)
    assert refused.status_code == 403
    assert site.client.get("/staff", follow_redirects=False).status_code == 303


def test_api_changes_on_a_session_cookie_need_the_page_header(
        site: Site, seeded_url: tuple[str, dict[str, int]]) -> None:
    """A signed-in browser's cookie alone cannot change anything through the API."""
    url, centres = seeded_url
    run_async(_make_user, url, [centres["mixed"]])
    assert _login(site, PASSWORD).status_code == 303  # type: ignore[attr-defined]
    body = {"floor": {"max_calls": 4}}
    plain = site.client.patch(f"/api/v1/centers/{centres['mixed']}", json=body)
    assert plain.status_code == 403
    ok = site.client.patch(f"/api/v1/centers/{centres['mixed']}", json=body,
                           headers={"X-Requested-With": "kezek"})
    assert ok.status_code == 200, ok.text
    assert site.client.get("/api/v1/centers").status_code == 200  # reads need no header
