"""No-show suspension over HTTP, on SQLite and PostgreSQL: the network's rule, refusals
on every booking channel with the end date in kk/ru/en, and staff seeing and lifting it."""

from __future__ import annotations

import asyncio

import pytest

from kezek.app.demo import demo_document
from kezek.core import iin as iin_rules
from tests.abuse_support import RULE, miss_visits, until_text
from tests.api.conftest import API_IIN_KEY, Api, assert_error, at
from tests.conftest import next_weekday, random_iin

RULE_BODY = {"no_show_rule": RULE.to_dict()}


def put_rule(api: Api, body: object, token: str | None = None, lang: str | None = None
             ) -> object:
    return api.client.put("/api/v1/abuse/rule", json=body, headers=api.auth(token, lang))


def missed(api: Api, iin: str, days_ago: list[int]) -> str:
    """The person's missed visits at the mixed centre; the end date they earn, as told."""
    starts = asyncio.run(miss_visits(api.url, iin, api.centers["mixed"],
                                     API_IIN_KEY.encode(), days_ago))
    return until_text(max(starts))


@pytest.mark.parametrize("lang,words", [
    ("kk", "тоқтатылды"), ("ru", "приостановлена"), ("en", "suspended")])
def test_missed_visits_suspend_booking_on_every_channel(api: Api, lang: str,
                                                        words: str) -> None:
    assert put_rule(api, RULE_BODY).status_code == 200  # type: ignore[attr-defined]
    iin = random_iin()
    until = missed(api, iin, [45, 30, 15])
    start = at(next_weekday(), 10)
    refused = api.book(iin, start, headers={"Accept-Language": lang})
    message = assert_error(refused, 403, "suspended")
    assert words in message and until in message and iin not in message
    # The call centre, the door and the waitlist are refused the same way.
    operator = api.add_user("cara.callcentre", "call_centre")
    assert_error(api.book(iin, start, channel="call_centre", identity_checked=True,
                          headers=api.auth(operator)), 403, "suspended")
    door = api.add_user("dina.door", "door", [api.centers["mixed"]])
    assert_error(api.book(iin, start, channel="door", headers=api.auth(door)),
                 403, "suspended")
    join = api.client.post("/api/v1/waitlist", headers=api.person(iin), json={
        "iin": iin, "service": "01010001", "center": api.centers["mixed"],
        "day": next_weekday().isoformat()})
    assert_error(join, 403, "suspended")
    # Someone else books as usual.
    assert api.book(random_iin(), start).status_code == 201


def test_staff_see_and_lift_a_suspension(api: Api) -> None:
    put_rule(api, RULE_BODY)
    iin = random_iin()
    missed(api, iin, [40, 25, 10])
    listed = api.client.get("/api/v1/abuse/suspensions", headers=api.auth()).json()
    assert len(listed) == 1 and listed[0]["iin"] == iin_rules.mask(iin)
    assert listed[0]["missed"] == 3 and iin not in str(listed)
    found = api.client.post("/api/v1/abuse/suspensions/lookup", json={"iin": iin},
                            headers=api.auth()).json()
    assert found["suspension"]["until"] == listed[0]["until"]
    person = found["person"]
    manager = api.add_user("mara.manager", "manager", [api.centers["mixed"]])
    lifted = api.client.post(f"/api/v1/abuse/suspensions/{person}/lift",
                             headers=api.auth(manager))
    assert lifted.status_code == 200, lifted.text
    assert lifted.json() == {"person": person, "lifted": True}
    assert api.book(iin, at(next_weekday(), 11)).status_code == 201
    assert api.client.get("/api/v1/abuse/suspensions", headers=api.auth()).json() == []
    after = api.client.post("/api/v1/abuse/suspensions/lookup", json={"iin": iin},
                            headers=api.auth()).json()
    assert after["suspension"] is None
    # Missed visits before the lift no longer count; a lift with nothing to lift says so.
    again = api.client.post(f"/api/v1/abuse/suspensions/{person}/lift", headers=api.auth())
    assert again.json()["lifted"] is False
    assert_error(api.client.post("/api/v1/abuse/suspensions/999999/lift",
                                 headers=api.auth()), 404, "not_found")
    unknown = api.client.post("/api/v1/abuse/suspensions/lookup", json={"iin": random_iin()},
                              headers=api.auth())
    assert_error(unknown, 404, "not_found")
    assert_error(api.client.post("/api/v1/abuse/suspensions/lookup", json={"iin": "123"},
                                 headers=api.auth()), 422, "invalid_iin")
    operator = api.add_user("omar.operator", "operator", [api.centers["mixed"]])
    assert_error(api.client.get("/api/v1/abuse/suspensions", headers=api.auth(operator)),
                 403, "forbidden")


