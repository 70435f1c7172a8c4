"""Small helpers shared by the live tests."""

from __future__ import annotations

import asyncio

from kezek.live import Message, Subscription


async def recv(sub: Subscription, timeout: float = 2.0) -> Message:
    """The next message, or fail the test after ``timeout`` seconds."""
    return await asyncio.wait_for(anext(sub), timeout)


async def nothing_within(sub: Subscription, seconds: float = 0.1) -> bool:
    """True when no message arrives within ``seconds``."""
    try:
        await asyncio.wait_for(anext(sub), seconds)
    except TimeoutError:
        return True
    return False
