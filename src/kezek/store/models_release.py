"""Tables of fair release (ADR 13): ballot requests and the one draw per centre and day.

A person has at most one ballot request per centre and day (a unique index, read under
the person's lock like every quota). The draw row's primary key is the referee between
concurrent drawers: whoever inserts it draws, everyone else finds it and goes on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kezek.store.base import Base, utcnow

ENTERED, WON, LOST = "entered", "won", "lost"


class BallotEntryRow(Base):
    """One person's request in a day's ballot: up to three ranked starts for a service."""

    __tablename__ = "ballot_entries"
    __table_args__ = (
        Index("uq_ballot_entries_person_day", "person_id", "center_id", "day", unique=True),
        Index("ix_ballot_entries_day", "center_id", "day", "status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    iin_masked: Mapped[str] = mapped_column(String(12))
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    service_code: Mapped[str] = mapped_column(ForeignKey("services.code"))
    privilege: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # The claim's status at entry (core.privilege.ClaimStatus), carried by the drawn
    # booking to the door; None without a claim (migration 0016).
    privilege_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # The ranked choices: slot starts in UTC, ISO 8601, best first.
    choices: Mapped[list[str]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=ENTERED)
    # After the draw: the booking won, and which choice (0 for the first) it was.
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), nullable=True)
    won_choice: Mapped[int | None] = mapped_column(Integer, nullable=True)
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    # Migration 0015: the proven number for SMS notices, sealed (app.identity.notice_phone).
    phone_cipher: Mapped[str | None] = mapped_column(Text, nullable=True)
    lang: Mapped[str] = mapped_column(String(2), default="ru")
    # Claimed once, by a conditional UPDATE, before the result goes out: at most once.
    notified_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BallotDrawRow(Base):
    """The draw of one centre's day: inserted by the one drawer that wins it."""

    __tablename__ = "ballot_draws"
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    drawn_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    won: Mapped[int] = mapped_column(Integer, default=0)
