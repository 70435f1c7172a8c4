"""Who may use the abuse view, and over which centres.

An admin sees and acts on the whole network (or one centre, if asked); a manager only on
their own centres, since a hoard at another centre is that centre's managers' (or an
admin's) to judge. Everyone else is refused.
"""

from __future__ import annotations

from kezek.app.actor import Actor, Role
from kezek.core.errors import Forbidden

ROLES = (Role.ADMIN, Role.MANAGER)


def scope(actor: Actor, center: int | None) -> frozenset[int] | None:
    """The centres the actor's view covers: None is the whole network."""
    if actor.role is Role.ADMIN:
        return None if center is None else frozenset({center})
    if actor.role is Role.MANAGER:
        if center is None:
            return actor.centers
        if center not in actor.centers:
            raise Forbidden()
        return frozenset({center})
    raise Forbidden()
