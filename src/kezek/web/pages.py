"""The pages' router: the citizen pages, staff sign-in, and the floor consoles and board.

Every citizen page works without JavaScript; every POST form carries a CSRF token (see
`kezek.web.security`) and a POST without a matching one gets 403 and changes nothing.
The floor consoles are script-driven staff tools that call the JSON API (see
`kezek.web.floor_pages`).
"""

from __future__ import annotations

from fastapi import APIRouter

from kezek.web import (
    abuse_pages,
    analytics_pages,
    ballot,
    book,
    calendar_file,
    callcentre,
    citizen,
    feedback,
    floor_pages,
    identity,
    kiosk,
    kiosk_staff,
    lookup,
    move,
    situations,
    staff,
    waitlist,
)

router = APIRouter(include_in_schema=False)
router.include_router(citizen.router)
router.include_router(situations.router)
router.include_router(book.router)
router.include_router(lookup.router)
router.include_router(move.router)
router.include_router(feedback.router)
router.include_router(calendar_file.router)
router.include_router(identity.router)
router.include_router(waitlist.router)
router.include_router(ballot.router)
router.include_router(staff.router)
router.include_router(floor_pages.router)
router.include_router(kiosk.router)
router.include_router(kiosk_staff.router)
router.include_router(callcentre.router)
router.include_router(analytics_pages.router)
router.include_router(abuse_pages.router)
