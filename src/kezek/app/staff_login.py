"""Signing in: throttled, locked out after many failures, with an optional second
factor, and answering an unknown username exactly as a wrong password.

A sign-in is three steps so that no database connection is held while argon2 works
(a burst of sign-ins would otherwise take the whole pool): `begin` reads the account
and refuses at once when it is throttled or locked; the edge verifies the password
(`passwords.verify`, in its thread pool); `finish` records the outcome. The edge runs
`begin` and `finish` in transactions of their own and commits `finish` even when the
sign-in is refused (a failure must be counted), so `finish` returns its refusal rather
than raising it.

Failures are counted in the database by a conditional UPDATE (`failed_logins + 1`),
never read-then-write, so concurrent attempts on many workers all count. After
`FREE_FAILURES` in a row each further failure makes the next attempt wait
`core.credentials.retry_after(n)` seconds (429 `rate_limited` with Retry-After), and at
`LOCK_AFTER` the account is locked until an admin unlocks it (423 `locked`). A success
resets the count.

An unknown or disabled username gets the same answers: its hash check runs against a
dummy hash (same time), and its failures are counted in a bounded table in this
process's memory, with the same delays and lock. Across workers that count is per
worker, a weaker imitation, but no one learns which usernames exist from one answer.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import pyotp
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app.accounts import normal_username
from kezek.app.actor import SYSTEM, Channel, Role
from kezek.app.totp_secrets import open_totp
from kezek.core.credentials import LOCK_AFTER, is_locked, retry_after
from kezek.core.errors import (
    AccountLocked,
    KezekError,
    OtpInvalid,
    OtpRequired,
    RateLimited,
    SecondFactorRequired,
    Unauthorized,
)
from kezek.store.models import UserRow

log = logging.getLogger("kezek.accounts")
MISSES_KEPT = 10_000
TOTP_WINDOW = 1  # a code of the previous or the next 30 s step is accepted too
_SYNC = {"synchronize_session": False}


@dataclass(frozen=True, slots=True)
class Attempt:
    """What `begin` found: the account (None for an unknown or disabled username), its
    hash, and a refusal decided before any password is looked at."""

    username: str
    user_id: int | None
    password_hash: str | None
    refusal: KezekError | None


@dataclass(frozen=True, slots=True)
class Outcome:
    user: UserRow | None
    refusal: KezekError | None


class _Misses:
    """Failures per unknown username in this process, least recently failed dropped."""

    def __init__(self) -> None:
        self._rows: OrderedDict[str, tuple[int, dt.datetime | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str) -> tuple[int, dt.datetime | None]:
        with self._lock:
            return self._rows.get(name, (0, None))

    def fail(self, name: str, now: dt.datetime) -> None:
        with self._lock:
            failures = self._rows.pop(name, (0, None))[0] + 1
            delay = retry_after(failures)
            self._rows[name] = (failures, now + dt.timedelta(seconds=delay) if delay else None)
            while len(self._rows) > MISSES_KEPT:
                self._rows.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


misses = _Misses()


def _refusal(failures: int, until: dt.datetime | None, now: dt.datetime) -> KezekError | None:
    if is_locked(failures):
        return AccountLocked()
    if until is not None and until > now:
        return RateLimited(retry_after=math.ceil((until - now).total_seconds()))
    return None


async def begin(session: AsyncSession, username: str, now: dt.datetime) -> Attempt:
    name = normal_username(username)
    row = (await session.execute(select(
        UserRow.id, UserRow.password_hash, UserRow.failed_logins, UserRow.locked_until,
    ).where(UserRow.username == name, UserRow.active.is_(True)))).first()
    if row is None:
        failures, until = misses.get(name)
        return Attempt(name, None, None, _refusal(failures, until, now))
    return Attempt(name, row.id, row.password_hash, _refusal(row.failed_logins,
                                                             row.locked_until, now))


async def _fail(session: AsyncSession, attempt: Attempt, now: dt.datetime,
                refusal: KezekError) -> Outcome:
    if attempt.user_id is None:
        misses.fail(attempt.username, now)
        return Outcome(None, refusal)
    failures = await session.scalar(
        update(UserRow).where(UserRow.id == attempt.user_id)
        .values(failed_logins=UserRow.failed_logins + 1)
        .returning(UserRow.failed_logins).execution_options(**_SYNC))
    delay = retry_after(failures or 0)
    if delay:
        # Only the latest failure's writer sets the time (a later count wins).
        await session.execute(
            update(UserRow).where(UserRow.id == attempt.user_id,
                                  UserRow.failed_logins == failures)
            .values(locked_until=now + dt.timedelta(seconds=delay)).execution_options(**_SYNC))
    if failures == LOCK_AFTER:
        log.warning("staff account %s locked after %d failed sign-ins", attempt.user_id,
                    failures)
        await audit.record(session, SYSTEM, Channel.API, "user.lock", "user",
                           attempt.user_id, {"failures": failures})
    return Outcome(None, refusal)


def matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The 30 s time-step (within one of now) whose code `code` is, or None."""
    totp = pyotp.TOTP(secret)
    if not (len(code) == totp.digits and code.isdigit()):
        return None
    current = totp.timecode(now)
    for step in (current - TOTP_WINDOW, current, current + TOTP_WINDOW):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


