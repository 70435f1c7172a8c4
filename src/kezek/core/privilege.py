"""Privilege claims, the pure part: what a claim's status is and what a rejection does.

A pensioner, a person with a disability or a large family may take a privilege window.
The claim used to be taken on the person's word; now it is checked. Where the identity
directory knows the person's status (a state registry that answers the `privilege`
field), the claim is decided at booking: a match is `verified`, anything else is refused
with `privilege_not_confirmed`. Where it cannot say (Kezek's own table, a registry
without the field or not knowing the IIN, a registry that is down), the claim is kept as
`claimed` and the door checks the document: staff `confirm` or `reject` it. A rejection
follows the network's rule: `general` (the person keeps the visit in the general queue)
or `refuse` (the booking is cancelled, the ticket closed, the reason told).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from kezek.core.errors import InvalidState, KezekError
from kezek.core.policy import Privilege


class ClaimStatus(StrEnum):
    """Where a privilege claim stands (null on a visit without a claim)."""

    VERIFIED = "verified"    # the registry says so, at booking
    CLAIMED = "claimed"      # nobody could say yet: the door checks the document
    CONFIRMED = "confirmed"  # door staff saw the document
    REJECTED = "rejected"    # door staff did not: the network's rule applied


class ClaimSource(StrEnum):
    """Why a claim has the status it has at booking: audited and counted."""

    REGISTRY = "registry"                  # the registry answered the field
    NO_REGISTRY = "no_registry"            # Kezek's own table never knows privilege
    REGISTRY_SILENT = "registry_silent"    # the registry answered without the field
    REGISTRY_UNKNOWN = "registry_unknown"  # the registry does not know the IIN
    REGISTRY_DOWN = "registry_unavailable"  # the registry could not answer


class RejectedRule(StrEnum):
    """What a claim rejected at the door does to the visit."""

    GENERAL = "general"  # the person is served in the general queue
    REFUSE = "refuse"    # the booking is cancelled / the ticket closed, the reason told


class Decision(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"


class PrivilegeNotConfirmed(KezekError):
    """The registry knows the person and the claimed privilege is not theirs. The message
    says no more than that (not which privilege the registry holds, if any)."""

    code = "privilege_not_confirmed"
    status = 422


@dataclass(frozen=True, slots=True)
class PrivilegePolicy:
    """The network's rule for privilege claims (one per network, in the catalog)."""

    rejected: RejectedRule = RejectedRule.GENERAL

    def merged(self, overrides: Mapping[str, Any] | None) -> PrivilegePolicy:
        """This policy with fields replaced; unknown fields and values are refused."""
        if not overrides:
            return self
        unknown = set(overrides) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown privilege setting: {', '.join(sorted(unknown))}")
        values = dict(overrides)
        if "rejected" in values:
            try:
                values["rejected"] = RejectedRule(values["rejected"])
            except ValueError as exc:
                raise ValueError("rejected must be general or refuse") from exc
        return dataclasses.replace(self, **values)

    def to_dict(self) -> dict[str, Any]:
        return {"rejected": self.rejected.value}


@dataclass(frozen=True, slots=True)
class Verdict:
    """A claim's status at booking and why; `status` is None without a claim."""

    status: ClaimStatus | None
    source: ClaimSource | None


NO_CLAIM = Verdict(None, None)


def judge(claim: Privilege | None, source: ClaimSource,
          registry_says: Privilege | None = None) -> Verdict:
    """The status of a claim, given what the directory could say.

    Only `ClaimSource.REGISTRY` carries an answer (`registry_says`, None meaning "no
    privilege"): a match is verified, anything else refused. Every other source leaves
    the claim to the door.
    """
    if claim is None:
        return NO_CLAIM
    if source is ClaimSource.REGISTRY:
        if registry_says is not claim:
            raise PrivilegeNotConfirmed()
        return Verdict(ClaimStatus.VERIFIED, source)
    return Verdict(ClaimStatus.CLAIMED, source)


def decided(current: str | None, decision: Decision) -> ClaimStatus:
    """The status after door staff decide; only a claim still open can be decided."""
    if current != ClaimStatus.CLAIMED.value:
        raise InvalidState(reason="no_open_claim")
    return ClaimStatus.CONFIRMED if decision is Decision.CONFIRM else ClaimStatus.REJECTED
