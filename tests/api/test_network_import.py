"""`POST /api/v1/network/import`: a document of the wrong shape is refused whole, with the
field's path, and nothing of it is written (before the typed model, each of these was a
500: a KeyError on a missing slug, an invalid date, a list where an object belongs)."""

from __future__ import annotations

from typing import Any

import pytest

from kezek.core.collation import sort_key
from tests.api.conftest import Api, assert_error

CITY = {"slug": "stepnogorsk", "region": "KZ-11", "kind": "city",
        "names": {"kk": "Степногорск", "ru": "Степногорск", "en": "Stepnogorsk"}}
CENTER = {"slug": "stepnogorsk-1", "city": "stepnogorsk", "kind": "general",
          "format": "mixed", "names": {"ru": "ЦОН г. Степногорск"},
          "windows": [{"number": 1}, {"number": 2, "scope": {"sectors": ["identity"]}}]}

BAD: list[tuple[str, Any, str]] = [
    ("a centre without its slug",
     {"cities": [CITY], "centers": [{k: v for k, v in CENTER.items() if k != "slug"}]},
     "centers.0.slug"),
    ("a holiday that is not a date",
     {"cities": [CITY], "holidays": [{"date": "2026-02-30"}]}, "holidays.0.date"),
    ("a list where an object belongs", {"cities": [CITY], "centers": [["stepnogorsk-1"]]},
     "centers.0"),
    ("an object where a list belongs", {"cities": {"slug": "x"}}, "cities"),
    ("a misspelt key", {"cities": [CITY], "centres": [CENTER]}, "centres"),
    ("a window number past the column",
     {"cities": [CITY], "centers": [{**CENTER, "windows": [{"number": 2**40}]}]},
     "centers.0.windows.0.number"),
    ("a slug longer than its column", {"cities": [{**CITY, "slug": "s" * 65}]},
     "cities.0.slug"),
    ("a window scope of the wrong kind",
     {"cities": [CITY], "centers": [{**CENTER, "windows": [{"number": 1, "scope": 7}]}]},
     "centers.0.windows.0.scope"),
]


def cities(api: Api) -> set[str]:
    return {c["slug"] for c in api.client.get("/api/v1/cities").json()}


@pytest.mark.parametrize(("what", "doc", "path"), BAD, ids=[b[0] for b in BAD])
def test_a_wrong_shape_is_refused_whole(api: Api, what: str, doc: Any, path: str) -> None:
    before = api.client.get("/api/v1/network/export", headers=api.auth()).json()
    r = api.client.post("/api/v1/network/import", headers=api.auth(lang="en"), json=doc)
    message = assert_error(r, 422, "validation_error")
    assert path in message, (what, message)
    assert "stepnogorsk" not in cities(api)
    assert api.client.get("/api/v1/network/export", headers=api.auth()).json() == before


def test_a_value_the_rules_refuse_names_its_record(api: Api) -> None:
    doc = {"cities": [CITY],
           "centers": [CENTER, {**CENTER, "slug": "stepnogorsk-2", "city": "atlantis"}]}
    message = assert_error(api.client.post("/api/v1/network/import",
                                           headers=api.auth(lang="en"), json=doc),
                           422, "validation_error")
    assert "stepnogorsk-2" in message and "unknown city" in message
    assert "stepnogorsk" not in cities(api)  # the first centre and the city rolled back
    point = {"slug": "p-1", "city": "atlantis", "hours": {}}
    message = assert_error(api.client.post("/api/v1/network/import", headers=api.auth(),
                                           json={"self_service_points": [point]}),
                           422, "validation_error")
    assert "p-1" in message


def test_a_good_document_imports_and_round_trips(api: Api) -> None:
    r = api.client.post("/api/v1/network/import", headers=api.auth(),
                        json={"cities": [CITY], "centers": [CENTER],
                              "holidays": [{"date": "2027-03-23"}]})
    assert r.status_code == 200, r.text
    assert r.json()["centers"] == 1 and r.json()["windows"] == 2
    exported = api.client.get("/api/v1/network/export", headers=api.auth()).json()
    center = next(c for c in exported["centers"] if c["slug"] == "stepnogorsk-1")
    assert [w["scope"] for w in center["windows"]] == ["all", {"sectors": ["identity"]}]
    # The export is itself a document the import takes, unchanged.
    again = api.client.post("/api/v1/network/import", headers=api.auth(), json=exported)
    assert again.status_code == 200, again.text
    assert api.client.get("/api/v1/network/export", headers=api.auth()).json() == exported


def test_the_spec_shows_the_document(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    body = spec["paths"]["/api/v1/network/import"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = spec["components"]["schemas"][ref]
    assert {"cities", "centers", "holidays", "self_service_points"} <= set(schema["properties"])
    assert schema.get("additionalProperties") is False


def test_cities_come_in_the_alphabet_of_the_language(api: Api) -> None:
    def city(slug: str, kk: str, ru: str) -> dict[str, Any]:
        return {"slug": slug, "region": "KZ-11", "names": {"kk": kk, "ru": ru, "en": slug}}

    doc = {"cities": [city("oral", "Орал", "Уральск"), city("kyzylorda", "Қызылорда",
                                                            "Кызылорда"),
                      city("pavlodar", "Павлодар", "Павлодар"),
                      city("aktobe", "Ақтөбе", "Актобе"), city("aktau", "Ақтау", "Актау")]}
    assert api.client.post("/api/v1/network/import", headers=api.auth(),
                           json=doc).status_code == 200

    def names(lang: str) -> list[str]:
        got = api.client.get("/api/v1/cities", headers={"Accept-Language": lang}).json()
        return [c["name"] for c in got if c["slug"] != "testcity"]

    # By slug Уральск (oral) came between Кызылорда and Павлодар.
    assert names("ru") == ["Актау", "Актобе", "Кызылорда", "Павлодар", "Уральск"]
    assert names("kk") == ["Ақтау", "Ақтөбе", "Қызылорда", "Орал", "Павлодар"]
    regions = [r["name"] for r in api.client.get(
        "/api/v1/regions", headers={"Accept-Language": "ru"}).json()]
    assert regions[0].startswith("Абай") and regions == sorted(
        regions, key=lambda n: sort_key(n, "ru"))
