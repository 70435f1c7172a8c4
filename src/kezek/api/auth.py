"""Staff auth as typed FastAPI dependencies: a handler names who may call it in its
signature, and FastAPI (and so the OpenAPI document) knows it.

`StaffOnly(*roles)` answers the staff member (`Actor`) behind a bearer token or a live
page session, or refuses: 401 `unauthorized` when nobody is signed in as staff (a
citizen's `kzp.` proof is not staff), 403 `forbidden` for another role (an admin may do
anything) or a cookie call without `X-Requested-With`, 403 `password_change_required`
after an admin reset the password (deps.actor_of). `CentreStaff(*roles)` also needs the
centre in the path to be one of the member's own (admins: any).

The actor is read in a short read of its own, before the handler opens the request's
transaction (ADR 0022): the dependency is not a yield dependency, so nothing of it runs
after the answer, and the handler still commits before it returns, as a booking or a
call must be committed before it is acknowledged. The price is one more short read
per staff request (measured on call-next in the ADR).

The aliases below are the role sets the routes use; `openapi_doc` finds `StaffOnly` in
each route's dependencies (a `StaffRule`) to document 401/403 and the bearer requirement.
"""

# No `from __future__ import annotations`: FastAPI reads the parameters of a callable
# instance's `__call__` without its module's globals, so they must be real types.
from typing import Annotated

from fastapi import Depends, Request

from kezek.api.deps import actor_of
from kezek.api.schemas import RowId
from kezek.app.abuse import access
from kezek.app.actor import Actor, Role
from kezek.core.errors import Forbidden, Unauthorized


class StaffRule:
    """Who may call: a signed-in staff member with one of `roles` (any role if none are
    named; an admin always passes). The dependencies below are its two shapes."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(sorted(self.roles))})"

    def allows(self, actor: Actor) -> bool:
        return not self.roles or actor.role in self.roles or actor.role is Role.ADMIN

    async def actor(self, request: Request) -> Actor:
        """The checked actor, read in a session of its own that is closed (nothing was
        written) before the handler's transaction begins."""
        async with request.app.state.sessionmaker() as session:
            actor = await actor_of(request, session)
        if not actor.is_staff:
            raise Unauthorized()
        if not self.allows(actor):
            raise Forbidden()
        return actor


class StaffOnly(StaffRule):
    """A dependency: the checked staff member."""

    async def __call__(self, request: Request) -> Actor:
        return await self.actor(request)


class CentreStaff(StaffRule):
    """`StaffOnly`, and the centre in the path (`center_id`) must be one of the staff
    member's own; admins act on every centre."""

    async def __call__(self, request: Request, center_id: RowId) -> Actor:
        actor = await self.actor(request)
        if actor.role is not Role.ADMIN and center_id not in actor.centers:
            raise Forbidden()
        return actor


DOOR_ROLES = (Role.DOOR, Role.OPERATOR, Role.MANAGER)
WINDOW_ROLES = (Role.OPERATOR, Role.MANAGER)
QUEUE_ROLES = (Role.OPERATOR, Role.DOOR, Role.MANAGER, Role.ANALYST)
READ_ROLES = (Role.ADMIN, Role.ANALYST, Role.MANAGER)

AnyStaff = Annotated[Actor, Depends(StaffOnly())]
Admin = Annotated[Actor, Depends(StaffOnly(Role.ADMIN))]
AdminOrManager = Annotated[Actor, Depends(StaffOnly(Role.ADMIN, Role.MANAGER))]
NetworkReader = Annotated[Actor, Depends(StaffOnly(*READ_ROLES))]
AbuseStaff = Annotated[Actor, Depends(StaffOnly(*access.ROLES))]
CallCentre = Annotated[Actor, Depends(StaffOnly(Role.CALL_CENTRE))]
Statistician = Annotated[Actor, Depends(StaffOnly(Role.ANALYST, Role.MANAGER))]
DoorStaff = Annotated[Actor, Depends(StaffOnly(*DOOR_ROLES))]
WindowStaff = Annotated[Actor, Depends(StaffOnly(*WINDOW_ROLES))]
QueueReader = Annotated[Actor, Depends(StaffOnly(*QUEUE_ROLES))]
CentreDoorStaff = Annotated[Actor, Depends(CentreStaff(*DOOR_ROLES))]
