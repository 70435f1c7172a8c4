"""Proof of identity on the HTTP side: reading a person's proof, and requiring it.

Every personal booking action of the API and the pages passes `personal`: the
throttles for the client and the IIN, then the proof for that IIN (or a staff member
acting on a channel that checks identity its own way: the door sees the ID document,
the call centre asks its questions and says so).
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from kezek.api.client import throttle_client, throttle_of
from kezek.api.deps import bearer, iin_key, settings_of
from kezek.app import catalog
from kezek.app.actor import Actor, Channel
from kezek.app.identity import notice_phone
from kezek.app.identity import proof as proofs
from kezek.app.identity.codes import valid_iin
from kezek.core.privacy import iin_digest

MAX_PROOF_SECONDS = 240 * 60  # the longest `proof_minutes` a network may set


def proof_of(request: Request) -> proofs.Proof | None:
    """The person's live proof: a `kzp.` bearer token, else the page session's."""
    token = bearer(request)
    if token and token.startswith(proofs.PREFIX):
        return proofs.read_token(token, settings_of(request).secret_key, MAX_PROOF_SECONDS)
    if "session" in request.scope:
        return proofs.from_dict(request.session.get(proofs.SESSION_KEY))
    return None


async def notice_number(request: Request, session: AsyncSession, iin: str) -> str | None:
    """The number this request's proof proved for the IIN, to keep (sealed) for SMS
    notices; None when the deployment has no SMS gateway or the proof proved none.

    Call it after the booking itself: under the token's sealed number it reads nothing,
    but an older proof falls back on a read, which must not open the transaction that
    the one-statement booking runs without (ADR 0009)."""
    if not settings_of(request).sms_url:
        return None
    return await notice_phone.proven(session, proof_of(request), iin, iin_key(request))


async def personal(request: Request, session: AsyncSession, raw_iin: str, actor: Actor,
                   channel: Channel, rule: str = "booking") -> str:
    """Throttles, then checks the requester may act on this IIN; returns the valid IIN.

    Staff on the door channel act in person (the document is seen); the call centre's
    own routes record the identity check. Anyone else needs a proof for this IIN unless
    the network runs `identity: none`.
    """
    await throttle_client(request, rule)
    iin = valid_iin(raw_iin)
    key = iin_key(request)
    await throttle_of(request).hit(f"{rule}:iin", iin_digest(iin, key))
    if actor.is_staff and channel in (Channel.DOOR, Channel.CALL_CENTRE):
        return iin
    proofs.require(proof_of(request), iin, key, await catalog.identity_policy(session))
    return iin
