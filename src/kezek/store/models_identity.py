"""Tables of proof of identity: the numbers registered to IINs, and one-time codes.

Neither table holds an IIN or a code in clear: IINs and numbers are keyed hashes (a
number is also kept encrypted, since a code must be sent to it), and a code is an HMAC
bound to its challenge.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kezek.store.base import Base, utcnow


class IdentityPhoneRow(Base):
    """A mobile number registered to an IIN in Kezek's own directory (for a network
    without a state registry): verified in person, by the call centre, imported from a
    file, or bound on first use by a code sent to it."""

    __tablename__ = "identity_phones"
    __table_args__ = (
        UniqueConstraint("iin_hash", "phone_hash"),
        Index("ix_identity_phones_phone", "phone_hash"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    iin_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone_hash: Mapped[str] = mapped_column(String(64))
    phone_cipher: Mapped[str] = mapped_column(Text)
    phone_masked: Mapped[str] = mapped_column(String(24))
    # door | window | call_centre | import | first_use | registry
    source: Mapped[str] = mapped_column(String(16))
    added_by: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IdentityChallengeRow(Base):
    """One code sent: to whom (hashes only), until when, how many tries are left.

    Tries are counted by a conditional UPDATE before the code is compared, and the
    code is spent by another, so two concurrent guesses cannot both get a try that is
    not there, and a code proves one identity once.
    """

    __tablename__ = "identity_challenges"
    __table_args__ = (Index("ix_identity_challenges_iin_created", "iin_hash", "created_at"),)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    iin_hash: Mapped[str] = mapped_column(String(64))
    phone_hash: Mapped[str] = mapped_column(String(64))
    # Set when the code goes to a number typed by the person (first-use binding): the
    # number binds to the IIN only once the code comes back.
    bind_cipher: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Migration 0015: the number the code went to, sealed (sealing.seal_phone), so that
    # the proof can carry it (sealed again) to the booking's SMS notices (ADR 0020).
    phone_cipher: Mapped[str | None] = mapped_column(Text, nullable=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    channel: Mapped[str] = mapped_column(String(16), default="sms")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class IdentityChatRow(Base):
    """A Telegram chat whose owner proved an IIN by sharing their contact: Telegram
    verified the number, the directory matched it to the IIN. Codes for that IIN and
    number then go to the chat rather than by SMS (free, and not interceptable on the
    mobile network). Keyed by hashes; the chat id is Telegram's account id."""

    __tablename__ = "identity_chats"
    __table_args__ = (UniqueConstraint("iin_hash", "phone_hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    iin_hash: Mapped[str] = mapped_column(String(64))
    phone_hash: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    verified_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
