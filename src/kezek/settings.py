"""Settings: one class, read from the environment with the KEZEK_ prefix.

Secrets left at their development defaults are refused outside development, so a
production deployment cannot start with a key that is printed in this file.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kezek.core.quiet import QuietHours, parse_quiet

DEV_SECRET = "dev-secret-change-me"
DEV_IIN_KEY = "dev-iin-key-change-me"


def normalize_database_url(url: str) -> str:
    """Accepts the usual SQLAlchemy URL forms and picks the async driver Kezek runs on."""
    url = url.strip()
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError("database URL must look like scheme://...")
    base = scheme.split("+", 1)[0].lower()
    if base in ("postgres", "postgresql"):
        return f"postgresql+asyncpg://{rest}"
    if base == "sqlite":
        return f"sqlite+aiosqlite://{rest}"
    raise ValueError(f"unsupported database: {base} (use sqlite or postgresql)")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KEZEK_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./var/kezek.db"
    redis_url: str | None = None
    secret_key: str = DEV_SECRET
    iin_key: str = DEV_IIN_KEY
    default_lang: Literal["kk", "ru", "en"] = "ru"
    log_level: str = "INFO"
    log_json: bool = True
    portal_url: str = "https://egov.kz"
    token_ttl_hours: int = 12
    # PostgreSQL connections per process (each API worker has its own pool), and how
    # many more a burst may open; see store.db.make_engine.
    db_pool_size: int = 20
    db_max_overflow: int = 0
    # Seconds a request waits for a pooled connection before it is answered 503 busy.
    db_pool_timeout: float = 10.0
    # Channels. Without a token `kezek bot` refuses to start; the API base is Telegram's
    # unless a local Bot API server (or a test's fake one) is given.
    telegram_token: str | None = None
    telegram_api_base: str = "https://api.telegram.org"
    # Links in messages; `kezek serve` sets it from its --host/--port when unset.
    public_url: str = "http://127.0.0.1:8000"
    # Video consultations: each gets a room under this base, named by a random token.
    video_room_base: str = "https://meet.egov.kz/kezek"
    # E-mail reminders go out over SMTP when a host is set.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "kezek@localhost"
    # Background jobs (reminders, waitlist): a SQLite file by default, Redis when set.
    jobs_redis_url: str | None = None
    jobs_file: str | None = None  # the SQLite queue file; beside the database when unset
    waitlist_hold_minutes: int = 15
    # How long after a no-show its window may take it back (the console's Undo bar).
    no_show_undo_minutes: int = Field(default=5, ge=0, le=60)
    # "Your turn is near": a booked person waiting on the floor or outside is told once
    # when this many people (or fewer) are ahead of them; a centre's floor rules may
    # say otherwise (core/floor.py FloorRules.turn_near_ahead); 0 turns it off.
    turn_near_ahead: int = Field(default=3, ge=0, le=50)
    # Quiet hours in each centre's own time (HH:MM-HH:MM, empty for none): a waitlist offer
    # made then is announced when they end, and its hold counts no minute of them.
    quiet_hours: str = "22:00-08:00"
    # Proof of identity: a state registry of mobile citizens (Kezek's own table of
    # numbers when unset) and an SMS gateway (the development sender when unset, which
    # shows the code on the page and is refused in production).
    identity_registry_url: str | None = None
    identity_registry_token: str | None = None
    sms_url: str | None = None
    sms_token: str | None = None
    sms_from: str = "Kezek"
    # Booking reminders by SMS too (the gateway above): off unless the network pays for
    # them. Staff cancellations, waitlist offers and ballot results go by SMS whenever
    # the gateway is set and the person proved their number by a code (ADR 0020).
    sms_reminders: bool = False
    # Throttling of everything a client can repeat (kezek.app.throttle); Redis when
    # KEZEK_REDIS_URL is set, in-process otherwise. Client addresses are read from
    # X-Forwarded-For only when the peer is one of these proxies (addresses or CIDRs).
    throttle: bool = True
    trusted_proxies: list[str] = []
    # Proof-of-work challenges (ALTCHA) on anonymous booking steps (kezek.app.challenge),
    # signed with a key derived from KEZEK_ALTCHA_KEY, or from KEZEK_SECRET_KEY when unset.
    altcha: bool = True
    altcha_key: str | None = None
    # Analytics pages read this data set (`kezek data generate` or `kezek data export`).
    analytics_dir: str = "var/data/national"
    # /metrics: loopback peers only when unset; with a token, any peer sending it as
    # `Authorization: Bearer <token>` and no one else (ADR 0019).
    metrics_token: str | None = None
    # Largest request body accepted (bytes), counted while it streams in (kezek.api.edge).
    max_body_bytes: int = 1024 * 1024
    # Development and tests only: the time at start, then advancing normally
    # (e.g. 2026-12-08T10:00+05:00), so a server can be tried at any hour (ADR 0024).
    clock_at: dt.datetime | None = None

    @field_validator("database_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        parse_quiet(value)  # refused at start-up, not at the first offer of the night
        return value.strip()

    @field_validator("clock_at")
    @classmethod
    def _aware(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is not None and value.utcoffset() is None:
            raise ValueError("KEZEK_CLOCK_AT needs its UTC offset, e.g. 2026-12-08T10:00+05:00")
        return value

    @model_validator(mode="after")
    def _secrets(self) -> Settings:
        if self.env == "production":
            if self.clock_at is not None:
                raise ValueError("KEZEK_CLOCK_AT is for development and tests: a production "
                                 "server runs on the real clock")
            if self.secret_key == DEV_SECRET or self.iin_key == DEV_IIN_KEY:
                raise ValueError("set KEZEK_SECRET_KEY and KEZEK_IIN_KEY outside development")
            if len(self.secret_key) < 32 or len(self.iin_key) < 32:
                raise ValueError("KEZEK_SECRET_KEY and KEZEK_IIN_KEY need 32+ characters")
            if self.altcha_key is not None and len(self.altcha_key) < 32:
                raise ValueError("KEZEK_ALTCHA_KEY needs 32+ characters")
            if not self.sms_url:
                raise ValueError("set KEZEK_SMS_URL in production: the development code "
                                 "sender shows codes to anyone")
        return self

    @property
    def quiet(self) -> QuietHours | None:
        return parse_quiet(self.quiet_hours)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return self.env == "production"

    def sqlite_dir(self) -> Path | None:
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[-1]
        return Path(path).parent if path and path != ":memory:" else None


def follow_server(host: str, port: int) -> str:
    """Makes the links Kezek builds (KEZEK_PUBLIC_URL) point at the server being started,
    unless the public address was set (environment or .env): `kezek serve --port 8010`
    must not send people to :8000. Set in the environment, so that uvicorn's worker
    processes read the same. An any-address host (0.0.0.0, ::) links to the loopback.
    Returns the public URL now in force."""
    import os

    if "public_url" in Settings().model_fields_set:
        return get_settings().public_url
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "[::1]" if host == "::" else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    os.environ["KEZEK_PUBLIC_URL"] = f"http://{shown}:{port}"
    get_settings.cache_clear()
    return get_settings().public_url


@lru_cache
def get_settings() -> Settings:
    return Settings()
