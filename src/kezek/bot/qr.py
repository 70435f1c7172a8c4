"""The QR code a person shows at the door: the booking code, nothing personal.

The code alone is what the door console and the kiosk look a booking up by; it holds
no IIN and no name, so a photo of the screen reveals nothing but the code itself.
"""

from __future__ import annotations

import io

import segno


def qr_png(payload: str, scale: int = 10) -> bytes:
    """A PNG large enough for a door scanner from a phone screen (quiet zone included)."""
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
