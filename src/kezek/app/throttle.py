"""Throttling: one limiter for everything a client can repeat, on every channel.

Rules are named by what they guard and whom they count (`identity.send:iin`,
`booking:addr`, ...); each channel's edge calls `hit` with the rule and the key (a
client address, its network prefix, an IIN's digest, a number's digest, a chat id).
The `limits` library keeps the counts, in Redis when `KEZEK_REDIS_URL` is set (so that
every worker counts together) and in the process otherwise. A moving window, so that a
burst at a window's edge cannot double the rate.
"""

from __future__ import annotations

import ipaddress
import math
import time

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from kezek.core.errors import RateLimited

# Generous for people behind one carrier's address (CGNAT, a centre's Wi-Fi); tight for
# whatever costs an SMS or names one person. Proof of identity is the real defence of
# seats; these limits stop floods, SMS bombing and code guessing.
RULES: dict[str, str] = {
    "identity.send:addr": "10/minute;60/hour",
    "identity.send:net": "60/minute;600/hour",
    "identity.send:iin": "3/10minutes;10/day",
    "identity.send:phone": "5/hour;10/day",
    # A page's code request without a solved proof-of-work challenge (no JavaScript, or
    # it failed): the one-time code is the defence there, so fewer per client.
    "identity.send.plain:addr": "6/10minutes;30/day",
    "identity.send.plain:net": "60/10minutes;600/day",
    "challenge:addr": "120/minute;3000/hour",
    "challenge:net": "1200/minute",
    "identity.check:addr": "30/10minutes",
    "identity.check:net": "300/10minutes",
    "booking:addr": "30/minute;300/day",
    "booking:net": "300/minute",
    "booking:iin": "10/hour",
    "lookup:addr": "30/minute;300/day",
    "lookup:iin": "30/hour",
    "waitlist:addr": "10/hour",
    "waitlist:iin": "10/day",
    "login:addr": "30/10minutes",
    # One's own password change needs the old password: a stolen session must not be
    # able to guess it at leisure.
    "password:user": "5/10minutes;20/day",
    # The bot: a chat is one Telegram account, so it is counted itself.
    "identity.contact:chat": "5/10minutes;20/day",
    "booking:chat": "10/hour",
    # A kiosk device checks in one person a minute or two at a busy door: a script at
    # the screen guessing codes and IINs is stopped, a queue of people is not.
    "kiosk:device": "20/minute;400/hour",
    "kiosk:addr": "60/minute",
    # Redeeming a kiosk enrolment code: a guess costs one of these.
    "kiosk.enrol:addr": "10/10minutes;50/day",
}


class Throttle:
    def __init__(self, storage: Storage, enabled: bool = True,
                 rules: dict[str, str] | None = None) -> None:
        self.storage, self.enabled = storage, enabled
        self.limiter = MovingWindowRateLimiter(storage)
        self.items: dict[str, list[RateLimitItem]] = {
            name: parse_many(spec) for name, spec in (rules or RULES).items()}

    async def hit(self, rule: str, key: str) -> None:
        """Counts one request; raises RateLimited (with the wait) when over any limit of
        the rule. A refused request is not counted, so waiting is enough to recover."""
        if not self.enabled or not key:
            return
        for item in self.items[rule]:
            if not await self.limiter.test(item, rule, key):
                raise RateLimited(retry_after=await self._wait(item, rule, key))
        for item in self.items[rule]:
            if not await self.limiter.hit(item, rule, key):
                raise RateLimited(retry_after=await self._wait(item, rule, key))

    async def _wait(self, item: RateLimitItem, rule: str, key: str) -> int:
        stats = await self.limiter.get_window_stats(item, rule, key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def clear(self) -> None:
        await self.storage.reset()


def make_throttle(redis_url: str | None, enabled: bool = True) -> Throttle:
    if redis_url:
        uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
        return Throttle(RedisStorage(uri, implementation="redispy",
                                     key_prefix="kezek-throttle"), enabled)
    return Throttle(MemoryStorage(), enabled)


def network_of(address: str) -> str:
    """The address's network prefix (/24 for IPv4, /48 for IPv6): a client spread over
    many addresses of one network is still counted together there."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
