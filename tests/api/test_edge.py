"""The edge checks (kezek.api.edge): NUL bytes and oversized bodies refused with the envelope.

Before the middleware, a NUL byte in these query strings made PostgreSQL raise (a 500),
and a body of any size was read whole.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import Api, assert_error

NUL_URLS = ["/api/v1/services?q=%00", "/api/v1/centers?city=%00",
            "/api/v1/centers?service=%00", "/api/v1/cities?region=%00",
            "/api/v1/self-service-points?city=%00", "/api/v1/services/01%0001"]


@pytest.mark.parametrize("url", NUL_URLS)
def test_nul_byte_in_query_or_path_is_400(api: Api, url: str) -> None:
    r = api.client.get(url, headers={"Accept-Language": "kk"})
    text = assert_error(r, 400, "invalid_input")
    assert text.startswith("Деректер қате")


def test_body_over_the_limit_is_413_by_length(api: Api) -> None:
    limit = api.client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]
    r = api.client.post("/api/v1/auth/token", content=b"x" * (limit + 1),
                        headers={"Content-Type": "application/json"})
    assert_error(r, 413, "body_too_large")


def test_chunked_body_over_the_limit_is_413(api: Api) -> None:
    limit = api.client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]

    def chunks() -> Iterator[bytes]:
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536

    r = api.client.post("/api/v1/auth/token", content=chunks(),
                        headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert_error(r, 413, "body_too_large")


def test_body_under_the_limit_passes(api: Api) -> None:
    r = api.client.post("/api/v1/auth/token", json={"username": "nobody", "password": "x"})
    assert r.status_code not in (400, 413), r.text


@pytest.mark.parametrize("raw", ["0", "2147483648", "4294967296", str(2**63)])
def test_center_id_beyond_the_column_is_422(api: Api, raw: str) -> None:
    assert_error(api.client.get(f"/api/v1/centers/{raw}"), 422, "validation_error")
    r = api.client.get(f"/api/v1/centers/{raw}/slots", params={"service": "01010001"})
    assert_error(r, 422, "validation_error")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "3000-01-01"])
def test_a_slot_search_from_the_end_of_the_calendar_is_422(api: Api, day: str) -> None:
    r = api.client.get(f"/api/v1/centers/{api.centers['mixed']}/slots",
                       params={"service": "01010001", "from": day, "days": 31})
    assert_error(r, 422, "validation_error")
    near = api.client.get(f"/api/v1/centers/{api.centers['mixed']}/slots",
                          params={"service": "01010001", "from": "2999-12-01", "days": 31})
    assert near.status_code == 200 and near.json() == []  # beyond the horizon: nothing


@pytest.mark.parametrize("opens,closes", [("9am", "13:00"), ("09:00", "25:00"),
                                          ("09:00", "13:60"), ("0900", "1300")])
def test_a_malformed_time_in_a_day_exception_is_422(api: Api, opens: str,
                                                     closes: str) -> None:
    url = f"/api/v1/centers/{api.centers['mixed']}/exceptions"
    body = {"date": "2030-01-02", "opens": opens, "closes": closes}
    assert_error(api.client.put(url, json=body, headers=api.auth()), 422, "validation_error")
    fine = api.client.put(url, json={**body, "opens": "09:00", "closes": "13:00"},
                          headers=api.auth())
    assert fine.status_code == 204, fine.text
    too_big = api.client.put("/api/v1/centers/2147483648/exceptions", json=body,
                             headers=api.auth())
    assert_error(too_big, 422, "validation_error")
