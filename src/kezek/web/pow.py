"""Proof of work on the citizen pages: with JavaScript it buys the API's rate; without
it the stricter plain rule applies and the one-time code is the defence.

The forms that start a code step carry the ALTCHA widget (`altcha_field` in
`_altcha.html`), which solves a challenge in the background when the page loads and
puts the payload in the hidden field `altcha`. A form that arrives without one (no
JavaScript, an old browser, a solve not finished) is never refused for it: its code
request counts against `identity.send.plain`, a tighter limit per address and network.
A payload that is forged, expired, too easy or spent buys nothing either: the request
is treated as one without (a genuine person is not stopped by a failed widget; a bot
replaying a solution gains nothing by it).
"""

from __future__ import annotations

import logging

from fastapi import Request

from kezek.api.challenge_deps import challenges_of
from kezek.api.client import client_address, throttle_client
from kezek.app.challenge import MAX_PAYLOAD
from kezek.core.pow import ChallengeExpired, ChallengeInvalid, ChallengeUsed

FIELD = "altcha"
log = logging.getLogger("kezek.challenge")


async def page_work(request: Request) -> bool:
    """Counts a page's anonymous step; True when it carried a valid solved challenge.

    Raises RateLimited when it carried none and the plain rule is exhausted."""
    challenges = challenges_of(request)
    if not challenges.enabled:
        return False
    address = client_address(request)
    payload = (await request.form()).get(FIELD)
    solved = False
    if isinstance(payload, str) and payload.strip():
        try:
            await challenges.redeem(payload.strip()[:MAX_PAYLOAD + 1],
                                    await challenges.required(address))
            solved = True
        except (ChallengeInvalid, ChallengeExpired, ChallengeUsed) as exc:
            log.info("page challenge refused: %s", exc.code)
    if not solved:
        await throttle_client(request, "identity.send.plain")
    await challenges.count(address)
    return solved
