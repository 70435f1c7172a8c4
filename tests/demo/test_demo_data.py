"""The demo data shipped in kezek.demo/data: a registry and a network that match the domain."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from importlib.resources import files
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kezek.core.regions import REGION_BY_CODE, REGIONS
from kezek.core.registry import Sector
from kezek.core.registry_io import services_from_records
from kezek.core.schedule import WeeklySchedule

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
SECTORS = {s.value for s in Sector}
DELIVERIES = {"online", "paper", "both"}
LANGS = ("kk", "ru", "en")
SERVICE_KEYS = {"code", "names", "sector", "delivery", "specialised_only", "standard", "active",
                "aliases", "documents"}
STANDARD_KEYS = {"slot_minutes", "max_wait_minutes", "max_service_minutes", "fee_mci", "term_days"}
TIMEZONES = {"Asia/Almaty", "Asia/Qostanay", "Asia/Aqtobe", "Asia/Aqtau", "Asia/Atyrau",
             "Asia/Oral", "Asia/Qyzylorda"}


def _load(name: str) -> dict[str, Any]:
    text = (files("kezek.demo") / "data" / name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@pytest.fixture(scope="module")
def registry() -> list[dict[str, Any]]:
    services: list[dict[str, Any]] = _load("registry.json")["services"]
    return services


@pytest.fixture(scope="module")
def network() -> dict[str, Any]:
    return _load("network.json")


@pytest.fixture(scope="module")
def centers_by_city(network: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for center in network["centers"]:
        out.setdefault(center["city"], []).append(center)
    return out


def _names_ok(names: dict[str, Any]) -> bool:
    return set(names) == set(LANGS) and all(
        isinstance(names[lang], str) and names[lang].strip() for lang in LANGS)


# --- regions ---

def test_twenty_regions_with_unique_iso_codes() -> None:
    assert len(REGIONS) == 20
    assert len(REGION_BY_CODE) == 20
    assert {"KZ-11", "KZ-19", "KZ-71", "KZ-75", "KZ-79"} <= set(REGION_BY_CODE)
    assert all(re.fullmatch(r"KZ-\d{2}", code) for code in REGION_BY_CODE)
    assert REGION_BY_CODE["KZ-11"].seat == "Kokshetau"
    assert REGION_BY_CODE["KZ-11"].names.kk == "Ақмола облысы"
    assert all(r.names.kk and r.names.ru and r.names.en and r.seat for r in REGIONS)


# --- registry ---

def test_registry_is_large_enough(registry: list[dict[str, Any]]) -> None:
    assert len(registry) >= 150


def test_every_service_has_exactly_the_expected_shape(registry: list[dict[str, Any]]) -> None:
    for s in registry:
        assert set(s) == SERVICE_KEYS, s["code"]
        assert set(s["standard"]) == STANDARD_KEYS, s["code"]
        assert _names_ok(s["names"]), s["code"]
        assert s["sector"] in SECTORS, s["code"]
        assert s["delivery"] in DELIVERIES, s["code"]
        assert isinstance(s["specialised_only"], bool), s["code"]
        assert s["active"] is True, s["code"]
        for kind in ("aliases", "documents"):  # every service searchable and explained
            assert set(s[kind]) == {"kk", "ru", "en"} and all(s[kind].values()), s["code"]


def test_every_service_parses(registry: list[dict[str, Any]]) -> None:
    services = services_from_records(registry)
    assert len(services) == len(registry)


def test_codes_are_unique_8_digits_by_section(registry: list[dict[str, Any]]) -> None:
    codes = [s["code"] for s in registry]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"\d{8}", c) for c in codes)
    # one 2-digit section per sector, and no section shared by two sectors
    section_sectors: dict[str, set[str]] = {}
    for s in registry:
        section_sectors.setdefault(s["code"][:2], set()).add(s["sector"])
    assert all(len(sectors) == 1 for sectors in section_sectors.values()), section_sectors
    assert len(section_sectors) == len({s["sector"] for s in registry})


def test_about_80_percent_online(registry: list[dict[str, Any]]) -> None:
    online = sum(1 for s in registry if s["delivery"] in ("online", "both"))
    share = online / len(registry)
    assert 0.76 <= share <= 0.84, share


def test_vehicle_services_are_specialised_and_paper(registry: list[dict[str, Any]]) -> None:
    vehicle = [s for s in registry if s["sector"] == "vehicle"]
    assert len(vehicle) >= 15
    for s in vehicle:
        assert s["specialised_only"] is True, s["code"]
        assert s["delivery"] == "paper", s["code"]
    others = [s["code"] for s in registry if s["sector"] != "vehicle" and s["specialised_only"]]
    assert others == []
    ru = " ".join(s["names"]["ru"].lower() for s in vehicle)
    for needle in ("водительского удостоверения", "перерегистрация", "снятие",
                   "дубликата свидетельства о регистрации", "номерных знаков", "продавца"):
        assert needle in ru, needle


def test_standards_are_realistic(registry: list[dict[str, Any]]) -> None:
    for s in registry:
        st = s["standard"]
        assert st["slot_minutes"] in (15, 30), s["code"]
        assert st["max_wait_minutes"] in (15, 20, 30), s["code"]
        assert 15 <= st["max_service_minutes"] <= 30, s["code"]
        assert 0 <= st["fee_mci"] <= 100, s["code"]
        assert 1 <= st["term_days"] <= 30, s["code"]
    waits = Counter(s["standard"]["max_wait_minutes"] for s in registry)
    assert waits[30] > len(registry) / 2


def test_kazakh_names_use_kazakh_letters(registry: list[dict[str, Any]]) -> None:
    with_letters = sum(1 for s in registry if KAZAKH_LETTERS & set(s["names"]["kk"]))
    assert with_letters / len(registry) >= 0.5, with_letters
    assert all(s["names"]["kk"] != s["names"]["ru"] for s in registry)


def test_every_sector_is_represented(registry: list[dict[str, Any]]) -> None:
    assert {s["sector"] for s in registry} == SECTORS


# --- network ---

def test_cities_reference_known_regions(network: dict[str, Any]) -> None:
    slugs = [c["slug"] for c in network["cities"]]
    assert len(set(slugs)) == len(slugs)
    for city in network["cities"]:
        assert city["region"] in REGION_BY_CODE, city["slug"]
        assert city["kind"] in ("city", "district"), city["slug"]
        assert _names_ok(city["names"]), city["slug"]


def test_centres_reference_cities_and_are_well_formed(network: dict[str, Any]) -> None:
    cities = {c["slug"] for c in network["cities"]}
    slugs = [c["slug"] for c in network["centers"]]
    assert len(set(slugs)) == len(slugs)
    assert len(slugs) >= 45
    for c in network["centers"]:
        assert c["city"] in cities, c["slug"]
        assert c["kind"] in ("general", "specialised"), c["slug"]
        assert c["format"] in ("booking_only", "mixed"), c["slug"]
        assert _names_ok(c["names"]) and _names_ok(c["address"]), c["slug"]
        assert 40.5 <= c["lat"] <= 55.5 and 46.5 <= c["lon"] <= 87.5, c["slug"]
        assert c["timezone"] in TIMEZONES, c["slug"]
        ZoneInfo(c["timezone"])
        assert c["occupancy_limit"] is None or c["occupancy_limit"] > 0, c["slug"]
        assert c["horizon_days"] == 10
        assert c["slot_minutes"] == 15
        expected_latest = "15:30" if c["kind"] == "specialised" else "17:30"
        assert c["latest_booking"] == expected_latest, c["slug"]


def test_every_city_has_a_centre(
    network: dict[str, Any], centers_by_city: dict[str, list[dict[str, Any]]]
) -> None:
    assert {c["slug"] for c in network["cities"]} == set(centers_by_city)


def test_every_schedule_parses(network: dict[str, Any]) -> None:
    for c in network["centers"]:
        week = WeeklySchedule.from_dict(c["schedule"])
        assert week.days[0] is not None, c["slug"]
        assert week.days[6] is None, c["slug"]
        if c["kind"] == "specialised":
            assert week == WeeklySchedule.standard(), c["slug"]
        else:
            assert week in (WeeklySchedule.standard(), WeeklySchedule.duty()), c["slug"]
    for p in network["self_service_points"]:
        WeeklySchedule.from_dict(p["hours"])


def test_windows(network: dict[str, Any], registry: list[dict[str, Any]]) -> None:
    codes = {s["code"] for s in registry}
    for c in network["centers"]:
        windows = c["windows"]
        numbers = [w["number"] for w in windows]
        assert len(set(numbers)) == len(numbers), c["slug"]
        assert all(isinstance(n, int) and n > 0 for n in numbers), c["slug"]
        for w in windows:
            assert w["seats"] >= 1, c["slug"]
            scope = w["scope"]
            if scope == "all":
                continue
            assert isinstance(scope, dict) and set(scope) <= {"sectors", "codes"}, c["slug"]
            assert set(scope.get("sectors", [])) <= SECTORS, c["slug"]
            assert set(scope.get("codes", [])) <= codes, (c["slug"], scope)
            assert scope.get("sectors") or scope.get("codes"), c["slug"]
        if c["kind"] == "general":
            assert 6 <= len(windows) <= 16, c["slug"]
            assert 1 <= sum(w["privilege"] for w in windows) <= 2, c["slug"]
            assert sum(w["scope"] == "all" for w in windows) > len(windows) / 2, c["slug"]
        else:
            assert 4 <= len(windows) <= 10, c["slug"]
            assert all(w["scope"] == {"sectors": ["vehicle"]} for w in windows), c["slug"]


def test_kokshetau_is_the_booking_only_pilot(
    network: dict[str, Any], centers_by_city: dict[str, list[dict[str, Any]]]
) -> None:
    kokshetau = centers_by_city["kokshetau"]
    assert 2 <= len(kokshetau) <= 3
    for c in kokshetau:
        assert c["kind"] == "general", c["slug"]
        assert c["format"] == "booking_only", c["slug"]
        assert any(w["privilege"] for w in c["windows"]), c["slug"]
        assert c["occupancy_limit"] is not None and c["occupancy_limit"] <= 30, c["slug"]
    others = [c["slug"] for c in network["centers"]
              if c["city"] != "kokshetau" and c["format"] == "booking_only"]
    assert others == []


def test_eight_self_service_points_in_kokshetau(network: dict[str, Any]) -> None:
    points = network["self_service_points"]
    assert sum(1 for p in points if p["city"] == "kokshetau") == 8
    cities = {c["slug"] for c in network["cities"]}
    slugs = [p["slug"] for p in points]
    assert len(set(slugs)) == len(slugs)
    for p in points:
        assert p["city"] in cities
        assert _names_ok(p["names"]) and _names_ok(p["address"]), p["slug"]
    ru = " ".join(p["names"]["ru"].lower() for p in points)
    for needle in ("занятост", "образован", "предпринимател"):
        assert needle in ru, needle


def test_rest_of_akmola(
    network: dict[str, Any], centers_by_city: dict[str, list[dict[str, Any]]]
) -> None:
    akmola = {c["slug"] for c in network["cities"]
              if c["region"] == "KZ-11" and c["slug"] != "kokshetau"}
    assert len(akmola) >= 4
    centres = [c for city in akmola for c in centers_by_city[city]]
    general = [c for c in centres if c["kind"] == "general"]
    assert len(general) >= 4
    assert all(c["format"] == "mixed" for c in general)
    assert sum(c["kind"] == "specialised" for c in centres) == 1


def _count(centres: list[dict[str, Any]], kind: str) -> int:
    return sum(1 for c in centres if c["kind"] == kind)


def test_almaty(centers_by_city: dict[str, list[dict[str, Any]]]) -> None:
    almaty = centers_by_city["almaty"]
    assert _count(almaty, "specialised") == 5
    assert _count(almaty, "general") >= 6
    assert any("Alatau" in c["names"]["en"] for c in almaty if c["kind"] == "general")
    assert all(c["format"] == "mixed" for c in almaty)
    duty = [c for c in almaty
            if WeeklySchedule.from_dict(c["schedule"]) == WeeklySchedule.duty()]
    assert duty and all(c["kind"] == "general" for c in duty)


def test_astana_and_shymkent(centers_by_city: dict[str, list[dict[str, Any]]]) -> None:
    assert _count(centers_by_city["astana"], "general") >= 5
    assert _count(centers_by_city["astana"], "specialised") == 2
    assert _count(centers_by_city["shymkent"], "general") >= 1
    assert _count(centers_by_city["shymkent"], "specialised") == 3


def test_almaty_region_districts(
    network: dict[str, Any], centers_by_city: dict[str, list[dict[str, Any]]]
) -> None:
    cities = {c["slug"]: c for c in network["cities"]}
    for slug in ("talgar", "karasai"):
        assert cities[slug]["region"] == "KZ-19"
        assert cities[slug]["kind"] == "district"
        assert len(centers_by_city[slug]) == 1
    assert cities["konaev"]["region"] == "KZ-19"
    assert centers_by_city["konaev"]


def test_network_is_national(network: dict[str, Any]) -> None:
    regions = {c["region"] for c in network["cities"]}
    assert len(regions) >= 10
    for seat in ("atyrau", "turkistan"):
        assert any(c["city"] == seat for c in network["centers"]), seat


def test_holidays(network: dict[str, Any]) -> None:
    dates = [dt.date.fromisoformat(h["date"]) for h in network["holidays"]]
    assert len(set(dates)) == len(dates)
    for h in network["holidays"]:
        assert _names_ok(h["names"]), h["date"]
    for year in (2026, 2027):
        for month, day in ((1, 1), (1, 2), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7),
                           (5, 9), (7, 6), (8, 30), (10, 25), (12, 16)):
            assert dt.date(year, month, day) in dates, (year, month, day)
        assert dt.date(year, 1, 7) not in dates  # Orthodox Christmas is not a day off
    assert dt.date(2026, 5, 27) in dates
    assert dt.date(2027, 5, 16) in dates
    assert {d.year for d in dates} == {2026, 2027}
