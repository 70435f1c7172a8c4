"""Bookings: their life cycle and their codes."""

from __future__ import annotations

import secrets
from enum import StrEnum

from kezek.core.errors import InvalidState

# No 0/O, 1/I/L: a code is read aloud on the phone and typed on a kiosk.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class BookingStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"
    SERVED = "served"
    NO_SHOW = "no_show"
    EXPIRED = "expired"
    # Left for another time by a move: not a cancellation (the person still comes),
    # so staff and statistics must not read it as one.
    MOVED = "moved"


TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.ACTIVE: frozenset({
        BookingStatus.CANCELLED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW,
        BookingStatus.EXPIRED, BookingStatus.MOVED,
    }),
    BookingStatus.CHECKED_IN: frozenset({BookingStatus.SERVED, BookingStatus.NO_SHOW}),
    BookingStatus.CANCELLED: frozenset(),
    BookingStatus.SERVED: frozenset(),
    BookingStatus.NO_SHOW: frozenset(),
    BookingStatus.EXPIRED: frozenset(),
    BookingStatus.MOVED: frozenset(),
}

# Statuses that hold a seat at a window: the unique index covers exactly these.
HOLDING = (BookingStatus.ACTIVE, BookingStatus.CHECKED_IN)


def transition(current: BookingStatus, target: BookingStatus) -> BookingStatus:
    if target not in TRANSITIONS[current]:
        raise InvalidState(current=current.value, target=target.value)
    return target


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(raw: str) -> str:
    """Accepts a code as people type it: any case, with dashes or spaces."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code