async def _second_factor(session: AsyncSession, user: UserRow, otp: str | None,
                         now: dt.datetime, key: bytes) -> KezekError | None:
    """None if the code is good and was not used before; the step is recorded by a
    conditional UPDATE, so two sign-ins racing with one code cannot both pass."""
    assert user.totp_secret is not None
    if not otp:
        return OtpRequired()
    step = matching_step(open_totp(user.totp_secret, key), otp.strip(), now)
    if step is None:
        return OtpInvalid()
    taken = await session.execute(
        update(UserRow).where(UserRow.id == user.id,
                              (UserRow.totp_last_step.is_(None))
                              | (UserRow.totp_last_step < step))
        .values(totp_last_step=step).execution_options(**_SYNC))
    return None if taken.rowcount == 1 else OtpInvalid()  # type: ignore[attr-defined]


async def finish(session: AsyncSession, attempt: Attempt, password_ok: bool,
                 otp: str | None, now: dt.datetime, admins_need_totp: bool,
                 key: bytes) -> Outcome:
    """Records the attempt: a failure counted, or the count reset on success."""
    if attempt.refusal is not None:
        return Outcome(None, attempt.refusal)
    if attempt.user_id is None or not password_ok:
        return await _fail(session, attempt, now, Unauthorized())
    user = await session.get(UserRow, attempt.user_id, populate_existing=True)
    if user is None or not user.active:
        return Outcome(None, Unauthorized())
    if user.totp_secret:
        problem = await _second_factor(session, user, otp, now, key)
        if problem is not None:
            return await _fail(session, attempt, now, problem)
    elif admins_need_totp and user.role == Role.ADMIN.value:
        return Outcome(None, SecondFactorRequired(username=user.username))
    reset = await session.execute(
        update(UserRow).where(UserRow.id == user.id, UserRow.failed_logins < LOCK_AFTER,
                              (UserRow.locked_until.is_(None)) | (UserRow.locked_until <= now))
        .values(failed_logins=0, locked_until=None).execution_options(**_SYNC))
    if reset.rowcount != 1:  # type: ignore[attr-defined]
        # Failures recorded meanwhile throttled or locked the account.
        fresh = (await session.execute(select(UserRow.failed_logins, UserRow.locked_until)
                                       .where(UserRow.id == user.id))).one()
        return Outcome(None, _refusal(fresh.failed_logins, fresh.locked_until, now)
                       or Unauthorized())
    return Outcome(user, None)