def test_too_few_or_too_spread_misses_do_not_suspend_and_the_rule_can_be_off(
        api: Api) -> None:
    put_rule(api, RULE_BODY)
    few, spread = random_iin(), random_iin()
    missed(api, few, [30, 15])
    missed(api, spread, [80, 45, 12])  # 68 days from the first to the third
    for iin, hh in ((few, 10), (spread, 11)):
        assert api.book(iin, at(next_weekday(), hh)).status_code == 201
    suspended = random_iin()
    missed(api, suspended, [45, 30, 15])
    assert_error(api.book(suspended, at(next_weekday(), 12)), 403, "suspended")
    off = put_rule(api, {"no_show_rule": None})
    assert off.json() == {"no_show_rule": None}  # type: ignore[attr-defined]
    assert api.book(suspended, at(next_weekday(), 12)).status_code == 201
    assert api.client.get("/api/v1/abuse/rule", headers=api.auth()).json() == {
        "no_show_rule": None}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_bad_rule_is_refused_whole(api: Api, lang: str) -> None:
    for body in ({"no_show_rule": {"count": 0, "days": 30, "suspend_days": 7}},
                 {"no_show_rule": {"count": 3, "days": 30}},
                 {"no_show_rule": {"count": 3, "days": 30, "suspend_days": 7, "x": 1}},
                 {"no_show_rule": "3 in 30"}, {}):
        r = put_rule(api, body, lang=lang)
        assert_error(r, 422, "validation_error")
    manager = api.add_user("mels.manager", "manager", [api.centers["mixed"]])
    assert_error(put_rule(api, RULE_BODY, token=manager), 403, "forbidden")
    assert api.client.get("/api/v1/abuse/rule", headers=api.auth()).json() == {
        "no_show_rule": None}


def test_the_rule_travels_with_the_network_document(api: Api) -> None:
    r = api.client.post("/api/v1/network/import", headers=api.auth(),
                        json={"no_show_rule": {"count": 2, "days": 14, "suspend_days": 7}})
    assert r.status_code == 200, r.text
    exported = api.client.get("/api/v1/network/export", headers=api.auth()).json()
    assert exported["no_show_rule"] == {"count": 2, "days": 14, "suspend_days": 7}
    assert api.client.get("/api/v1/abuse/rule", headers=api.auth()).json() == {
        "no_show_rule": {"count": 2, "days": 14, "suspend_days": 7}}
    # A document without the key leaves the rule; a bad one is refused whole.
    assert api.client.post("/api/v1/network/import", headers=api.auth(),
                           json={"cities": []}).status_code == 200
    assert api.client.get("/api/v1/network/export", headers=api.auth()).json()[
        "no_show_rule"] == {"count": 2, "days": 14, "suspend_days": 7}
    bad = api.client.post("/api/v1/network/import", headers=api.auth(),
                          json={"no_show_rule": {"count": 2}})
    assert_error(bad, 422, "validation_error")
    assert demo_document("network.json")["no_show_rule"] == {
        "count": 3, "days": 90, "suspend_days": 30}
