"""Rendering: the Jinja2 environment, the page language, and the headers every page gets.

Language: `?lang=kk|ru|en` switches and is remembered in the `kezek_lang` cookie;
without either, the browser's Accept-Language decides, then the deployment default.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from kezek.i18n import error_message, negotiate
from kezek.settings import Settings
from kezek.web.i18n_ui import LANG_NAMES, LANGS, ui
from kezek.web.security import CSRF_FIELD, csrf_token, set_csrf_cookie

HERE = Path(__file__).parent
LANG_COOKIE = "kezek_lang"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")

env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(("html",)),
    trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined,
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One line of the error summary: what is wrong and where on the page to fix it."""

    text: str
    href: str
    field: str | None = None


def settings_of(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


def lang_of(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in LANGS:
        return remembered
    return negotiate(request.headers.get("accept-language"), settings_of(request).default_lang)


def problem_of(exc: Any, lang: str, href: str, field: str | None = None) -> Problem:
    """A domain error (KezekError) as an error-summary line in the page language."""
    return Problem(error_message(exc.code, lang, exc.params), href, field)


def with_query(path: str, **params: str | None) -> str:
    """`path` with the given query parameters set (None drops one)."""
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for key, value in params.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = urlencode(query)
    return parts.path + (f"?{encoded}" if encoded else "")


def _here(request: Request) -> str:
    if request.method == "GET" and request.url.query:
        return f"{request.url.path}?{request.url.query}"
    return request.url.path


def render(request: Request, template: str, *, status: int = 200, here: str | None = None,
           problems: Iterable[Problem] = (), private: bool = False, **ctx: Any) -> HTMLResponse:
    """Renders a page in the request's language, with CSRF cookie and safe headers.

    `here` is the GET address the language links point to; pages rendered for a POST
    pass the form page, so switching language never resends (or reveals) what was typed.
    """
    settings = settings_of(request)
    lang = lang_of(request)
    problems = list(problems)
    base = here or _here(request)

    def t(key: str, **params: Any) -> str:
        return ui(key, lang, **params)

    links = [{"lang": code, "name": LANG_NAMES[code], "current": code == lang,
              "url": with_query(base, lang=code)} for code in LANGS]
    portal = settings.portal_url
    # The IIN as typed, only in a refusal answering its own POST (no-store below), so the
    # person corrects it rather than retypes it; see checked_form. A success never shows it.
    typed_iin = (getattr(request.state, "typed_iin", "")
                 if request.method == "POST" and problems else "")
    ctx.setdefault("iin_typed", typed_iin if isinstance(typed_iin, str) else "")
    html = env.get_template(template).render(
        lang=lang, t=t, problems=problems,
        field_errors={p.field: p.text for p in problems if p.field},
        csrf_field=CSRF_FIELD, csrf_token=csrf_token(request), lang_links=links,
        portal_url=portal, portal_host=urlsplit(portal).netloc or portal, **ctx)
    response = HTMLResponse(html, status_code=status)
    asked = request.query_params.get("lang")
    if asked in LANGS:
        response.set_cookie(LANG_COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax",
                            secure=settings.secure_cookies, httponly=True, path="/")
    set_csrf_cookie(request, response, settings.secure_cookies)
    response.headers["Cache-Control"] = (
        "no-store" if private or request.method != "GET" else "no-cache")
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Language"] = lang
    return response


def message_page(request: Request, status: int, title_key: str, body: str,
                 link: tuple[str, str] | None = None) -> HTMLResponse:
    """A plain page that says what happened and where to go next."""
    lang = lang_of(request)
    href, label = link or ("/", ui("start_over", lang))
    return render(request, "message.html", status=status, title=ui(title_key, lang),
                  body=body, link_href=href, link_label=label, here=request.url.path)


def error_page(request: Request, exc: Any) -> HTMLResponse:
    """Any other domain error (a KezekError) as a page with its message and status."""
    lang = lang_of(request)
    return message_page(request, exc.status, "error_summary",
                        error_message(exc.code, lang, exc.params))


def not_found_page(request: Request) -> HTMLResponse:
    lang = lang_of(request)
    return message_page(request, 404, "not_found_title", ui("not_found_body", lang))


def csrf_page(request: Request) -> HTMLResponse:
    """The answer to a POST without a matching CSRF token: nothing was done."""
    lang = lang_of(request)
    path = request.url.path
    if path == "/bookings/cancel":
        path = "/bookings/find"
    elif path.endswith("/confirm"):
        path = path.removesuffix("/confirm")
    return message_page(request, 403, "csrf_title", ui("csrf_body", lang),
                        (path, ui("continue", lang)))
