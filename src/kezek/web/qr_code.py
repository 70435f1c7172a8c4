"""The QR code of a booking on its pages: the booking code, as inline SVG.

The code alone is what the door console and the kiosk look a booking up by (the bot
sends the same payload as a PNG, `kezek.bot.qr`), so the picture reveals nothing the
code printed beside it does not. Inline SVG needs no second request and no `data:`
image; segno draws it with presentation attributes only (no `style`), which the pages'
Content-Security-Policy (`style-src 'self'`) allows. Its alternative text names the code
and says what it is for: role="img" with aria-label, and a <title> for tooltips.
"""

from __future__ import annotations

from typing import Any

import segno
from markupsafe import Markup, escape

from kezek.web.i18n_ui import ui

SCALE = 4  # user units a module; the stylesheet sizes the picture (.qr-image)


def qr_svg(code: str, alt: str) -> Markup:
    """The SVG element for `code` (the stored code, as the door reads it)."""
    svg = segno.make(code, error="m", micro=False).svg_inline(
        scale=SCALE, border=4, dark="#0b0c0c", light="#ffffff", omitsize=True,
        svgclass="qr-image", lineclass=None, title=alt)
    # segno escapes the title; the label is escaped here (svg_inline returns plain str).
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" ', 1))


def visit_aids(view: dict[str, Any], lang: str) -> dict[str, Any]:
    """What an active booking's page adds to its view: the QR code and the calendar link
    (`kezek.web.calendar_file`); nothing for a booking that is no longer active."""
    if not view.get("active"):
        return {}
    alt = ui("qr_alt", lang, code=view["code_display"])
    return {"qr": qr_svg(view["code"], alt),
            "calendar_url": f"/bookings/{view['code']}/calendar.ics"}
