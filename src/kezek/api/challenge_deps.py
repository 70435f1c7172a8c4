"""Proof of work on the HTTP side: the app's challenges, and requiring one on the API.

An anonymous API step (asking for a code) is free while the client is within its
allowance; above it the request must carry a solved challenge in `X-Altcha` (the
base64 JSON payload of the ALTCHA convention), else 428 `challenge_required` with a
challenge to solve in the body. A forged, tampered, wrong, too easy, expired or spent
payload is 403. Staff signed in (door, call centre) are accountable by their account
and pass, as they do for proof of identity.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.client import client_address, throttle_of
from kezek.api.deps import actor_of
from kezek.api.errors import request_lang
from kezek.app.challenge import Challenges
from kezek.core.pow import ChallengeRequired
from kezek.i18n import error_message
from kezek.settings import Settings

HEADER = "X-Altcha"
HEADER_DOC = (
    "A solved proof-of-work challenge (ALTCHA: base64 of the JSON "
    "`{\"challenge\": {...}, \"solution\": {\"counter\", \"derivedKey\"}}`). Needed only "
    "when the answer was 428 `challenge_required`: solve the challenge in that answer "
    "(or one from `GET /api/v1/challenge`) and send it; each works once.")


def challenges_of(request: Request) -> Challenges:
    """The app's challenges, made on first use beside its throttle (same storage)."""
    made: Challenges | None = getattr(request.app.state, "challenges", None)
    if made is None:
        settings: Settings = request.app.state.settings
        made = request.app.state.challenges = Challenges(
            throttle_of(request), settings.altcha_key or settings.secret_key,
            enabled=settings.altcha and settings.throttle)
    return made


async def require_work(request: Request, session: AsyncSession, payload: str | None) -> None:
    """Lets an anonymous API step through: free, or with a solved challenge; counts it.

    Raises ChallengeRequired (428, with a challenge) or ChallengeInvalid / Expired /
    Used (403)."""
    challenges = challenges_of(request)
    if not challenges.enabled or (await actor_of(request, session)).is_staff:
        return
    address = client_address(request)
    if payload:
        await challenges.redeem(payload.strip(), await challenges.required(address))
    elif not await challenges.take_free(address):
        raise ChallengeRequired(challenge=await challenges.issue(address))
    await challenges.count(address)


async def challenge_required(request: Request, exc: ChallengeRequired) -> JSONResponse:
    """The error envelope, with the challenge to solve beside it."""
    body = {"error": {"code": exc.code,
                      "message": error_message(exc.code, request_lang(request), {})},
            "challenge": exc.params["challenge"]}
    return JSONResponse(body, status_code=exc.status, headers={"Cache-Control": "no-store"})
