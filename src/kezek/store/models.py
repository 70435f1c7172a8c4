"""The schema. The database is the referee of every booking race:

- `bookings` has a unique index on (window_id, start_utc, seat) over the statuses that
  hold a seat, so two people can never hold one place, whatever the application does;
  a visit longer than one slot holds [start_utc, end_utc), and overlapping blocks on one
  seat are refused too (an exclusion constraint on PostgreSQL, a trigger on SQLite:
  migration 0007);
- every booking first upserts its person's row, which locks it (PostgreSQL row lock,
  SQLite's single writer), so quota counts read after it cannot race.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from kezek.core.abuse import MISSED_SQL
from kezek.store.base import NAMING as NAMING
from kezek.store.base import Base as Base
from kezek.store.base import utcnow as utcnow

# 'held' is a seat a waitlist offer keeps for one person (kezek.app.waitlist).
HOLDING_SQL = "status IN ('active', 'checked_in', 'held')"


class NamesMixin:
    name_kk: Mapped[str] = mapped_column(String(300), default="")
    name_ru: Mapped[str] = mapped_column(String(300), default="")
    name_en: Mapped[str] = mapped_column(String(300), default="")


class RegionRow(NamesMixin, Base):
    __tablename__ = "regions"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    seat: Mapped[str] = mapped_column(String(100), default="")


class CityRow(NamesMixin, Base):
    __tablename__ = "cities"
    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    kind: Mapped[str] = mapped_column(String(16), default="city")


class ServiceRow(NamesMixin, Base):
    __tablename__ = "services"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(32), index=True)
    delivery: Mapped[str] = mapped_column(String(16))
    specialised_only: Mapped[bool] = mapped_column(Boolean, default=False)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=15)
    max_wait_minutes: Mapped[int] = mapped_column(Integer, default=30)
    max_service_minutes: Mapped[int] = mapped_column(Integer, default=20)
    fee_mci: Mapped[float] = mapped_column(Float, default=0.0)
    term_days: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # {"kk": [...], "ru": [...], "en": [...]}: everyday names, and what to bring.
    aliases: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    documents: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LifeSituationRow(NamesMixin, Base):
    """A registry subsection (the code's digits 1-4) under a name a citizen recognises."""

    __tablename__ = "life_situations"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)


