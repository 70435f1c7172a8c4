"""Who the client is, as far as the network can tell: its address, and what throttles it.

`X-Forwarded-For` is anyone's to write, so it is read only when the request comes from
one of `KEZEK_TRUSTED_PROXIES`; then the address is the last hop that is not itself a
trusted proxy (the proxy appends what it saw, a client can only prepend lies).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import Request

from kezek.app.throttle import Throttle, make_throttle, network_of
from kezek.settings import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(s.strip(), strict=False) for s in spec if s.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else ""
    settings: Settings = request.app.state.settings
    networks = _networks(tuple(settings.trusted_proxies))
    if not networks or not _trusted(peer, networks):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # a malformed header from behind the proxy: trust the proxy
    return peer


def throttle_of(request: Request) -> Throttle:
    """The app's limiter, made on first use from its settings."""
    throttle: Throttle | None = getattr(request.app.state, "throttle", None)
    if throttle is None:
        settings: Settings = request.app.state.settings
        throttle = request.app.state.throttle = make_throttle(settings.redis_url,
                                                              settings.throttle)
    return throttle


async def throttle_client(request: Request, rule: str) -> str:
    """Counts the request against `rule` for the client's address and its network;
    returns the address (for the audit)."""
    address = client_address(request)
    throttle = throttle_of(request)
    await throttle.hit(f"{rule}:addr", address)
    if f"{rule}:net" in throttle.items:
        await throttle.hit(f"{rule}:net", network_of(address))
    return address
