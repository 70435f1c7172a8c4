"""Jobs under test: a real huey queue (a SQLite file per test), a real SMTP server
(aiosmtpd on loopback), the fake Bot API of the bot's tests, and the real edge (`tx`).

`run_due` runs in a thread, as a worker would: its tasks open their own event loop and
engine, while the test's loop keeps serving the fake Bot API.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kezek.api.deps import tx
from kezek.app import catalog, contacts
from kezek.app.actor import CITIZEN, Channel
from kezek.app.booking import BookingRequest, book
from kezek.jobs.queue import Jobs, make_jobs
from kezek.jobs.run import run_due
from kezek.live.broker import make_broker
from kezek.settings import Settings
from kezek.store.models import BookingRow, CenterExceptionRow, CenterRow
from tests.bot.fake_api import FakeBotApi
from tests.conftest import IIN_KEY

TZ = ZoneInfo("Asia/Almaty")
TOKEN = "123456:TEST-token"
VEHICLE = "04010001"
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    await api.start()
    yield api
    await api.stop()


@dataclass
class World:
    """The database, the queue and the edge, with helpers that keep tests short."""

    sm: async_sessionmaker[AsyncSession]
    jobs: Jobs
    settings: Settings
    inbox: Inbox
    bot: FakeBotApi
    request: Any = field(init=False)

    def __post_init__(self) -> None:
        state = SimpleNamespace(sessionmaker=self.sm, broker=make_broker(None),
                                jobs=self.jobs, settings=self.settings)
        self.request = SimpleNamespace(app=SimpleNamespace(state=state))

    def tx(self) -> AbstractAsyncContextManager[AsyncSession]:
        """The API's own transaction: jobs are handed to the queue after its commit."""
        return tx(self.request)  # type: ignore[arg-type]

    async def run_due(self, now: dt.datetime | None = None) -> dict[str, int]:
        return await asyncio.to_thread(run_due, self.jobs, now)

    async def center(self, slug: str) -> int:
        async with self.sm() as s:
            cid = await s.scalar(select(CenterRow.id).where(CenterRow.slug == slug))
        assert cid is not None
        return cid

    async def short_day(self, center_id: int, day: dt.date, opens: str = "09:00",
                        closes: str = "09:30") -> None:
        """Cuts a day's hours so that a few bookings fill it."""
        async with self.sm() as s, s.begin():
            s.add(CenterExceptionRow(center_id=center_id, day=day, opens=opens,
                                     closes=closes, note="test"))
            await s.flush()
            await catalog.changed(s)

    async def book(self, iin: str, center_id: int, start: dt.datetime,
                   service: str = VEHICLE, email: str | None = None,
                   chat: int | None = None, lang: str = "ru") -> BookingRow:
        async with self.tx() as s:
            row = await book(s, BookingRequest(iin, service, center_id, start, Channel.WEB),
                             IIN_KEY, CITIZEN)
            if email or chat:
                contacts.add(s, row.id, email=email, telegram_chat_id=chat, lang=lang)
        return row

    async def booking(self, booking_id: int) -> BookingRow:
        async with self.sm() as s:
            row = await s.get(BookingRow, booking_id)
        assert row is not None
        return row

    async def set_created(self, booking_id: int, at: dt.datetime) -> None:
        async with self.sm() as s, s.begin():
            await s.execute(update(BookingRow).where(BookingRow.id == booking_id)
                            .values(created_at=at))

    def sent_telegram(self) -> list[dict[str, Any]]:
        return [c.params for c in self.bot.of("sendMessage")]

    async def within(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async with self.tx() as s:
            return await work(s)


@pytest.fixture
async def world(sm: async_sessionmaker[AsyncSession], db_url: str, tmp_path: Path,
                smtp: tuple[int, Inbox], bot_api: FakeBotApi) -> AsyncIterator[World]:
    port, inbox = smtp
    settings = Settings(database_url=db_url, iin_key=IIN_KEY.decode(), env="test",
                        smtp_host="127.0.0.1", smtp_port=port, smtp_sender="kezek@test.kz",
                        telegram_token=TOKEN, telegram_api_base=bot_api.url,
                        waitlist_hold_minutes=15, public_url="https://kezek.test")
    yield World(sm, make_jobs(settings, tmp_path / "jobs.db"), settings, inbox, bot_api)


def local(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), TZ)
