"""Feedback after a visit: the token that links a request to its visit, and the answer.

A request goes out once per served visit (app/feedback_notice.py). By e-mail or SMS it
carries a link /feedback/{token}: the token is the ticket's id and a MAC of it under
the deployment's secret, so it cannot be guessed or changed into another visit's, yet
nothing needs to be stored to check it. In Telegram the rating buttons carry the
ticket id only; the chat that presses them must be the booking's own chat.

One answer per visit (the unique ticket in `visit_feedback`): a second is refused with
the rating already given, so a forwarded link or a double tap cannot stuff the
statistics.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.core.errors import InvalidState, NotFound, ValidationFailed
from kezek.core.floor import TicketStatus
from kezek.store.models import TicketRow, VisitFeedbackRow, utcnow
from kezek.store.models_channels import BookingContactRow

COMMENT_MAX = 500
TELEGRAM, WEB = "telegram", "web"


def token_for(ticket_id: int, secret: str) -> str:
    """The link's token: `<ticket id>.<MAC>`, 128 bits of MAC in URL-safe base64."""
    return f"{ticket_id}.{_mac(ticket_id, secret)}"


def ticket_of(token: str, secret: str) -> int | None:
    """The ticket id a token was made for, None for anything not made by `token_for`."""
    head, _, mac = token.partition(".")
    if not head.isdigit() or len(head) > 12 or not mac:
        return None
    ticket_id = int(head)
    return ticket_id if hmac.compare_digest(mac, _mac(ticket_id, secret)) else None


def _mac(ticket_id: int, secret: str) -> str:
    digest = hmac.new(secret.encode(), f"kezek.feedback:{ticket_id}".encode(),
                      hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class Answer:
    """What recording an answer did: `rating` is the one kept (the earlier one when
    `fresh` is False, the visit having been rated already)."""

    rating: int
    fresh: bool


async def served_ticket(session: AsyncSession, ticket_id: int) -> TicketRow:
    """The visit to be rated: it must exist and have been served."""
    ticket = await session.get(TicketRow, ticket_id)
    if ticket is None:
        raise NotFound(entity="feedback")
    if ticket.status != TicketStatus.DONE.value:
        raise InvalidState(reason="feedback_not_served", current=ticket.status)
    return ticket


async def given(session: AsyncSession, ticket_id: int) -> VisitFeedbackRow | None:
    row: VisitFeedbackRow | None = await session.scalar(
        select(VisitFeedbackRow).where(VisitFeedbackRow.ticket_id == ticket_id))
    return row


def check(rating: Any, comment: str | None) -> tuple[int, str | None]:
    """A rating 1-5 and a comment of at most `COMMENT_MAX` characters (blank: none)."""
    raw = str(rating).strip() if isinstance(rating, (int, str)) else ""
    if isinstance(rating, bool) or raw not in {"1", "2", "3", "4", "5"}:
        raise ValidationFailed(field="rating", detail="rating is 1-5")
    value = int(raw)
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        raise ValidationFailed(field="comment", detail=f"at most {COMMENT_MAX} characters")
    return value, text or None


async def record(session: AsyncSession, ticket_id: int, rating: Any, comment: str | None,
                 channel: str, now: dt.datetime | None = None) -> Answer:
    """Keeps the answer, or returns the one given before (one per visit, by the unique
    ticket: two answers at once cannot both be kept)."""
    value, text = check(rating, comment)
    ticket = await served_ticket(session, ticket_id)
    conn = await session.connection()
    dml: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    table = VisitFeedbackRow.__table__
    inserted = await conn.execute(dml.insert(table).values(
        ticket_id=ticket.id, booking_id=ticket.booking_id, center_id=ticket.center_id,
        service_code=(ticket.services or [""])[0], window_id=ticket.window_id,
        rating=value, comment=text, channel=channel, created_at=now or utcnow())
        .on_conflict_do_nothing().returning(table.c.id))
    if inserted.scalar_one_or_none() is not None:
        return Answer(value, True)
    earlier = await given(session, ticket.id)
    assert earlier is not None
    return Answer(earlier.rating, False)


async def chat_may_rate(session: AsyncSession, ticket_id: int, chat_id: int) -> bool:
    """Whether this Telegram chat is the contact of the visit's booking."""
    ticket = await session.get(TicketRow, ticket_id)
    if ticket is None or ticket.booking_id is None:
        return False
    contact = await session.get(BookingContactRow, ticket.booking_id)
    return contact is not None and contact.telegram_chat_id == chat_id