class CenterRow(NamesMixin, Base):
    __tablename__ = "centers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    city: Mapped[str] = mapped_column(ForeignKey("cities.slug"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(16))
    address_kk: Mapped[str] = mapped_column(String(300), default="")
    address_ru: Mapped[str] = mapped_column(String(300), default="")
    address_en: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Almaty")
    occupancy_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    slot_capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    horizon_days: Mapped[int] = mapped_column(Integer, default=10)
    latest_booking: Mapped[str] = mapped_column(String(5), default="17:30")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=15)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    floor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class WindowRow(Base):
    __tablename__ = "windows"
    __table_args__ = (UniqueConstraint("center_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    privilege: Mapped[bool] = mapped_column(Boolean, default=False)
    scope_all: Mapped[bool] = mapped_column(Boolean, default=True)
    scope_sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    scope_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    seats: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CenterExceptionRow(Base):
    __tablename__ = "center_exceptions"
    __table_args__ = (UniqueConstraint("center_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)
    opens: Mapped[str | None] = mapped_column(String(5), nullable=True)
    closes: Mapped[str | None] = mapped_column(String(5), nullable=True)
    note: Mapped[str] = mapped_column(String(300), default="")


class HolidayRow(NamesMixin, Base):
    __tablename__ = "holidays"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)


class SelfServicePointRow(NamesMixin, Base):
    __tablename__ = "self_service_points"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    city: Mapped[str] = mapped_column(ForeignKey("cities.slug"), index=True)
    address_kk: Mapped[str] = mapped_column(String(300), default="")
    address_ru: Mapped[str] = mapped_column(String(300), default="")
    address_en: Mapped[str] = mapped_column(String(300), default="")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SettingRow(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class PersonRow(Base):
    """One row per IIN ever seen, by keyed hash: the lock every booking takes first."""

    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    iin_hash: Mapped[str] = mapped_column(String(64), unique=True)
    iin_masked: Mapped[str] = mapped_column(String(12))
    bookings_made: Mapped[int] = mapped_column(Integer, default=0)
    # Migration 0012: missed visits up to this moment no longer count towards a no-show
    # suspension (staff lifted it; kezek.app.suspension).
    no_show_cleared_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class BookingRow(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("uq_bookings_seat", "window_id", "start_utc", "seat", unique=True,
              sqlite_where=text(HOLDING_SQL), postgresql_where=text(HOLDING_SQL)),
        Index("uq_bookings_center_seat", "center_id", "start_utc", "center_seat", unique=True,
              sqlite_where=text(HOLDING_SQL + " AND center_seat IS NOT NULL"),
              postgresql_where=text(HOLDING_SQL + " AND center_seat IS NOT NULL")),
        Index("ix_bookings_center_start", "center_id", "start_utc"),
        Index("ix_bookings_person_status", "person_id", "status"),
        # Migration 0012, the abuse view: a day's bookings grouped by where they came from.
        Index("ix_bookings_made_phone", "made_on", "origin_phone"),
        Index("ix_bookings_made_addr", "made_on", "origin_addr"),
        Index("ix_bookings_made_net", "made_on", "origin_net"),
        # Missed visits by time, for the list of suspensions (a small partial index).
        Index("ix_bookings_missed", "start_utc", sqlite_where=text(MISSED_SQL),
              postgresql_where=text(MISSED_SQL)),
        CheckConstraint("end_utc > start_utc", name="block"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    iin_masked: Mapped[str] = mapped_column(String(12))
    service_code: Mapped[str] = mapped_column(ForeignKey("services.code"))
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    center_kind: Mapped[str] = mapped_column(String(16))
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id"))
    seat: Mapped[int] = mapped_column(Integer, default=0)
    # Set only where the centre caps people per slot: a second unique seat, centre-wide.
    center_seat: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start_utc: Mapped[dt.datetime] = mapped_column()
    # Start of the first slot after the visit: a service whose standard takes several
    # of the centre's slots holds its seat over the whole block (migration 0007 makes
    # the database refuse overlapping blocks on one seat).
    end_utc: Mapped[dt.datetime] = mapped_column()
    local_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")
    privilege: Mapped[str | None] = mapped_column(String(16), nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Migration 0011 (core.privilege). `privilege` is what the visit is served with now
    # (cleared when the door rejects a claim under the `general` rule); the claim as made
    # and where it stands (verified, claimed, confirmed, rejected) are kept for the record.
    privilege_claim: Mapped[str | None] = mapped_column(String(16), nullable=True)
    privilege_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # Where the booking came from, set by the server (migration 0012): the client's
    # address (trusted as api/client.py says), its /24 or /48 network, the proven
    # phone's digest (16 hex of the keyed hash), and the local day it was made on.
    origin_addr: Mapped[str | None] = mapped_column(String(45), nullable=True)
    origin_net: Mapped[str | None] = mapped_column(String(49), nullable=True)
    origin_phone: Mapped[str | None] = mapped_column(String(16), nullable=True)
    made_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # A 'held' row with this set holds a cancelled seat back from the public until then
    # (fair release, ADR 13; migration 0014); a waitlist offer's hold leaves it null.
    hold_until: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    centers: Mapped[list[int]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Migration 0008. A page session is valid only while it carries this version:
    # logout, a password change or reset and disabling bump it (app/staff_accounts.py).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Consecutive failed sign-ins, and no attempt is looked at before locked_until
    # (growing delays); at core.credentials.LOCK_AFTER the account stays locked until
    # an admin unlocks it.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False,
                                                       server_default=false())
    # The TOTP second factor (base32), and the last time-step a code was accepted for.
    totp_secret: Mapped[str | None] = mapped_column(String(128), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditRow(Base):
    """Who changed what, through which channel. Never holds an IIN in clear."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class WindowStateRow(Base):
    """Whether a window is open, paused or closed now, and who sits at it."""

    __tablename__ = "window_states"
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id", ondelete="CASCADE"),
                                           primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="closed")
    operator_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    since: Mapped[dt.datetime] = mapped_column(default=utcnow)


class TicketCounterRow(Base):
    """The last ticket number per centre, day and prefix: numbers come from an UPDATE."""

    __tablename__ = "ticket_counters"
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"),
                                           primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(4), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class TicketRow(Base):
    """A visit on the floor: from arrival to the end of service (or leaving)."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("center_id", "day", "prefix", "number"),
        Index("ix_tickets_center_status", "center_id", "status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(4))
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(16))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), nullable=True,
                                                   unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), nullable=True)
    iin_masked: Mapped[str] = mapped_column(String(12), default="")
    services: Mapped[list[str]] = mapped_column(JSON, default=list)
    privilege: Mapped[str | None] = mapped_column(String(16), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))  # booked | walk_in
    booked_start: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    window_id: Mapped[int | None] = mapped_column(ForeignKey("windows.id"), nullable=True)
    calls: Mapped[int] = mapped_column(Integer, default=0)
    arrived_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    called_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    # Migration 0011: the privilege claim as made and its status, as on bookings.
    privilege_claim: Mapped[str | None] = mapped_column(String(16), nullable=True)
    privilege_status: Mapped[str | None] = mapped_column(String(16), nullable=True)


class FloorEventRow(Base):
    """Every state change on the floor, with time, actor and window: what statistics
    and planning are built from. Holds no IIN."""

    __tablename__ = "floor_events"
    __table_args__ = (Index("ix_floor_events_center_at", "center_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    center_id: Mapped[int] = mapped_column(Integer)
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    window_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(100))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)



class VisitFeedbackRow(Base):
    """A person's rating of one served visit (migration 0018): one per ticket, asked once
    after the visit by the bot, SMS or e-mail (app/feedback.py). Holds no IIN; the
    centre, service and window are copied so statistics need no join to the floor."""

    __tablename__ = "visit_feedback"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
        Index("ix_visit_feedback_center", "center_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), nullable=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("centers.id"))
    service_code: Mapped[str] = mapped_column(String(8))
    window_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(500), nullable=True)
    channel: Mapped[str] = mapped_column(String(16))  # telegram | web
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

# The channels' tables live in their own module; importing it here puts them in the
# one metadata that migrations and tests compare against.
from kezek.store import models_channels as _models_channels  # noqa: E402, F401
from kezek.store import models_identity as _models_identity  # noqa: E402, F401
from kezek.store import models_jobs as _models_jobs  # noqa: E402, F401
from kezek.store import models_release as _models_release  # noqa: E402, F401
