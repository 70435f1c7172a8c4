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


class UndoExpired(KezekError):
    """A step can no longer be taken back: its `minutes` for undoing have passed."""

    code = "undo_expired"
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
    """Too many attempts: come back after `retry_after` seconds.

    General on purpose: sign-in throttling raises it, and so will any other throttle;
    the HTTP edge turns `retry_after` into the `Retry-After` header.
    """

    code = "rate_limited"
    status = 429

    def __init__(self, retry_after: int, **params: Any) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(retry_after=self.retry_after, **params)


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


class ContactNotRegistered(KezekError):
    """A shared Telegram contact whose number is not one registered to the IIN."""

    code = "contact_not_registered"
    status = 403


class IdentityCheckRequired(KezekError):
    """A call-centre action on a caller's bookings without the operator's record that
    the caller's identity was checked."""

    code = "identity_check_required"
    status = 422


class AccountLocked(KezekError):
    """Too many failed sign-ins in a row: only an admin can lift this (no Retry-After).

    423 rather than 429, since waiting does not help."""

    code = "locked"
    status = 423


class WeakPassword(ValidationFailed):
    """A new password that is too short, too common or too close to the user's name;
    `reason` keys the translated explanation (`password.<reason>`)."""

    code = "weak_password"


class OtpRequired(KezekError):
    """The account has a second factor and the sign-in gave no code."""

    code = "otp_required"
    status = 401


class OtpInvalid(KezekError):
    """A wrong, stale or already used one-time code."""

    code = "otp_invalid"
    status = 401


class SecondFactorRequired(KezekError):
    """In production an admin must have a second factor before signing in."""

    code = "totp_enrolment_required"
    status = 403


class PasswordChangeRequired(KezekError):
    """An admin reset this password: the user must choose their own before anything."""

    code = "password_change_required"
    status = 403
