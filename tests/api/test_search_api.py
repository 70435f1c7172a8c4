"""Search and life situations through the API, on both databases, with the whole
shipped registry imported the way an operator would (POST /registry/import)."""

from __future__ import annotations

from typing import Any

from kezek.planning.demo import demo_document
from tests.api.conftest import Api, assert_error


def _import_demo(api: Api) -> dict[str, Any]:
    doc: dict[str, Any] = demo_document("registry.json")
    r = api.client.post("/api/v1/registry/import", json=doc, headers=api.auth())
    assert r.status_code == 200, r.text
    return doc


def _codes(api: Api, **params: str) -> list[str]:
    r = api.client.get("/api/v1/services", params=params)
    assert r.status_code == 200, r.text
    return [s["code"] for s in r.json()]


def test_everyday_words_find_the_service_first(api: Api) -> None:
    _import_demo(api)
    assert _codes(api, q="прописка")[0] == "01020001"
    assert _codes(api, q="пoставить машину на учёт")[0] == "05020001"  # a Latin "o"
    assert _codes(api, q="автокөлік тіркеу")[0] == "05020001"
    assert _codes(api, q="пасорт")[0] == "01010002"
    assert _codes(api, q="sick leave")[0] == "08010005"
    assert _codes(api, q="прописка", sector="vehicle") == []
    assert _codes(api, q="qwertyuiop") == []


def test_a_service_answers_with_its_life_situation_and_what_to_bring(api: Api) -> None:
    _import_demo(api)
    ru = api.client.get("/api/v1/services/05020001", headers={"Accept-Language": "ru"}).json()
    kk = api.client.get("/api/v1/services/05020001", headers={"Accept-Language": "kk"}).json()
    assert ru["situation"] == "0502"
    assert ru["documents"] and kk["documents"] and ru["documents"] != kk["documents"]
    assert len(ru["documents"]) == len(kk["documents"])


def test_life_situations_list_their_services(api: Api) -> None:
    doc = _import_demo(api)
    r = api.client.get("/api/v1/situations", headers={"Accept-Language": "kk"})
    assert r.status_code == 200
    found = {s["code"]: s for s in r.json()}
    assert set(found) == {s["code"] for s in doc["situations"]}
    vehicles = found["0502"]
    assert vehicles["name"] == vehicles["names"]["kk"] and vehicles["sector"] == "vehicle"
    assert vehicles["services"] == _codes(api, situation="0502")
    assert all(c.startswith("0502") for c in vehicles["services"])
    bad = api.client.get("/api/v1/services", params={"situation": "05x2"})
    assert_error(bad, 422, "validation_error")


def test_an_alias_added_by_an_admin_is_found_at_once(api: Api) -> None:
    _import_demo(api)
    assert "12030003" not in _codes(api, q="четвероногий друг")[:1]
    svc = next(s for s in demo_document("registry.json")["services"]
               if s["code"] == "12030003")
    svc["aliases"]["ru"].append("четвероногий друг")
    r = api.client.put("/api/v1/services/12030003", json=svc, headers=api.auth())
    assert r.status_code == 200, r.text
    assert _codes(api, q="четвероногий друг")[0] == "12030003"


def test_export_gives_back_aliases_documents_and_situations(api: Api) -> None:
    doc = _import_demo(api)
    out = api.client.get("/api/v1/registry/export", headers=api.auth()).json()
    by_code = {s["code"]: s for s in out["services"]}
    for s in doc["services"]:
        assert by_code[s["code"]]["aliases"] == s["aliases"]
        assert by_code[s["code"]]["documents"] == s["documents"]
    assert out["situations"] == doc["situations"]


def test_a_bad_situation_or_alias_is_refused_whole(api: Api) -> None:
    doc = _import_demo(api)
    before = api.client.get("/api/v1/registry/export", headers=api.auth()).json()
    broken = {"services": doc["services"][:2],
              "situations": [{"code": "05", "names": {"ru": "Короткий код"}}]}
    assert_error(api.client.post("/api/v1/registry/import", json=broken,
                                 headers=api.auth()), 422, "validation_error")
    one = dict(doc["services"][0], aliases={"ru": "не список"})
    assert_error(api.client.post("/api/v1/registry/import", json={"services": [one]},
                                 headers=api.auth()), 422, "validation_error")
    semi = dict(doc["services"][0], aliases={"ru": ["а; б"]})
    assert_error(api.client.post("/api/v1/registry/import", json={"services": [semi]},
                                 headers=api.auth()), 422, "validation_error")
    after = api.client.get("/api/v1/registry/export", headers=api.auth()).json()
    assert after == before
