"""Domain errors: each failure has a stable machine code and the HTTP status it maps to.

The core knows nothing of HTTP; the status is carried as a plain number so that the one
error handler at the edge needs no table of its own.  Messages live in `kezek.i18n`.
"""

from __future__ import annotations

from typing import Any


class KezekError(Exception):
    """Base for every error a user can cause; `code` keys the translated message."""

    code = "error"
    status = 400

    def __init__(self, **params: Any) -> None:
        super().__init__(self.code)
        self.params: dict[str, Any] = params


class InvalidIin(KezekError):
    code = "invalid_iin"
    status = 422


class NotFound(KezekError):
    code = "not_found"
    status = 404


class SlotFull(KezekError):
    code = "slot_full"
    status = 409


class AlreadyBooked(KezekError):
    code = "already_booked"
    status = 409


class QuotaExceeded(KezekError):
    code = "quota_exceeded"
    status = 409


class ServiceNotOffered(KezekError):
    code = "service_not_offered"
    status = 422


class OutsideSchedule(KezekError):
    code = "outside_schedule"
    status = 422


class InvalidState(KezekError):
    code = "invalid_state"
    status = 409


class ValidationFailed(KezekError):
    code = "validation_error"
    status = 422


class Conflict(KezekError):
    code = "conflict"
    status = 409


class Unauthorized(KezekError):
    code = "unauthorized"
    status = 401


class Forbidden(KezekError):
    code = "forbidden"
    status = 403


class RateLimited(KezekError):
    """Too many requests of one kind from one client, person, number or chat; the client
    may try again after `retry_after` seconds (sent as the Retry-After header)."""

    code = "rate_limited"
    status = 429

    def __init__(self, retry_after: int = 60, **params: object) -> None:
        super().__init__(retry_after=max(1, int(retry_after)), **params)

    @property
    def retry_after(self) -> int:
        return int(self.params["retry_after"])


class IdentityRequired(KezekError):
    """A personal booking action without proof that the requester controls the IIN."""

    code = "identity_required"
    status = 401


class IdentityMismatch(KezekError):
    """A proof of identity for another IIN than the one the request names."""

    code = "identity_mismatch"
    status = 403


class PhoneRequired(KezekError):
    """The IIN has no registered number and the network binds one on first use: the
    person must give their mobile number, to which the code is sent."""

    code = "phone_required"
    status = 422


class NoPhone(KezekError):
    """The IIN has no registered number and the network does not bind one on first use."""

    code = "no_phone"
    status = 422


class InvalidPhone(KezekError):
    code = "invalid_phone"
    status = 422


class PhoneTaken(KezekError):
    """The number is already registered to as many IINs as the network allows."""

    code = "phone_taken"
    status = 409


class CodeInvalid(KezekError):
    code = "code_invalid"
    status = 422


class CodeExpired(KezekError):
    """The code's challenge is unknown, used, expired or out of tries: ask for a new one."""

    code = "code_expired"
    status = 422


class IdentityUnavailable(KezekError):
    """The identity directory or the code sender cannot be reached now."""

    code = "identity_unavailable"
    status = 503


class IdentityCheckRequired(KezekError):
    """A call-centre action on a caller's bookings without the operator's record that
    the caller's identity was checked."""

    code = "identity_check_required"
    status = 422
