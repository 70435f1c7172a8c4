"""The 1414 call-centre console: one page for a whole call, without a reload.

The page is a shell for staff with role call_centre (or admin); its script
(static/callcentre.js) calls `/api/v1/callcentre/...` and `/api/v1/video/...` on the
session cookie. The caller's IIN is typed once, sent only in POST bodies, kept in the
script's memory for the call and shown masked; the forms post (never GET) to this
page, so even without the script the number can never land in a URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kezek.api.deps import actor_of, tx
from kezek.app import video
from kezek.app.actor import Role
from kezek.display import day_label
from kezek.store.models import utcnow
from kezek.web.floor_data import calendar
from kezek.web.i18n_callcentre import cc, strings
from kezek.web.i18n_ui import ui
from kezek.web.render import env, lang_of, message_page, render, settings_of

router = APIRouter(include_in_schema=False)
ROLES = (Role.CALL_CENTRE, Role.ADMIN)
PATH = "/staff/callcentre"
PRIVILEGES = ("pensioner", "large_family", "disability")
# The days the console writes out, around today: bookings and waitlist entries looked up
# (a week back and more), free times, ballots and the booking horizon ahead.
DAYS_BACK, DAYS_AHEAD = 60, 180
# Video hours and consultations are chosen from these days and times: selects written by
# the server, since the browser's date and time fields wrote "12/03/2026" and "01:00 PM"
# on a Kazakh or Russian console (its locale data is English only).
VIDEO_DAYS = 60
TIMES = [f"{m // 60:02d}:{m % 60:02d}" for m in range(7 * 60, 21 * 60 + 1, 15)]

env.globals["cc"] = cc


def day_labels(today: dt.date, lang: str) -> dict[str, str]:
    """Each day near today as the language writes it ("3 желтоқсан, бс", "Чт, 3 декабря"),
    by Babel on the server: a browser without Kazakh dates wrote "M12 3, Thu" (issue 13).
    """
    return {d.isoformat(): day_label(d, lang, short=True)
            for d in (today + dt.timedelta(days=n) for n in range(-DAYS_BACK, DAYS_AHEAD + 1))}


def _offset(at: dt.datetime) -> str:
    """"+05:00" for the video zone at this moment, to append to a local time typed in."""
    raw = video.local(at).strftime("%z")
    return f"{raw[:3]}:{raw[3:]}"


@router.get(PATH)
async def console(request: Request) -> Response:
    lang = lang_of(request)
    async with tx(request) as s:
        actor = await actor_of(request, s)
    if not actor.is_staff:
        return RedirectResponse(f"/staff/login?next={quote(PATH, safe='/')}", status_code=303)
    if actor.role not in ROLES:
        return message_page(request, 403, "forbidden_title", ui("forbidden_body", lang),
                            ("/staff", ui("staff_home", lang)))
    now = utcnow()
    today = video.local(now).date()
    portal = settings_of(request).portal_url
    data: dict[str, Any] = {
        "lang": lang, "timezone": video.ZONE, "offset": _offset(now),
        "today": today.isoformat(), "days": day_labels(today, lang),
        "portal": {"url": portal, "host": urlsplit(portal).netloc or portal},
        "weekdays": calendar(lang)["weekdays"], "months": calendar(lang)["months"],
        "t": strings(lang),
    }
    video_days = [(d.isoformat(), data["days"][d.isoformat()])
                  for d in (today + dt.timedelta(days=n) for n in range(VIDEO_DAYS))]
    return render(request, "callcentre.html", private=True, data=data, actor=actor,
                  privileges=PRIVILEGES, slot_minutes=video.SLOT_MINUTES,
                  default_slot=20, today=data["today"], video_days=video_days, times=TIMES)


@router.post(PATH)
async def without_script(request: Request) -> Response:
    """The console's forms post here only when the script did not run: nothing is
    done, and whatever was typed is neither kept nor echoed."""
    lang = lang_of(request)
    return message_page(request, 400, "staff_brand", ui("js_needed", lang),
                        (PATH, ui("continue", lang)))
