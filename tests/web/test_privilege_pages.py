"""The booking pages with a state registry that knows privilege (loopback): a claim the
registry does not bear out is refused with the error summary in the page's language and
nothing booked; a matching claim books as `verified`. Plain forms, no script."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kezek.api.app import create_app
from kezek.store.db import make_engine, make_sessionmaker
from kezek.store.models import BookingRow
from tests.api.test_identity import Recorder
from tests.conftest import random_iin
from tests.web.conftest import Site, outside_iin_field, run_async, web_settings
from tests.web.test_citizen_pages import confirm_page, first_time, post_iin

PENSIONER, NOBODY = random_iin(), random_iin()


@pytest.fixture
def reg_site(seeded_url: tuple[str, dict[str, int]]) -> Iterator[Site]:
    server = Recorder({
        PENSIONER: (200, {"phones": ["+77010000001"], "privilege": "pensioner"}),
        NOBODY: (200, {"phones": ["+77010000002"], "privilege": None}),
    })
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url, centers = seeded_url
    settings = web_settings(url).model_copy(
        update={"identity_registry_url": server.url + "/lookup"})
    try:
        with TestClient(create_app(settings)) as client:
            yield Site(client, centers)
    finally:
        server.shutdown()
        server.server_close()


async def _statuses(url: str) -> list[str | None]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as s:
            return list((await s.scalars(select(BookingRow.privilege_status))).all())
    finally:
        await engine.dispose()


@pytest.mark.parametrize(("lang", "words"), [("kk", "Жеңілдік расталмады"),
                                              ("ru", "Льгота не подтверждена")])
def test_a_claim_the_registry_denies_is_refused_on_the_page(
        reg_site: Site, seeded_url: tuple[str, dict[str, int]], lang: str,
        words: str) -> None:
    site = reg_site
    site.client.get(f"/?lang={lang}")
    start = first_time(site, privilege="pensioner")
    path, csrf = confirm_page(site, start, privilege="pensioner")
    refused = post_iin(site, path, start, NOBODY, csrf, privilege="pensioner")
    assert refused.status_code == 422, refused.text
    assert 'class="error-summary' in refused.text and words in refused.text
    assert NOBODY not in outside_iin_field(refused.text)  # kept only in its field (issue 13)
    assert run_async(_statuses, seeded_url[0]) == []
    csrf = site.csrf(refused.text)
    booked = post_iin(site, path, start, PENSIONER, csrf, privilege="pensioner")
    assert booked.status_code == 303, booked.text
    assert run_async(_statuses, seeded_url[0]) == ["verified"]
