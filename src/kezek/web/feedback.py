"""The feedback page a served visit's SMS or e-mail links to: /feedback/{token}.

Five choices and an optional comment, a plain form (no JavaScript) with the CSRF
token of every citizen form. The token names the visit and proves the link came from
Kezek (app/feedback.py); a visit rated once shows its rating and keeps it: a second
answer is refused with 409 and says so.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kezek.api.deps import tx
from kezek.app import feedback
from kezek.core.errors import KezekError, ValidationFailed
from kezek.display import day_label
from kezek.store.models import CenterRow, TicketRow
from kezek.web.i18n_ui import ui
from kezek.web.render import Problem, lang_of, message_page, render, settings_of
from kezek.web.security import checked_form, field

router = APIRouter(include_in_schema=False)
RATINGS = ("5", "4", "3", "2", "1")


def _unknown(request: Request) -> Response:
    return message_page(request, 404, "not_found_title", ui("fb_unknown", lang_of(request)))


def _already(request: Request, rating: int, status: int) -> Response:
    lang = lang_of(request)
    return message_page(request, status, "fb_already_title",
                        ui("fb_already", lang, rating=rating))


async def _visit(request: Request, token: str) -> tuple[TicketRow, str] | None:
    """The served visit the token names and its centre's name in the page's language."""
    ticket_id = feedback.ticket_of(token, settings_of(request).secret_key)
    if ticket_id is None:
        return None
    lang = lang_of(request)
    try:
        async with tx(request) as s:
            ticket = await feedback.served_ticket(s, ticket_id)
            centre = await s.get(CenterRow, ticket.center_id)
    except KezekError:
        return None
    assert centre is not None
    return ticket, getattr(centre, f"name_{lang}") or centre.name_ru


def _form(request: Request, token: str, ticket: TicketRow, centre: str, *, status: int = 200,
          problems: list[Problem] | None = None, rating: str = "", comment: str = ""
          ) -> Response:
    lang = lang_of(request)
    return render(request, "feedback.html", status=status, problems=problems or [],
                  here=f"/feedback/{token}", private=True, action=f"/feedback/{token}",
                  visit=ui("fb_visit", lang, centre=centre, label=ticket.label,
                           day=day_label(ticket.day, lang)),
                  ratings=RATINGS, rating=rating, comment=comment,
                  limit=feedback.COMMENT_MAX)


@router.get("/feedback/{token}", response_class=HTMLResponse)
async def page(request: Request, token: str) -> Response:
    found = await _visit(request, token)
    if found is None:
        return _unknown(request)
    ticket, centre = found
    async with tx(request) as s:
        earlier = await feedback.given(s, ticket.id)
    if earlier is not None:
        return _already(request, earlier.rating, 200)
    return _form(request, token, ticket, centre)


@router.post("/feedback/{token}", response_class=HTMLResponse)
async def answer(request: Request, token: str) -> Response:
    form = await checked_form(request)
    found = await _visit(request, token)
    if found is None:
        return _unknown(request)
    ticket, centre = found
    lang = lang_of(request)
    rating = field(form, "rating", 4)
    comment = field(form, "comment", feedback.COMMENT_MAX + 100)
    try:
        async with tx(request) as s:
            done = await feedback.record(s, ticket.id, rating, comment, feedback.WEB)
    except ValidationFailed as exc:
        problem = (Problem(ui("fb_too_long", lang), "#comment", "comment")
                   if exc.params.get("field") == "comment"
                   else Problem(ui("fb_pick", lang), "#rating", "rating"))
        return _form(request, token, ticket, centre, status=422, problems=[problem],
                     rating=rating, comment=comment)
    if not done.fresh:
        return _already(request, done.rating, 409)
    return message_page(request, 200, "fb_thanks_title",
                        ui("fb_thanks", lang, rating=done.rating), ("/", ui("start_over",
                                                                            lang)))
