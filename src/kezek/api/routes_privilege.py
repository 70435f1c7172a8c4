"""Privilege claims over the API: the door's decision, the claims it has to check, the
network's rule for a rejection, and the counts.

The decision takes the floor's staff roles (door, operator, manager of the centre, and
admins) and is audited; a ticket of another centre is answered 404 like an unknown one,
and staff of another centre get 403 before anything is read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from kezek.api.auth import Admin, CentreDoorStaff, Statistician
from kezek.api.deps import lang, tx
from kezek.api.routes_floor import TicketOut, ticket_out
from kezek.api.schemas import BodyId, QueryId, RowId, Strict, example
from kezek.app import privilege_door, privilege_policy, privilege_stats
from kezek.app.actor import Channel, Role
from kezek.core.errors import Forbidden
from kezek.core.privilege import Decision, RejectedRule
from kezek.i18n import message

router = APIRouter(prefix="/api/v1", tags=["privilege"])


class DecisionIn(Strict):
    model_config = example(decision="confirm")
    decision: Decision = Field(description="confirm: the document was seen; reject: it was "
                                           "not (the network's privilege_rejected rule applies)")


class DecisionOut(BaseModel):
    status: Literal["confirmed", "rejected"]
    rule: Literal["general", "refuse"] | None = Field(
        None, description="for a rejection: general (served in the general queue) or "
                          "refuse (the ticket closed and the booking cancelled)")
    told: str | None = Field(None, description="what to tell the person, when refused")
    ticket: TicketOut


@router.post("/centers/{center_id}/tickets/{ticket_id}/privilege", response_model=DecisionOut)
async def decide(request: Request, center_id: RowId, ticket_id: RowId, body: DecisionIn,
                 actor: CentreDoorStaff) -> DecisionOut:
    """Door staff confirm or reject the privilege claim of a ticket after seeing the
    document (only a claim still `claimed` can be decided: 409 otherwise)."""
    async with tx(request) as s:
        done = await privilege_door.decide(s, center_id, ticket_id, body.decision, actor,
                                           Channel.DOOR)
        out = DecisionOut(status=done.status.value,  # type: ignore[arg-type]
                          rule=done.rule.value if done.rule else None,
                          told=message("privilege_refused", lang(request))
                          if done.rule is RejectedRule.REFUSE else None,
                          ticket=await ticket_out(s, done.ticket))
    return out


@router.get("/centers/{center_id}/privilege/claims", response_model=list[TicketOut])
async def claims(request: Request, center_id: RowId, actor: CentreDoorStaff
                 ) -> list[TicketOut]:
    """Tickets on the floor whose privilege claim waits for the door, oldest first."""
    async with tx(request) as s:
        rows = await privilege_door.open_claims(s, center_id)
        return [await ticket_out(s, t) for t in rows]


class PolicyIn(Strict):
    model_config = example(rejected="general")
    rejected: RejectedRule


class PolicyOut(BaseModel):
    rejected: RejectedRule


@router.get("/privilege/policy", response_model=PolicyOut)
async def get_policy(request: Request, actor: Admin) -> PolicyOut:
    async with tx(request) as s:
        policy = await privilege_policy.current(s)
    return PolicyOut(rejected=policy.rejected)


@router.put("/privilege/policy", response_model=PolicyOut)
async def put_policy(request: Request, body: PolicyIn, actor: Admin) -> PolicyOut:
    """The network's rule for a claim rejected at the door: `general` or `refuse`."""
    async with tx(request) as s:
        policy = await privilege_policy.change(s, body.model_dump(mode="json"), actor,
                                               Channel.API)
    return PolicyOut(rejected=policy.rejected)


class CountsOut(BaseModel):
    center: BodyId
    privilege: str
    claims: int
    verified: int = Field(description="by the registry, at booking")
    confirmed: int = Field(description="by door staff")
    rejected: int = Field(description="by door staff")
    open: int = Field(description="claimed, not yet checked at the door")


@router.get("/privilege/stats", response_model=list[CountsOut])
async def stats(request: Request, center: QueryId = None,
                start: dt.date | None = Query(None, alias="from"),
                end: dt.date | None = Query(None, alias="to"), *, actor: Statistician
                ) -> list[CountsOut]:
    """Claims, verified by the registry, confirmed and rejected at the door, per centre
    and privilege, for visits on days from..to. Analysts and admins see the network;
    a manager only their own centres."""
    async with tx(request) as s:
        wanted: Any = None
        if actor.role is Role.MANAGER:
            if center is not None and center not in actor.centers:
                raise Forbidden()
            wanted = [center] if center is not None else list(actor.centers)
        elif center is not None:
            wanted = [center]
        rows = await privilege_stats.counts(s, wanted, start, end)
    return [CountsOut(center=r.center_id, privilege=r.privilege, claims=r.claims,
                      verified=r.verified, confirmed=r.confirmed, rejected=r.rejected,
                      open=r.open) for r in rows]
