"""Tables of the channels: the Telegram bot's chats, how to reach a booker, video help.

They sit in their own module because they belong to the channels, not to the booking
core; `models.py` imports this module at its end so that one metadata holds every table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from kezek.store.base import Base, utcnow

SCHEDULED_SQL = "status = 'scheduled'"


class BotChatRow(Base):
    """A Telegram chat: its language, and the person whose IIN it last confirmed.

    The link lets "my bookings" work in the chat without asking for the IIN again; the
    IIN itself is never stored here (only the person's row id).
    """

    __tablename__ = "bot_chats"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    lang: Mapped[str] = mapped_column(String(2), default="kk")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BookingContactRow(Base):
    """Where to remind a booker: a Telegram chat, an e-mail and/or the number they proved
    by a code (sealed: `app.identity.notice_phone`, never in clear), in their language."""

    __tablename__ = "booking_contacts"
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True, autoincrement=False)
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    phone_cipher: Mapped[str | None] = mapped_column(Text, nullable=True)  # migration 0015
    lang: Mapped[str] = mapped_column(String(2), default="ru")


class VideoHoursRow(Base):
    """A span an operator publishes for video consultations, cut into equal slots."""

    __tablename__ = "video_hours"
    __table_args__ = (Index("ix_video_hours_starts_at", "starts_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime] = mapped_column()
    ends_at: Mapped[dt.datetime] = mapped_column()
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConsultationRow(Base):
    """One video consultation. The room token is random and unique: the link is the key.

    A partial unique index keeps one scheduled consultation per operator per start, so
    two call-centre operators can never give the same video slot to two callers.
    """

    __tablename__ = "consultations"
    __table_args__ = (
        Index("uq_consultations_slot", "user_id", "starts_at", unique=True,
              sqlite_where=text(SCHEDULED_SQL), postgresql_where=text(SCHEDULED_SQL)),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hours_id: Mapped[int] = mapped_column(ForeignKey("video_hours.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime] = mapped_column()
    ends_at: Mapped[dt.datetime] = mapped_column()
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    iin_masked: Mapped[str] = mapped_column(String(12))
    service_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    lang: Mapped[str] = mapped_column(String(2), default="ru")
    room: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
