"""Proof of identity, the pure part: the network's identity policy, mobile numbers and
one-time codes.

An IIN is printed on documents and receipts, so knowing it proves nothing. What proves
a person is a one-time code sent to a mobile number registered to their IIN (the
state's "registry of mobile citizens" model). Everything here is a plain rule; which
directory answers and which sender delivers is decided at the edge.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class IdentityMode(StrEnum):
    """`otp`: every personal booking action needs a code sent to the person's number.
    `none`: the IIN alone is taken (the pilot's booking-only format, where staff check the
    document at the door); logged as a warning at start-up."""

    OTP = "otp"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class IdentityPolicy:
    """The network's identity rules (one per network, kept beside the booking policy)."""

    mode: IdentityMode = IdentityMode.OTP
    # A network without a state registry may let a number proven by a code bind to an IIN
    # that has no number yet; such a binding is changed only in person at a centre.
    first_use_binding: bool = True
    max_iins_per_phone: int = 3
    code_ttl_seconds: int = 300
    code_attempts: int = 5
    # How long a proven identity lasts (the web session, the API token).
    proof_minutes: int = 30

    def merged(self, overrides: Mapping[str, Any] | None) -> IdentityPolicy:
        """This policy with fields replaced from a mapping; unknown fields are refused."""
        if not overrides:
            return self
        names = {f.name for f in dataclasses.fields(self)}
        unknown = set(overrides) - names
        if unknown:
            raise ValueError(f"unknown identity setting: {', '.join(sorted(unknown))}")
        values = dict(overrides)
        if "mode" in values:
            try:
                values["mode"] = IdentityMode(values["mode"])
            except ValueError as exc:
                raise ValueError("mode must be otp or none") from exc
        for name in ("first_use_binding",):
            if name in values and not isinstance(values[name], bool):
                raise ValueError(f"{name} must be true or false")
        for name, low, high in (("max_iins_per_phone", 1, 10), ("code_ttl_seconds", 60, 900),
                                ("code_attempts", 1, 10), ("proof_minutes", 5, 240)):
            if name in values:
                value = values[name]
                if not isinstance(value, int) or isinstance(value, bool) or \
                        not low <= value <= high:
                    raise ValueError(f"{name} must be a whole number from {low} to {high}")
        return dataclasses.replace(self, **values)

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["mode"] = self.mode.value
        return out


# Kazakhstan's mobile numbers: +7 7XX XXX XX XX (country code 7, mobile codes 7xx).
_PHONE = re.compile(r"^7(7\d{9})$")
_SEPARATORS = re.compile(r"[\s\-().]")


def normalize_phone(raw: str) -> str | None:
    """`+77011234567` for any usual way of writing a Kazakh mobile number, else None.

    Accepts `+7 701 123 45 67`, `8 (701) 123-45-67`, `87011234567`, `7011234567`.
    """
    text = _SEPARATORS.sub("", raw.strip())
    if text.startswith("+"):
        text = text[1:]
    elif len(text) == 11 and text.startswith("8"):
        text = "7" + text[1:]
    elif len(text) == 10:
        text = "7" + text
    if not text.isascii() or not text.isdigit():
        return None
    match = _PHONE.match(text)
    return f"+7{match.group(1)}" if match else None


def mask_phone(phone: str) -> str:
    """`+7 701 *** ** 67`: enough for a person to recognise their own number."""
    digits = phone.lstrip("+")
    return f"+{digits[0]} {digits[1:4]} *** ** {digits[-2:]}"


def phone_digest(phone: str, key: bytes) -> str:
    """Keyed hash of a normalised number, as IINs are hashed: matchable, not reversible."""
    return hmac.new(key, b"phone\x00" + phone.encode("ascii"), hashlib.sha256).hexdigest()


CODE_DIGITS = 6


def new_code() -> str:
    """Six random digits (from the OS's CSPRNG)."""
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def code_digest(challenge_id: str, code: str, key: bytes) -> str:
    """A code is stored only as an HMAC bound to its challenge: a leaked table row gives
    neither the code nor a way to reuse it for another challenge."""
    return hmac.new(key, f"otp\x00{challenge_id}\x00{code}".encode(), hashlib.sha256).hexdigest()


def code_matches(challenge_id: str, code: str, digest: str, key: bytes) -> bool:
    cleaned = code.strip().replace(" ", "")
    if len(cleaned) != CODE_DIGITS or not cleaned.isascii() or not cleaned.isdigit():
        return False
    return hmac.compare_digest(code_digest(challenge_id, cleaned, key), digest)
