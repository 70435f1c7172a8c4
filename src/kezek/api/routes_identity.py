"""Proof of identity over the API: ask for a code, give it back, get a proof.

`POST /identity/code` sends a one-time code to a number registered to the IIN (or, for
an IIN with no number on a network that binds on first use, to the number given);
`POST /identity/verify` exchanges the code for a proof token, sent afterwards as
`Authorization: Bearer kzp.…` on the personal booking calls. Staff register numbers
after seeing the ID document (`POST /identity/phones`); admins set the policy.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from pydantic import BaseModel, Field

from kezek.api.auth import Admin, AnyStaff, StaffOnly
from kezek.api.body_examples import IdentityPolicyBody
from kezek.api.challenge_deps import HEADER_DOC, require_work
from kezek.api.client import throttle_client, throttle_of
from kezek.api.deps import iin_key, lang, settings_of, tx
from kezek.api.schemas import EXAMPLE_IIN, EXAMPLE_PHONE, Strict, example
from kezek.app import catalog
from kezek.app.actor import CITIZEN, Actor, Channel, Role
from kezek.app.challenge import MAX_PAYLOAD
from kezek.app.identity import codes, directory, policy_store
from kezek.app.identity.proof import issue_token
from kezek.app.identity.wiring import directory_for, sender_for
from kezek.core.identity import normalize_phone, phone_digest
from kezek.core.privacy import iin_digest

router = APIRouter(prefix="/api/v1/identity", tags=["identity"])
REGISTRARS = {Role.DOOR: Channel.DOOR, Role.OPERATOR: Channel.DOOR,
              Role.MANAGER: Channel.DOOR, Role.CALL_CENTRE: Channel.CALL_CENTRE}
Registrar = Annotated[Actor, Depends(StaffOnly(*REGISTRARS))]


class CodeIn(Strict):
    model_config = example(iin=EXAMPLE_IIN)
    iin: str = Field(min_length=1, max_length=32)
    phone: str | None = Field(None, max_length=32, description=(
        "only for an IIN with no registered number, on a network that binds numbers on "
        "first use; otherwise the code goes to the registered number"))


class CodeOut(BaseModel):
    challenge: str
    sent_to: str = Field(description="the number, masked: +7 701 *** ** 67")
    channel: str = Field(description="sms, telegram (the person's proven bot chat), or dev "
                                      "(the development sender)")
    expires_in: int = Field(description="seconds")
    dev_code: str | None = Field(None, description="the code itself, development only")


class VerifyIn(Strict):
    model_config = example(challenge="3q2-7wVfR0y1xZkQm9TtLg", code="482913")
    challenge: str = Field(min_length=1, max_length=64)
    code: str = Field(min_length=1, max_length=12)


class ProofOut(BaseModel):
    token: str = Field(description="send as Authorization: Bearer <token>")
    expires_in: int


class PhoneIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, phone=EXAMPLE_PHONE)
    iin: str = Field(min_length=1, max_length=32)
    phone: str = Field(min_length=1, max_length=32)


class PhoneOut(BaseModel):
    phone: str = Field(description="masked")


@router.post("/code", status_code=201, response_model=CodeOut, responses={
    428: {"description": "`challenge_required`: the client's rate is above the free "
                         "allowance; the body carries `challenge` to solve"},
    403: {"description": "`challenge_invalid`, `challenge_expired` or `challenge_used`"}})
async def send_code(request: Request, body: CodeIn,
                    x_altcha: str | None = Header(None, max_length=MAX_PAYLOAD,
                                                  description=HEADER_DOC)) -> CodeOut:
    """Sends a code. Throttled per client, per IIN and per number.

    Proof of work: a client's first few code requests in 10 minutes are free; past
    them each needs a solved challenge in `X-Altcha` (428 `challenge_required` says
    so, with the challenge), and each further one costs twice the work. Staff signed
    in pass."""
    await throttle_client(request, "identity.send")
    async with tx(request) as s:
        await require_work(request, s, x_altcha)
    settings, key = settings_of(request), iin_key(request)
    iin = codes.valid_iin(body.iin)
    throttle = throttle_of(request)
    await throttle.hit("identity.send:iin", iin_digest(iin, key))
    typed = normalize_phone(body.phone) if body.phone else None
    if typed:
        await throttle.hit("identity.send:phone", phone_digest(typed, key))
    async with tx(request) as s:
        started = await codes.start(s, iin, body.phone, directory_for(settings),
                                    sender_for(settings), await catalog.identity_policy(s),
                                    key, lang(request))
    return CodeOut(challenge=started.challenge, sent_to=started.sent_to,
                   channel=started.channel, expires_in=started.expires_in,
                   dev_code=started.dev_code)


@router.post("/verify", response_model=ProofOut)
async def verify(request: Request, body: VerifyIn) -> ProofOut:
    """Checks the code; a wrong one spends a try (the answer says how many are left)."""
    await throttle_client(request, "identity.check")
    async with tx(request) as s:
        policy = await catalog.identity_policy(s)
        checked = await codes.check(s, body.challenge, body.code, policy, iin_key(request),
                                    CITIZEN, Channel.API)
    if checked.error is not None:
        raise checked.error
    assert checked.proof is not None
    return ProofOut(token=issue_token(checked.proof, settings_of(request).secret_key),
                    expires_in=policy.proof_minutes * 60)


@router.post("/phones", status_code=201, response_model=PhoneOut)
async def register_phone(request: Request, body: PhoneIn, actor: Registrar) -> PhoneOut:
    """Registers a number to an IIN after staff saw the person's ID document (door,
    window, manager) or checked a caller (call centre). Audited with the staff member."""
    async with tx(request) as s:
        channel = REGISTRARS.get(actor.role, Channel.API) if actor.role else Channel.API
        iin = codes.valid_iin(body.iin)
        source = "call_centre" if channel is Channel.CALL_CENTRE else "door"
        masked = await directory.register(s, iin, body.phone, source, iin_key(request),
                                          actor, channel)
    return PhoneOut(phone=masked)


@router.get("/policy")
async def get_policy(request: Request, _staff: AnyStaff) -> dict[str, Any]:
    async with tx(request) as s:
        return (await policy_store.current(s)).to_dict()


@router.put("/policy")
async def put_policy(request: Request, body: IdentityPolicyBody, actor: Admin) -> dict[str, Any]:
    """Sets fields of the identity policy (`mode: otp | none`, `first_use_binding`, ...)."""
    async with tx(request) as s:
        return (await policy_store.change(s, body, actor, Channel.API)).to_dict()
