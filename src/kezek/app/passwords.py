"""Password hashing off the event loop, and the strength rule as a domain error.

argon2 is slow on purpose (tens of milliseconds of CPU and 64 MiB per hash). Run on the
event loop, one sign-in stalls every other request of the worker for that long, and a
burst of sign-ins made /healthz take 2 s. So hashing and verifying run in a pool of
`WORKERS` threads of their own (argon2-cffi releases the GIL while it works): a burst
queues there while the loop goes on serving, and at most `WORKERS` cores are spent on
passwords at a time. A pool rather than a semaphore: it holds no event loop, so it
serves every loop the process runs (tests run several). Past `MAX_WAITING` queued
verifications a sign-in is refused at once with `RateLimited` instead of waiting.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kezek.core.credentials import MIN_LENGTH, password_problem
from kezek.core.errors import RateLimited, WeakPassword

WORKERS = 2
MAX_WAITING = 64
T = TypeVar("T")

_hasher = PasswordHasher()
_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="argon2")
_lock = threading.Lock()
_waiting = 0
# Verified against when the user does not exist, so the answer takes as long.
DUMMY_HASH = _hasher.hash("not-a-real-password")


async def _in_pool(fn: Callable[[], T]) -> T:
    global _waiting
    with _lock:
        if _waiting >= MAX_WAITING:
            raise RateLimited(retry_after=1)
        _waiting += 1
    try:
        return await asyncio.get_running_loop().run_in_executor(_pool, fn)
    finally:
        with _lock:
            _waiting -= 1


async def hash_password(password: str) -> str:
    return await _in_pool(lambda: _hasher.hash(password))


async def verify(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a missing hash is checked against the dummy one, so
    that an unknown user costs the same time."""

    def work() -> bool:
        try:
            return bool(_hasher.verify(password_hash or DUMMY_HASH, password))
        except (VerificationError, InvalidHashError):
            return False

    matched = await _in_pool(work)
    return matched and password_hash is not None


def check_strength(password: str, username: str, full_name: str = "") -> None:
    """Raises WeakPassword (with the reason the message explains) for a weak password."""
    reason = password_problem(password, username, full_name)
    if reason is not None:
        raise WeakPassword(reason=reason, min_length=MIN_LENGTH)
