"""A booking as a calendar file (.ics): "Add to calendar" on its pages.

The file holds the centre's name and address, the service, the start and end in the
centre's own time zone (with its VTIMEZONE, so a phone set to another zone still shows
the right hour), the booking code and a reminder two hours before; never the IIN or a
phone number. Its address names only the booking code the pages already show, and it is
served only to the browser whose session holds the booking (made here, moved here, or
found here by code and IIN); anyone else gets "not found", as for the code page.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from icalendar import Alarm, Calendar, Event
from sqlalchemy import select

from kezek.api.deps import tx
from kezek.app.registry import get as get_service
from kezek.core.booking import display_code, normalize_code
from kezek.core.registry import Service
from kezek.display import address_in
from kezek.store.models import BookingRow, CenterRow, utcnow
from kezek.web.book import owned_here
from kezek.web.i18n_ui import ui
from kezek.web.render import lang_of, message_page, not_found_page
from kezek.web.views import name_in

router = APIRouter(include_in_schema=False)
REMINDER = dt.timedelta(hours=2)
UID_DOMAIN = "kezek.kz"


def booking_ics(row: BookingRow, centre: CenterRow, service: Service, lang: str,
                now: dt.datetime) -> bytes:
    """The calendar file of one booking, in the page language.

    The UID is the booking code, which a move on the web keeps (ADR 0031): a calendar
    that imports the file again after a move updates the event instead of adding one;
    SEQUENCE grows with the row's creation time (a move makes a new row) for the same
    reason."""
    zone = ZoneInfo(centre.timezone)
    code = display_code(row.code)
    name, address = name_in(centre, lang), address_in(centre, lang)
    service_name = service.names.get(lang)
    event = Event()
    event.add("uid", f"booking-{row.code}@{UID_DOMAIN}")
    event.add("dtstamp", now.astimezone(dt.UTC))
    made = row.created_at
    event.add("sequence", int((made if made.tzinfo else made.replace(tzinfo=dt.UTC))
                              .timestamp()))
    event.add("dtstart", row.start_utc.astimezone(zone))
    event.add("dtend", row.end_utc.astimezone(zone))
    event.add("summary", f"{service_name} — {name}")
    event.add("location", f"{name}, {address}" if address else name)
    event.add("description", "\n".join((
        ui("ics_code", lang, code=code), ui("code_note", lang), ui("bring_id", lang),
        ui("arrive_note", lang))))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", ui("ics_alarm", lang, service=service_name))
    alarm.add("trigger", -REMINDER)
    event.add_component(alarm)
    cal = Calendar()
    cal.add("prodid", "-//Kezek//Booking//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add_component(event)
    cal.add_missing_timezones()
    out: bytes = cal.to_ical()
    return out


@router.get("/bookings/{code}/calendar.ics")
async def calendar(request: Request, code: str) -> Response:
    lang, code = lang_of(request), normalize_code(code)
    if not owned_here(request, code):
        return message_page(request, 404, "not_found_title", ui("done_unknown", lang),
                            ("/bookings/find", ui("find_title", lang)))
    async with tx(request) as s:
        row = await s.scalar(select(BookingRow).where(BookingRow.code == code))
        centre = await s.get(CenterRow, row.center_id) if row is not None else None
        if row is None or centre is None or row.status != "active":
            return not_found_page(request)
        service = await get_service(s, row.service_code)
    return Response(booking_ics(row, centre, service, lang, utcnow()),
                    media_type="text/calendar; charset=utf-8", headers={
                        "Content-Disposition": f'attachment; filename="kezek-{code}.ics"',
                        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                        "Referrer-Policy": "same-origin"})
