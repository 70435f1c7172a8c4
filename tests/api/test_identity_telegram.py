"""Codes by Telegram: a person whose bot chat proved their number (a shared contact)
gets later codes there, through the Bot API over real HTTP (a loopback recorder plays
Telegram); when Telegram cannot deliver, the code goes by SMS, so nobody is locked out."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi.testclient import TestClient

from kezek.api.app import create_app
from kezek.app.identity import chats
from kezek.core.identity import phone_digest
from kezek.core.privacy import iin_digest
from kezek.store.db import make_engine, make_sessionmaker, unit_of_work
from tests.api.conftest import API_IIN_KEY, assert_error, prepare, settings_for
from tests.api.test_identity import IIN, OTHER_IIN, recorder  # noqa: F401  (the fixture)

TOKEN = "4242:telegram-test-token"
PHONE = "+77012223344"


async def _link(url: str, iin: str, phone: str, chat_id: int) -> None:
    engine = make_engine(url)
    try:
        async with unit_of_work(make_sessionmaker(engine)) as s:
            key = API_IIN_KEY.encode()
            await chats.link(s, iin_digest(iin, key), phone_digest(phone, key), chat_id)
            await chats.link(s, iin_digest(iin, key), phone_digest(phone, key), chat_id + 1)
    finally:
        await engine.dispose()


def _code(text: str) -> str:
    return next(w for w in text.replace(".", " ").split() if w.isdigit() and len(w) == 6)


def test_a_proven_chat_gets_the_code_and_sms_stands_in_when_telegram_fails(
        db_url: str, recorder: Any) -> None:  # noqa: F811
    registry = recorder({IIN: (200, {"phones": [PHONE]}), OTHER_IIN: (200, {"phones": [
        "+77015556677"]})})
    gateway = recorder({"*": (202, {"id": "m1"})})
    telegram = recorder({"*": (200, {"ok": True, "result": {"message_id": 1}})})
    asyncio.run(prepare(db_url))
    asyncio.run(_link(db_url, IIN, PHONE, 5550001))  # relinked: the newest chat counts
    settings = settings_for(db_url, identity_registry_url=registry.url + "/lookup",
                            sms_url=gateway.url + "/sms", telegram_token=TOKEN,
                            telegram_api_base=telegram.url)
    with TestClient(create_app(settings)) as client:
        sent = client.post("/api/v1/identity/code", json={"iin": IIN})
        assert sent.status_code == 201, sent.text
        assert sent.json()["channel"] == "telegram" and sent.json()["dev_code"] is None
        (path, _, message), = telegram.seen
        assert path == f"/bot{TOKEN}/sendMessage" and message["chat_id"] == 5550002
        assert gateway.seen == []
        proof = client.post("/api/v1/identity/verify", json={
            "challenge": sent.json()["challenge"], "code": _code(message["text"])})
        assert proof.status_code == 200, proof.text

        # a person with no proven chat: SMS as before
        other = client.post("/api/v1/identity/code", json={"iin": OTHER_IIN})
        assert other.json()["channel"] == "sms" and len(gateway.seen) == 1

        # Telegram down (the bot blocked, say): the same code goes by SMS
        telegram.answers["*"] = (403, {"ok": False})
        again = client.post("/api/v1/identity/code", json={"iin": IIN})
        assert again.status_code == 201 and len(telegram.seen) == 2
        (_, _, sms), = gateway.seen[1:]
        assert sms["to"] == PHONE
        verified = client.post("/api/v1/identity/verify", json={
            "challenge": again.json()["challenge"], "code": _code(sms["text"])})
        assert verified.status_code == 200
        assert_error(client.post("/api/v1/identity/verify", json={
            "challenge": again.json()["challenge"], "code": _code(sms["text"])}), 422,
            "code_expired")
