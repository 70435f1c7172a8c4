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
