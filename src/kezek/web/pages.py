"""The citizen pages' router: start, search, service, booking, and finding a booking.

Every page works without JavaScript; every POST form carries a CSRF token (see
`kezek.web.security`) and a POST without a matching one gets 403 and changes nothing.
"""

from __future__ import annotations

from fastapi import APIRouter

from kezek.web import book, citizen, lookup, staff

router = APIRouter(include_in_schema=False)
router.include_router(citizen.router)
router.include_router(book.router)
router.include_router(lookup.router)
router.include_router(staff.router)
