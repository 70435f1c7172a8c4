"""Tables of the background jobs: the waitlist, and the claims that make every
notification go out at most once.

A waitlist offer holds its seat as a `bookings` row with status 'held', so the partial
unique indexes on seats (see `HOLDING_SQL`) keep a held seat from anyone else, exactly
as they keep a booked one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kezek.store.base import Base, utcnow

# A person has at most one live request per service, centre and day.
LIVE_ENTRY_SQL = "status IN ('waiting', 'offered')"


class WaitlistEntryRow(Base):
    """A person waiting for a seat at a centre on a day when none was free.

    The person is their `persons` row (found by the keyed IIN hash); only the masked IIN
    is kept here. FIFO order is (created_at, id).
    """

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        Index("uq_waitlist_entries_live", "person_id", "service_code", "center_id", "day",
              unique=True, sqlite_where=text(LIVE_ENTRY_SQL),
              postgresql_where=text(LIVE_ENTRY_SQL)),
        Index("ix_waitlist_entries_line", "center_id", "day", "status", "created_at"),
        Index("ix_waitlist_entries_offer", "status", "offer_expires_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    iin_masked: Mapped[str] = mapped_column(String(12))
    service_code: Mapped[str] = mapped_column(ForeignKey("services.code"))
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    privilege: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # Migration 0011: `verified` or `claimed` as judged at joining (core.privilege); the
    # seat offered later carries it to the booking.
    privilege_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # Migration 0015: the proven number for SMS notices, sealed (app.identity.notice_phone).
    phone_cipher: Mapped[str | None] = mapped_column(Text, nullable=True)
    lang: Mapped[str] = mapped_column(String(2), default="ru")
    # The held booking while offered; the booking itself once accepted.
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), nullable=True)
    offered_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    offer_expires_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class NotificationClaimRow(Base):
    """One row per (booking, kind, channel) ever sent or being sent.

    It is inserted and committed before the message leaves, so a retried job or a second
    worker finds the claim and sends nothing: at most once, by the unique key.
    """

    __tablename__ = "notification_claims"
    __table_args__ = (UniqueConstraint("booking_id", "kind", "channel"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # day_before | hour_before | offer
    channel: Mapped[str] = mapped_column(String(16))  # telegram | email
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
