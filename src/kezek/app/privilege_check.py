"""Checking a privilege claim against the identity directory, for every channel.

Booking (API, pages, bot, call centre), the waitlist and walk-ins at the door all call
`verify` before they take a seat; it asks the directory only when a privilege is claimed
and the directory can know it (a state registry), so an ordinary booking costs nothing.

When the registry cannot answer (down, or not knowing the IIN, or answering without the
`privilege` field), the claim is kept as `claimed` rather than refused: a pensioner is not
turned away because a remote service is down, and the door checks the document as it did
before. That is not failing open silently: the reason is returned (and audited by the
caller), logged as a warning when the registry is down, and counted in the statistics.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from kezek.app.identity.ports import Directory
from kezek.core.errors import IdentityUnavailable
from kezek.core.policy import Privilege
from kezek.core.privilege import NO_CLAIM, ClaimSource, Verdict, judge

log = logging.getLogger("kezek.privilege")


async def verify(session: AsyncSession, directory: Directory | None, iin: str,
                 claim: Privilege | None) -> Verdict:
    """The claim's status at booking; raises PrivilegeNotConfirmed when the registry
    knows the person and the claim is not theirs.

    `directory` None means the caller has no directory at hand (an internal path): the
    claim is left to the door, as with Kezek's own table. The IIN is never logged.
    """
    if claim is None:
        return NO_CLAIM
    if directory is None or not directory.knows_privilege:
        return judge(claim, ClaimSource.NO_REGISTRY)
    try:
        listing = await directory.lookup(session, iin)
    except IdentityUnavailable:
        log.warning("privilege claim (%s) left to the door: the registry is unavailable",
                    claim.value)
        return judge(claim, ClaimSource.REGISTRY_DOWN)
    if not listing.privilege_known:
        source = ClaimSource.REGISTRY_UNKNOWN if not listing.phones else \
            ClaimSource.REGISTRY_SILENT
        return judge(claim, source)
    return judge(claim, ClaimSource.REGISTRY, listing.privilege)


def audit_details(verdict: Verdict) -> dict[str, str]:
    """What the booking's audit row keeps of the check (nothing without a claim)."""
    if verdict.status is None or verdict.source is None:
        return {}
    return {"privilege_status": verdict.status.value, "privilege_source": verdict.source.value}
