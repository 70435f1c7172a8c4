"""Governed staff accounts over the API, on SQLite and PostgreSQL: tokens that die with
a password change, disabling and revocation; throttled sign-in with a lockout an admin
lifts; weak passwords refused; TOTP required when enrolled, and never twice."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from kezek.api.app import create_app
from kezek.app import staff_accounts, staff_login
from kezek.app.actor import SYSTEM, Channel
from kezek.settings import Settings
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import UserRow, utcnow
from tests.api.conftest import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    API_IIN_KEY,
    API_SECRET,
    Api,
    assert_error,
)

NEW_PASSWORD = "Marigold-Piston-Fjord-42"


@pytest.fixture(autouse=True)
def _no_misses() -> None:
    staff_login.misses.clear()


def _db(url: str, work: Any) -> Any:
    async def main() -> Any:
        engine = make_engine(url)
        try:
            async with unit_of_work(make_sessionmaker(engine)) as s:
                return await work(s)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def _set(url: str, username: str, **values: Any) -> None:
    _db(url, lambda s: s.execute(update(UserRow).where(UserRow.username == username)
                                 .values(**values)))


def _login(api: Api, username: str, password: str, **extra: Any) -> Any:
    return api.client.post("/api/v1/auth/token", json={"username": username,
                                                       "password": password, **extra})


def _user(api: Api, username: str) -> dict[str, Any]:
    rows = api.client.get("/api/v1/users", headers=api.auth()).json()
    return next(u for u in rows if u["username"] == username)


def test_password_change_kills_the_old_token(api: Api) -> None:
    token = api.add_user("olga.operator", "operator")
    password = "olga.operator-Tundra-Okapi-7"
    other = _login(api, "olga.operator", password).json()["access_token"]
    change = api.client.post("/api/v1/auth/password", headers=api.auth(token), json={
        "old_password": "not-the-old-one-at-all", "new_password": NEW_PASSWORD})
    assert_error(change, 401, "unauthorized")
    weak = api.client.post("/api/v1/auth/password", headers=api.auth(token), json={
        "old_password": password, "new_password": "password123456"})
    text = assert_error(weak, 422, "weak_password")
    assert "common password" in api.client.post(
        "/api/v1/auth/password", headers=api.auth(token, "en"),
        json={"old_password": password, "new_password": "password123456"}).text
    assert "пароль" in text.lower()
    ok = api.client.post("/api/v1/auth/password", headers=api.auth(token), json={
        "old_password": password, "new_password": NEW_PASSWORD})
    assert ok.status_code == 204, ok.text
    for dead in (token, other):
        assert_error(api.client.get("/api/v1/audit", headers=api.auth(dead)), 401,
                     "unauthorized")
    assert_error(_login(api, "olga.operator", password), 401, "unauthorized")
    assert _login(api, "olga.operator", NEW_PASSWORD).status_code == 200
    actions = [r["action"] for r in api.client.get("/api/v1/audit", headers=api.auth()).json()]
    assert "user.password_change" in actions


def test_guessing_the_old_password_with_a_stolen_token_is_throttled(api: Api) -> None:
    token = api.add_user("gleb.operator", "operator")
    for _ in range(5):
        wrong = api.client.post("/api/v1/auth/password", headers=api.auth(token), json={
            "old_password": "a-guess-at-the-old-one", "new_password": NEW_PASSWORD})
        assert_error(wrong, 401, "unauthorized")
    right = api.client.post("/api/v1/auth/password", headers=api.auth(token, "ru"), json={
        "old_password": "gleb.operator-Tundra-Okapi-7", "new_password": NEW_PASSWORD})
    assert "Слишком много запросов" in assert_error(right, 429, "rate_limited")
    assert int(right.headers["Retry-After"]) > 0
    # nothing changed: the old password still signs in
    assert _login(api, "gleb.operator", "gleb.operator-Tundra-Okapi-7").status_code == 200


def test_disabled_user_cannot_sign_in_or_use_a_token(api: Api) -> None:
    token = api.add_user("door.keeper", "door")
    uid = _user(api, "door.keeper")["id"]
    assert api.client.get("/api/v1/users", headers=api.auth(token)).status_code == 403
    assert_error(api.client.post(f"/api/v1/users/{uid}/disable", headers=api.auth(token)),
                 403, "forbidden")
    r = api.client.post(f"/api/v1/users/{uid}/disable", headers=api.auth())
    assert r.status_code == 200 and r.json()["active"] is False
    assert_error(api.client.get("/api/v1/users", headers=api.auth(token)), 401, "unauthorized")
    refused = _login(api, "door.keeper", "door.keeper-Tundra-Okapi-7")
    wrong = _login(api, ADMIN_USER, "not-the-admin-password")
    assert_error(refused, 401, "unauthorized")
    assert refused.json() == wrong.json()  # disabled looks like a wrong password
    assert api.client.post(f"/api/v1/users/{uid}/enable", headers=api.auth()).status_code == 200
    assert _login(api, "door.keeper", "door.keeper-Tundra-Okapi-7").status_code == 200
    assert_error(api.client.post("/api/v1/users/99999/disable", headers=api.auth()), 404,
                 "not_found")
    actions = [r["action"] for r in api.client.get("/api/v1/audit", headers=api.auth()).json()]
    assert {"user.disable", "user.enable"} <= set(actions)


def test_revoke_ends_every_token(api: Api) -> None:
    token = api.add_user("ann.analyst", "analyst")
    uid = _user(api, "ann.analyst")["id"]
    r = api.client.post(f"/api/v1/users/{uid}/revoke", headers=api.auth())
    assert r.status_code == 200 and r.json()["tokens_revoked"] == 1
    assert_error(api.client.get("/api/v1/registry/export", headers=api.auth(token)), 401,
                 "unauthorized")


def test_growing_delays_then_lockout_then_unlock(api: Api) -> None:
    api.token()  # the admin's token, before the admin's failures
    for _ in range(5):
        assert_error(_login(api, ADMIN_USER, "wrong-password-x"), 401, "unauthorized")
    throttled = _login(api, ADMIN_USER, ADMIN_PASSWORD)  # even the right one waits
    assert_error(throttled, 429, "rate_limited")
    assert 0 < int(throttled.headers["retry-after"]) <= 5
    # the wait passes: one more failure doubles it
    _set(api.url, ADMIN_USER, locked_until=utcnow() - dt.timedelta(seconds=1))
    assert_error(_login(api, ADMIN_USER, "wrong-password-x"), 401, "unauthorized")
    again = _login(api, ADMIN_USER, "wrong-password-x")
    assert_error(again, 429, "rate_limited")
    assert 5 < int(again.headers["retry-after"]) <= 10
    assert "сек" in assert_error(_login(api, ADMIN_USER, "x"), 429, "rate_limited")
    assert _user(api, ADMIN_USER)["failed_logins"] == 6  # refused attempts are not counted
    # the twentieth failure in a row locks the account for good
    _set(api.url, ADMIN_USER, failed_logins=19, locked_until=None)
    assert_error(_login(api, ADMIN_USER, "wrong-password-x"), 401, "unauthorized")
    locked = _login(api, ADMIN_USER, ADMIN_PASSWORD)
    assert_error(locked, 423, "locked")
    assert "retry-after" not in locked.headers
    assert _user(api, ADMIN_USER)["locked"] is True
    uid = _user(api, ADMIN_USER)["id"]
    assert api.client.post(f"/api/v1/users/{uid}/unlock", headers=api.auth()).status_code == 200
    assert _login(api, ADMIN_USER, ADMIN_PASSWORD).status_code == 200
    assert _user(api, ADMIN_USER)["failed_logins"] == 0
    actions = [r["action"] for r in api.client.get("/api/v1/audit", headers=api.auth()).json()]
    assert {"user.lock", "user.unlock"} <= set(actions)


def test_success_resets_the_count(api: Api) -> None:
    for _ in range(4):
        _login(api, ADMIN_USER, "wrong-password-x")
    assert _login(api, ADMIN_USER, ADMIN_PASSWORD).status_code == 200
    assert _user(api, ADMIN_USER)["failed_logins"] == 0


def test_unknown_username_is_throttled_alike(api: Api) -> None:
    known = [_login(api, ADMIN_USER, "wrong-password-x") for _ in range(6)]
    unknown = [_login(api, "no.such.user", "wrong-password-x") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] \
        == [401] * 5 + [429]
    assert [r.json()["error"]["code"] for r in known] == \
        [r.json()["error"]["code"] for r in unknown]
    assert known[0].json() == unknown[0].json()
    # the same wait, give or take the second the requests themselves took
    assert 0 < int(unknown[-1].headers["retry-after"]) <= int(
        known[-1].headers["retry-after"]) + 1 <= 6


def test_weak_passwords_refused_on_create_and_reset(api: Api) -> None:
    for weak, reason in (("aaaaaaaaaa", "12"), ("aaaaaaaaaaaaaa", "repeat"),
                         ("password123456", "common"), ("kassa.worker", "username"),
                         ("kassa.worker2024", "username")):
        r = api.client.post("/api/v1/users", headers=api.auth(lang="en"), json={
            "username": "kassa.worker", "password": weak, "role": "operator"})
        assert reason in assert_error(r, 422, "weak_password"), weak
    kk = api.client.post("/api/v1/users", headers=api.auth(lang="kk"), json={
        "username": "kassa.worker", "password": "short", "role": "operator"})
    assert "таңба" in assert_error(kk, 422, "weak_password")
    api.add_user("kassa.worker", "operator")
    uid = _user(api, "kassa.worker")["id"]
    r = api.client.post(f"/api/v1/users/{uid}/password", headers=api.auth(),
                        json={"password": "qwertyuiop123"})
    assert_error(r, 422, "weak_password")


def test_reset_forces_a_change_before_anything_else(api: Api) -> None:
    old = api.add_user("mia.manager", "manager", [api.centers["mixed"]])
    uid = _user(api, "mia.manager")["id"]
    r = api.client.post(f"/api/v1/users/{uid}/password", headers=api.auth(),
                        json={"password": NEW_PASSWORD})
    assert r.status_code == 200 and r.json()["must_change_password"] is True
    assert_error(api.client.get("/api/v1/registry/export", headers=api.auth(old)), 401,
                 "unauthorized")
    signed = _login(api, "mia.manager", NEW_PASSWORD).json()
    assert signed["must_change_password"] is True
    token = signed["access_token"]
    assert_error(api.client.get("/api/v1/registry/export", headers=api.auth(token)), 403,
                 "password_change_required")
    mine = "Cobalt-Heron-Windmill-8"
    ok = api.client.post("/api/v1/auth/password", headers=api.auth(token),
                         json={"old_password": NEW_PASSWORD, "new_password": mine})
    assert ok.status_code == 204, ok.text
    fresh = _login(api, "mia.manager", mine).json()
    assert fresh["must_change_password"] is False
    assert api.client.get("/api/v1/registry/export",
                          headers=api.auth(fresh["access_token"])).status_code == 200


def _enrol(url: str, username: str) -> str:
    async def work(s: Any) -> str:
        from kezek.app.accounts import user_named

        user = await user_named(s, username)
        return await staff_accounts.enable_totp(s, user.id, API_IIN_KEY.encode(), SYSTEM,
                                                Channel.CLI)

    return pyotp.parse_uri(_db(url, work)).secret


def test_totp_required_when_enrolled_and_never_replayed(api: Api) -> None:
    api.token()  # kept for the checks below
    secret = _enrol(api.url, ADMIN_USER)
    assert_error(_login(api, ADMIN_USER, ADMIN_PASSWORD), 401, "otp_required")
    totp = pyotp.TOTP(secret)
    wrong = str((int(totp.now()) + 1) % 1_000_000).zfill(6)
    assert_error(_login(api, ADMIN_USER, ADMIN_PASSWORD, otp=wrong), 401, "otp_invalid")
    code = totp.now()
    assert _login(api, ADMIN_USER, ADMIN_PASSWORD, otp=code).status_code == 200
    assert_error(_login(api, ADMIN_USER, ADMIN_PASSWORD, otp=code), 401, "otp_invalid")
    # the previous step's code is within the window, but older than the one used
    previous = totp.at(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30))
    assert_error(_login(api, ADMIN_USER, ADMIN_PASSWORD, otp=previous), 401, "otp_invalid")
    # a wrong password with the right code is still a failure, answered alike
    assert_error(_login(api, ADMIN_USER, "wrong-password-x", otp=totp.now()), 401,
                 "unauthorized")
    # counted since the success: the replay, the older code, the wrong password
    assert _user(api, ADMIN_USER)["failed_logins"] == 3
    assert _user(api, ADMIN_USER)["totp"] is True


def test_production_admin_needs_a_second_factor(api: Api) -> None:
    settings = Settings(database_url=api.url, iin_key=API_IIN_KEY, secret_key=API_SECRET,
                        env="production", sms_url="http://127.0.0.1:9/sms")
    with TestClient(create_app(settings)) as prod:
        r = prod.post("/api/v1/auth/token", headers={"Accept-Language": "en"},
                      json={"username": ADMIN_USER, "password": ADMIN_PASSWORD})
        assert "kezek users totp root.admin --enable" in assert_error(
            r, 403, "totp_enrolment_required")
        secret = _enrol(api.url, ADMIN_USER)
        ok = prod.post("/api/v1/auth/token", json={
            "username": ADMIN_USER, "password": ADMIN_PASSWORD,
            "otp": pyotp.TOTP(secret).now()})
        assert ok.status_code == 200, ok.text


def test_logout_revokes_the_token(api: Api) -> None:
    token = api.add_user("cc.agent", "call_centre")
    assert api.client.post("/api/v1/auth/logout", headers=api.auth(token)).status_code == 204
    assert_error(api.client.get("/api/v1/registry/export", headers=api.auth(token)), 401,
                 "unauthorized")
