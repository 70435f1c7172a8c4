"""Staff accounts: argon2 password hashes, roles, and bearer tokens stored as hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app import audit
from kezek.app.actor import Actor, Channel, Role
from kezek.core.errors import Conflict, Unauthorized, ValidationFailed
from kezek.store.models import ApiTokenRow, UserRow, utcnow

_hasher = PasswordHasher()
_USERNAME = re.compile(r"^[a-z0-9_.-]{3,64}$")
# A hash to verify against when the user does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def actor_of(user: UserRow) -> Actor:
    return Actor(
        label=user.username,
        user_id=user.id,
        role=Role(user.role),
        centers=frozenset(user.centers or ()),
    )


async def create_user(
    session: AsyncSession,
    username: str,
    password: str,
    role: str,
    centers: list[int],
    full_name: str,
    actor: Actor,
    channel: Channel,
) -> UserRow:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationFailed(detail="username: 3-64 of a-z, 0-9, _ . -")
    if len(password) < 10:
        raise ValidationFailed(detail="password: at least 10 characters")
    try:
        role_value = Role(role)
    except ValueError as exc:
        raise ValidationFailed(detail=f"role must be one of {[r.value for r in Role]}") from exc
    if await session.scalar(select(UserRow.id).where(UserRow.username == username)):
        raise Conflict(detail="username taken")
    user = UserRow(
        username=username,
        password_hash=_hasher.hash(password),
        role=role_value.value,
        centers=sorted(set(centers)),
        full_name=full_name,
    )
    session.add(user)
    await session.flush()
    await audit.record(
        session,
        actor,
        channel,
        "user.create",
        "user",
        user.id,
        {"username": username, "role": role_value.value},
    )
    return user


async def authenticate(session: AsyncSession, username: str, password: str) -> UserRow:
    user = await session.scalar(
        select(UserRow).where(
            UserRow.username == username.strip().lower(), UserRow.active.is_(True)
        )
    )
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise Unauthorized() from None
    if user is None:
        raise Unauthorized()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(
    session: AsyncSession, user: UserRow, ttl_hours: int
) -> tuple[str, dt.datetime]:
    token = "kz_" + secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(hours=ttl_hours)
    session.add(ApiTokenRow(token_hash=_token_hash(token), user_id=user.id, expires_at=expires))
    await session.flush()
    return token, expires


async def user_for_token(session: AsyncSession, token: str) -> UserRow:
    row = await session.scalar(
        select(UserRow)
        .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
        .where(
            ApiTokenRow.token_hash == _token_hash(token),
            ApiTokenRow.revoked.is_(False),
            ApiTokenRow.expires_at > utcnow(),
            UserRow.active.is_(True),
        )
    )
    if row is None:
        raise Unauthorized()
    return row


async def revoke_token(session: AsyncSession, token: str) -> None:
    await session.execute(
        update(ApiTokenRow).where(ApiTokenRow.token_hash == _token_hash(token)).values(revoked=True)
    )


async def list_users(session: AsyncSession) -> list[UserRow]:
    return list((await session.scalars(select(UserRow).order_by(UserRow.username))).all())
