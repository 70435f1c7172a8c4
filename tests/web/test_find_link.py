"""The look-up page a reminder links to: the code filled in, the IIN still asked."""

from __future__ import annotations

from tests.web.conftest import Site


def test_a_reminders_link_fills_in_the_code_only(site: Site) -> None:
    r = site.client.get("/bookings/find", params={"code": "abcd-2345"})
    assert r.status_code == 200
    assert 'value="ABCD2345"' in r.text
    assert 'name="iin"' in r.text  # the person still gives the IIN (and its proof)


def test_anything_but_a_code_is_dropped_from_the_link(site: Site) -> None:
    r = site.client.get("/bookings/find", params={"code": '"><script>alert(1)</script>'})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and 'value="SCRIPTALERT1SCRIPT"' in r.text
    long = site.client.get("/bookings/find", params={"code": "A" * 500})
    assert long.status_code == 200 and f'value="{"A" * 32}"' in long.text
