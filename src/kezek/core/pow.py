"""The proof-of-work rule: how much work an anonymous booking step costs a client.

A proof of work (ALTCHA) makes every anonymous step cost the client CPU time; what
it must cost depends on how often that client (its address, and its network prefix)
took such a step lately. A citizen asks for a code once or twice: those steps are
free or nearly so. A client that repeats pays twice as much for every further step
in the window, up to a ceiling that a browser still solves in seconds.

`max_number` is the challenge's size: the server hides a counter below it and the
client searches from zero, so a solve costs `max_number / 2` hashes on average.
Pure: the counts come from the edge (kezek.app.challenge).
"""

from __future__ import annotations

from dataclasses import dataclass

from kezek.core.errors import KezekError


@dataclass(frozen=True, slots=True)
class PowRule:
    """The difficulty rule; one per deployment (see ADR 0012 for the numbers)."""

    # Steps a client may take in the window without any challenge (the API); the web
    # pages always solve one, at `floor` size when the client is under these. Generous
    # per address: many people share one carrier address (CGNAT) or a centre's Wi-Fi.
    free_per_address: int = 10
    free_per_network: int = 100
    window_seconds: int = 600
    # The first step over the allowance costs `base`, each further one twice the last.
    # The ceiling is what a browser solves in about 10 s (bench/altcha_cost.py: the
    # widget's WebCrypto worker is ~15 times slower than a hashlib loop; past 90 s it
    # gives up and the form takes the plain rule).
    base: int = 20_000
    ceiling: int = 400_000
    floor: int = 1_000
    # Past its allowance, this many of a network's steps count as one of an address.
    network_share: int = 10
    # How long a challenge may be solved and spent (seconds).
    ttl_seconds: int = 300

    def over(self, address_steps: int, network_steps: int) -> int:
        """How many steps past its free allowance the client is (negative: under)."""
        by_address = address_steps - self.free_per_address
        by_network = (network_steps - self.free_per_network) // self.network_share
        return max(by_address, by_network)

    def max_number(self, address_steps: int, network_steps: int) -> int:
        """The size of the challenge the client's next step must solve.

        `floor` while the client is within its allowance; then `base`, doubling with
        every further step in the window, never above `ceiling`.
        """
        over = self.over(address_steps, network_steps)
        if over < 0:
            return self.floor
        return min(self.ceiling, self.base << min(over, 40))

    def required(self, address_steps: int, network_steps: int) -> int:
        """The smallest challenge accepted for the next step: 0 when the step is free."""
        if self.over(address_steps, network_steps) < 0:
            return 0
        return self.max_number(address_steps, network_steps)


DEFAULT_RULE = PowRule()


class ChallengeRequired(KezekError):
    """The client's rate is above the free allowance and the step carried no solved
    challenge; the answer carries one to solve (`challenge`)."""

    code = "challenge_required"
    status = 428


class ChallengeInvalid(KezekError):
    """A payload that is malformed, forged, tampered with, wrongly solved, or smaller
    than the client's rate now requires."""

    code = "challenge_invalid"
    status = 403


class ChallengeExpired(KezekError):
    code = "challenge_expired"
    status = 403


class ChallengeUsed(KezekError):
    """A solved challenge works once, on every worker."""

    code = "challenge_used"
    status = 403
