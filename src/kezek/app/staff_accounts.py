"""Governing staff accounts: disable, enable, passwords, revocation, unlock, TOTP.

Whatever could mean the account is in the wrong hands ends everything it is signed in
with: a password change or reset, disabling, or `revoke` mark every bearer token
revoked and bump `session_version`, so every page session (every copy of the cookie)
is refused on its next request. Each change is written to the audit log with its actor.
"""

from __future__ import annotations

import pyotp
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit, passwords
from kezek.app.accounts import user_by_id
from kezek.app.actor import Actor, Channel
from kezek.app.totp_secrets import seal_totp
from kezek.core.errors import Unauthorized, ValidationFailed
from kezek.store.models import ApiTokenRow, UserRow, utcnow

TOTP_ISSUER = "Kezek"


async def _end_everything(session: AsyncSession, user: UserRow) -> int:
    """Revokes every live token of the user and ends every page session; returns the
    number of tokens revoked."""
    revoked = await session.execute(
        update(ApiTokenRow).where(ApiTokenRow.user_id == user.id,
                                  ApiTokenRow.revoked.is_(False)).values(revoked=True))
    user.session_version += 1
    await session.flush()
    return int(revoked.rowcount)  # type: ignore[attr-defined]


async def revoke_all(session: AsyncSession, user_id: int, actor: Actor,
                     channel: Channel) -> int:
    """Signs the user out everywhere: tokens and page sessions; returns tokens revoked."""
    user = await user_by_id(session, user_id)
    count = await _end_everything(session, user)
    await audit.record(session, actor, channel, "user.revoke", "user", user.id,
                       {"tokens": count})
    return count


async def disable(session: AsyncSession, user_id: int, actor: Actor,
                  channel: Channel) -> UserRow:
    user = await user_by_id(session, user_id)
    if actor.user_id == user.id:
        raise ValidationFailed(detail="an admin cannot disable their own account")
    user.active = False
    count = await _end_everything(session, user)
    await audit.record(session, actor, channel, "user.disable", "user", user.id,
                       {"tokens": count})
    return user


async def enable(session: AsyncSession, user_id: int, actor: Actor,
                 channel: Channel) -> UserRow:
    user = await user_by_id(session, user_id)
    user.active = True
    await session.flush()
    await audit.record(session, actor, channel, "user.enable", "user", user.id)
    return user


async def _set_password(session: AsyncSession, user: UserRow, new: str,
                        must_change: bool) -> int:
    passwords.check_strength(new, user.username, user.full_name)
    user.password_hash = await passwords.hash_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = must_change
    return await _end_everything(session, user)


async def change_password(session: AsyncSession, user_id: int, old: str, new: str,
                          actor: Actor, channel: Channel) -> UserRow:
    """The user changes their own password; the old one must be given. Every token and
    page session ends, the one used for the change too: sign in again with the new one.
    """
    user = await user_by_id(session, user_id)
    if not await passwords.verify(user.password_hash, old):
        raise Unauthorized()
    if old == new:
        raise ValidationFailed(detail="the new password must differ from the old one")
    count = await _set_password(session, user, new, must_change=False)
    await audit.record(session, actor, channel, "user.password_change", "user", user.id,
                       {"tokens": count})
    return user


async def reset_password(session: AsyncSession, user_id: int, new: str, actor: Actor,
                         channel: Channel, must_change: bool = True) -> UserRow:
    """An admin sets a password; by default the user must choose their own at the next
    sign-in (until then every call but the change itself is refused), so the admin does
    not go on knowing a working password. The CLI's `passwd` for one's own account
    (`--no-must-change`) sets it for good."""
    user = await user_by_id(session, user_id)
    count = await _set_password(session, user, new, must_change)
    await audit.record(session, actor, channel, "user.password_reset", "user", user.id,
                       {"tokens": count, "must_change": must_change})
    return user


async def unlock(session: AsyncSession, user_id: int, actor: Actor,
                 channel: Channel) -> UserRow:
    """Lifts a lockout and any delay: the count of failures starts again from zero."""
    user = await user_by_id(session, user_id)
    failures = user.failed_logins
    user.failed_logins = 0
    user.locked_until = None
    await session.flush()
    await audit.record(session, actor, channel, "user.unlock", "user", user.id,
                       {"failures": failures})
    return user


async def enable_totp(session: AsyncSession, user_id: int, key: bytes, actor: Actor,
                      channel: Channel) -> str:
    """Gives the user a new TOTP secret and returns its otpauth:// URI (for the
    authenticator app's QR code): shown once, stored only sealed under the data key.
    An enrolment replaces any earlier secret."""
    user = await user_by_id(session, user_id)
    secret = pyotp.random_base32()
    user.totp_secret = seal_totp(secret, key)
    user.totp_last_step = None
    await session.flush()
    await audit.record(session, actor, channel, "user.totp_enable", "user", user.id)
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


async def disable_totp(session: AsyncSession, user_id: int, actor: Actor,
                       channel: Channel) -> UserRow:
    user = await user_by_id(session, user_id)
    user.totp_secret = None
    user.totp_last_step = None
    await session.flush()
    await audit.record(session, actor, channel, "user.totp_disable", "user", user.id)
    return user
