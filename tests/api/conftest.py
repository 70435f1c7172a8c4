"""The API under FastAPI's test client, over SQLite and PostgreSQL alike.

Each test gets a truncated, seeded database (the small network of tests/conftest.py)
and a client whose app runs its own engine inside the client's event loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kezek.api.app import create_app
from kezek.app.accounts import create_user
from kezek.app.actor import SYSTEM, Channel
from kezek.app.identity import policy_store
from kezek.core import iin as iin_rules
from kezek.settings import Settings
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from kezek.store.models import CenterRow
from tests.conftest import seed

API_IIN_KEY = "api-test-iin-key-0123456789abcdef"
API_SECRET = "api-test-secret-key-0123456789abcdef"
ADMIN_USER, ADMIN_PASSWORD = "root.admin", "admin-password-1"
TZ = ZoneInfo("Asia/Almaty")


def at(day: dt.date, hh: int, mm: int = 0) -> str:
    """A slot start as the API takes it: ISO 8601 with the centres' UTC offset."""
    return dt.datetime.combine(day, dt.time(hh, mm), TZ).isoformat()


async def prepare(url: str, identity: str = "otp") -> dict[str, int]:
    """Seeds the test network and the first admin; returns the centres' ids by slug.

    `identity="none"` runs the network on the IIN alone, for tests of races rather
    than of who may book."""
    engine = make_engine(url)
    try:
        sm = make_sessionmaker(engine)
        await seed(sm)
        async with unit_of_work(sm) as s:
            await create_user(s, ADMIN_USER, ADMIN_PASSWORD, "admin", [], "First Admin",
                              SYSTEM, Channel.CLI)
            if identity != "otp":
                await policy_store.change(s, {"mode": identity}, SYSTEM, Channel.CLI)
            rows = (await s.execute(select(CenterRow.slug, CenterRow.id))).all()
        return {slug: cid for slug, cid in rows}
    finally:
        await engine.dispose()


@dataclass
class Api:
    """The client with the seeded ids and small helpers that keep tests short."""

    client: TestClient
    url: str
    centers: dict[str, int]
    _tokens: dict[tuple[str, str], str] = field(default_factory=dict)
    _proofs: dict[str, str] = field(default_factory=dict)

    @property
    def backend(self) -> str:
        return "pg" if self.url.startswith("postgres") else "sqlite"

    def token(self, username: str = ADMIN_USER, password: str = ADMIN_PASSWORD) -> str:
        key = (username, password)
        if key not in self._tokens:
            r = self.client.post("/api/v1/auth/token",
                                 json={"username": username, "password": password})
            assert r.status_code == 200, r.text
            self._tokens[key] = r.json()["access_token"]
        return self._tokens[key]

    def auth(self, token: str | None = None, lang: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token or self.token()}"}
        if lang:
            headers["Accept-Language"] = lang
        return headers

    def add_user(self, username: str, role: str, centers: list[int] | None = None) -> str:
        """Creates a staff user through the API and returns its bearer token."""
        password = f"{username}-Tundra-Okapi-7"
        r = self.client.post("/api/v1/users", headers=self.auth(), json={
            "username": username, "password": password, "role": role,
            "centers": centers or []})
        assert r.status_code == 201, r.text
        return self.token(username, password)

    def prove(self, iin: str) -> str:
        """A person's proof token, got the way a citizen gets it: a code sent (by the
        development sender, which returns it) to a number bound on first use, then
        given back."""
        if iin not in self._proofs:
            sent = self.client.post("/api/v1/identity/code",
                                    json={"iin": iin, "phone": phone_of(iin)})
            assert sent.status_code == 201, sent.text
            body = sent.json()
            got = self.client.post("/api/v1/identity/verify", json={
                "challenge": body["challenge"], "code": body["dev_code"]})
            assert got.status_code == 200, got.text
            self._proofs[iin] = got.json()["token"]
        return self._proofs[iin]

    def person(self, iin: str, lang: str | None = None) -> dict[str, str]:
        """Headers of a person who proved they hold the IIN (none for an invalid IIN,
        which the API refuses before it asks for proof)."""
        headers = {"Accept-Language": lang} if lang else {}
        if iin_rules.check(iin).valid:
            headers["Authorization"] = f"Bearer {self.prove(iin)}"
        return headers

    def book(self, iin: str, start: str, center: str = "mixed", service: str = "01010001",
             headers: dict[str, str] | None = None, proof: bool = True, **extra: Any) -> Any:
        """Books as the person, with their proof unless `proof=False`; `headers` are
        added (a staff token given there replaces the proof)."""
        body = {"iin": iin, "service": service, "center": self.centers[center],
                "start": start, **extra}
        sent = self.person(iin) if proof else {}
        return self.client.post("/api/v1/bookings", json=body, headers={**sent, **(headers or {})})


def phone_of(iin: str) -> str:
    """A mobile number of the test person: one per IIN, so first-use binding holds."""
    return "+7701" + iin[-7:]


def settings_for(url: str, **overrides: Any) -> Settings:
    return Settings(database_url=url, iin_key=API_IIN_KEY, secret_key=API_SECRET, env="test",
                    **overrides)


@pytest.fixture
def api(db_url: str) -> Iterator[Api]:
    centers = asyncio.run(prepare(db_url))
    with TestClient(create_app(settings_for(db_url))) as client:
        yield Api(client, db_url, centers)


def assert_error(response: Any, status: int, code: str) -> str:
    """Checks the error envelope and returns its message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}, body
    assert body["error"]["code"] == code, body
    message = body["error"]["message"]
    assert isinstance(message, str) and message.strip(), body
    return message
