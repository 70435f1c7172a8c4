"""`GET /api/v1/challenge`: a proof-of-work challenge sized for the asking client.

The ALTCHA widget on the citizen pages fetches it (same origin, no third party); an
API client fetches it after a 428, or ahead of a step it knows will need one.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kezek.api.challenge_deps import challenges_of
from kezek.api.client import client_address, throttle_client

router = APIRouter(prefix="/api/v1", tags=["identity"])


@router.get("/challenge", responses={200: {"content": {"application/json": {"example": {
    "parameters": {"algorithm": "SHA-256", "cost": 1, "keyLength": 32,
                   "keyPrefix": "3fa0…", "keySignature": "…", "nonce": "…", "salt": "…",
                   "expiresAt": 1767225600, "data": {"maxNumber": 20000}},
    "signature": "…"}}}}})
async def challenge(request: Request) -> JSONResponse:
    """A challenge (ALTCHA protocol 2, SHA-256): find the counter below
    `data.maxNumber` whose SHA-256 of `salt + nonce + counter` (a big-endian uint32)
    starts with `keyPrefix`, and send `{"challenge", "solution": {"counter",
    "derivedKey"}}` as base64 in `X-Altcha`. Its size grows with the client's recent
    anonymous steps (tiny for a citizen, doubling for a client that repeats); it
    expires in 5 minutes and works once."""
    await throttle_client(request, "challenge")
    body: dict[str, Any] = await challenges_of(request).issue(client_address(request))
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
