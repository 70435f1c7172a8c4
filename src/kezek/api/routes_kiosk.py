"""The kiosk's one API call: check a booked person in at the kiosk's own centre.

The caller is an enrolled kiosk device (api/kiosk_auth.py), never a staff member: the
centre comes from the device, not the path, so a kiosk cannot act for another centre,
and a staff session on the same screen neither helps nor is needed. Each device is
throttled like a busy door (`kiosk:device`), and its address too (`kiosk:addr`), so a
script at the screen cannot guess codes and IINs at leisure.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from kezek.api.client import throttle_client, throttle_of
from kezek.api.deps import iin_key, tx
from kezek.api.kiosk_auth import require_kiosk
from kezek.api.routes_floor import ArrivalOut, TicketOut
from kezek.api.schemas import EXAMPLE_IIN, Strict, example
from kezek.app import admission, arrivals
from kezek.store.models import TicketRow

# Outside the OpenAPI document, as the pages are: the call belongs to the kiosk page,
# and its credential is that page's device cookie, which no API client holds (ADR 0035).
router = APIRouter(prefix="/api/v1/kiosk", tags=["floor"], include_in_schema=False)


class KioskArrivalIn(Strict):
    model_config = example(iin=EXAMPLE_IIN, code="K7M2PQ9X")
    code: str = Field(min_length=1, max_length=16, description="booking code")
    iin: str = Field(min_length=1, max_length=40, description="spaces and dashes allowed")


@router.post("/arrivals", response_model=ArrivalOut)
async def kiosk_arrive(request: Request, body: KioskArrivalIn) -> JSONResponse:
    """Checks a person in with `{code, iin}` at the enrolled kiosk's centre.

    201 with a ticket; 200 with an offer (late at a booking-only centre: the kiosk sends
    the person to the door staff); 401 when the device is not enrolled or was revoked.
    """
    async with request.app.state.sessionmaker() as s:
        device = await require_kiosk(request, s)
    await throttle_of(request).hit("kiosk:device", device.id)
    await throttle_client(request, "kiosk")
    async with tx(request) as s:
        result = await arrivals.check_in(s, device.center_id, body.code, body.iin,
                                         iin_key(request), device.actor)
        place = (await admission.place_of(s, result)
                 if isinstance(result, TicketRow) else None)
    if isinstance(result, arrivals.Offer):
        return JSONResponse({"ticket": None, "offer": {"reason": result.reason,
                                                       "service": result.service,
                                                       "slots": []}}, status_code=200)
    out = ArrivalOut(ticket=TicketOut.of(result), outside_place=place)
    return JSONResponse(out.model_dump(mode="json"), status_code=201)
