"""The registry's JSON and CSV exchange formats, and service validation."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.core.errors import ValidationFailed
from kezek.core.registry import Delivery, Names, Sector, Service, Standard, validate_service
from kezek.core.registry_io import (
    CSV_COLUMNS,
    service_from_dict,
    service_to_dict,
    services_from_csv,
    services_from_records,
    services_to_csv,
)


def _service(code: str = "01020304", **kw: Any) -> Service:
    base: dict[str, Any] = {
        "code": code,
        "names": Names(kk="Жеке куәлік беру", ru="Выдача удостоверения", en="ID card"),
        "sector": Sector.IDENTITY,
        "delivery": Delivery.PAPER,
    }
    base.update(kw)
    return Service(**base)


def _record(**kw: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "code": "01020304",
        "names": {"kk": "Атауы", "ru": "Название", "en": "Name"},
        "sector": "identity",
        "delivery": "paper",
    }
    rec.update(kw)
    return rec


# --- hypothesis strategy of valid services -------------------------------------------------

_name = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]),
    max_size=30,
).map(str.strip)
_nonblank_name = _name.filter(lambda s: s != "")


@st.composite
def services(draw: st.DrawFn, code: str | None = None) -> Service:
    kk = draw(_name)
    ru = draw(_nonblank_name) if kk == "" else draw(_name)
    specialised = draw(st.booleans())
    deliveries = [Delivery.PAPER, Delivery.BOTH] if specialised else list(Delivery)
    service = Service(
        code=code if code is not None else draw(st.from_regex(r"[0-9]{8}", fullmatch=True)),
        names=Names(kk=kk, ru=ru, en=draw(_name)),
        sector=draw(st.sampled_from(list(Sector))),
        delivery=draw(st.sampled_from(deliveries)),
        specialised_only=specialised,
        standard=Standard(
            slot_minutes=draw(st.integers(5, 240)),
            max_wait_minutes=draw(st.integers(0, 10_000)),
            max_service_minutes=draw(st.integers(1, 10_000)),
            fee_mci=draw(st.floats(min_value=0, max_value=1e9, allow_nan=False)),
            term_days=draw(st.integers(0, 3650)),
        ),
        active=draw(st.booleans()),
    )
    return validate_service(service)


@st.composite
def service_lists(draw: st.DrawFn) -> list[Service]:
    codes = draw(
        st.lists(st.from_regex(r"[0-9]{8}", fullmatch=True), max_size=6, unique=True)
    )
    return [draw(services(code=c)) for c in codes]


# --- round trips ------------------------------------------------------------------------------


@given(services())
@settings(max_examples=200)
def test_dict_round_trip(service: Service) -> None:
    data = service_to_dict(service)
    assert service_from_dict(data) == service
    # and the dict survives JSON itself
    assert service_from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == service


@given(service_lists())
@settings(max_examples=150)
def test_csv_round_trip(items: list[Service]) -> None:
    text = services_to_csv(items)
    assert services_from_csv(text) == items


@given(service_lists())
@settings(max_examples=50)
def test_csv_round_trip_with_bom(items: list[Service]) -> None:
    assert services_from_csv("\ufeff" + services_to_csv(items)) == items


def test_csv_header_and_row_shape() -> None:
    text = services_to_csv([_service(specialised_only=True, delivery=Delivery.BOTH)])
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["code"] == "01020304"
    assert row["specialised_only"] == "true"
    assert row["active"] == "true"
    assert row["delivery"] == "both"


def test_to_dict_shape() -> None:
    data = service_to_dict(_service(standard=Standard(fee_mci=0.5, term_days=3)))
    assert data["code"] == "01020304"
    assert data["sector"] == "identity"
    assert data["delivery"] == "paper"
    assert data["names"]["kk"] == "Жеке куәлік беру"
    assert data["standard"]["fee_mci"] == 0.5
    assert data["standard"]["term_days"] == 3
    assert data["active"] is True


def test_from_dict_defaults_and_cleanup() -> None:
    service = service_from_dict(
        {"code": " 01020304 ", "names": {"ru": "  Название "}, "sector": "vehicle",
         "delivery": "paper", "specialised_only": "да", "active": "нет"}
    )
    assert service.code == "01020304"
    assert service.names == Names(kk="", ru="Название", en="")
    assert service.sector is Sector.VEHICLE
    assert service.specialised_only is True
    assert service.active is False
    assert service.standard == Standard()


def test_csv_minimal_columns_and_kazakh_booleans() -> None:
    text = (
        "code,name_ru,sector,delivery,specialised_only,active\n"
        "11111111,Регистрация,vehicle,paper,иә,жоқ\n"
        "22222222,Справка,identity,both,,\n"
    )
    first, second = services_from_csv(text)
    assert first.specialised_only is True and first.active is False
    assert second.specialised_only is False and second.active is True
    assert second.delivery is Delivery.BOTH
    assert second.standard == Standard()


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["1234567", "123456789", "1234567a", "", "1234 5678", "-1234567"])
def test_bad_code_refused(code: str) -> None:
    with pytest.raises(ValidationFailed):
        service_from_dict(_record(code=code))


@pytest.mark.parametrize(
    "override",
    [
        {"sector": "astrology"},
        {"sector": None},
        {"delivery": "fax"},
        {"names": {"en": "English only"}},
        {"names": {"kk": "  ", "ru": " "}},
        {"specialised_only": "maybe"},
        {"active": "perhaps"},
        {"standard": {"slot_minutes": 4}},
        {"standard": {"slot_minutes": 241}},
        {"standard": {"slot_minutes": "fifteen"}},
        {"standard": {"max_wait_minutes": -1}},
        {"standard": {"max_service_minutes": 0}},
        {"standard": {"fee_mci": -0.5}},
        {"standard": {"term_days": -1}},
        {"specialised_only": True, "delivery": "online"},
    ],
)
def test_bad_record_refused(override: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        service_from_dict(_record(**override))


@pytest.mark.parametrize("missing", ["code", "sector", "delivery"])
def test_missing_key_refused(missing: str) -> None:
    record = _record()
    del record[missing]
    with pytest.raises(ValidationFailed):
        service_from_dict(record)


def test_specialised_online_refused_directly() -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_service(_service(specialised_only=True, delivery=Delivery.ONLINE))
    assert "visit" in exc.value.params["detail"]


def test_validate_collects_every_problem() -> None:
    bad = _service(code="x", names=Names("", "", "en"), standard=Standard(slot_minutes=1))
    with pytest.raises(ValidationFailed) as exc:
        validate_service(bad)
    detail = exc.value.params["detail"]
    assert "8 digits" in detail and "name" in detail and "slot_minutes" in detail


def test_duplicate_code_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        services_from_records([_record(), _record(names={"ru": "Другое"})])
    assert "duplicate" in exc.value.params["detail"]


def test_duplicate_code_in_csv_refused() -> None:
    text = services_to_csv([_service(), _service()])
    with pytest.raises(ValidationFailed):
        services_from_csv(text)


@pytest.mark.parametrize("drop", ["code", "name_ru", "sector", "delivery"])
def test_csv_missing_required_column_refused(drop: str) -> None:
    header = [c for c in CSV_COLUMNS if c != drop]
    text = ",".join(header) + "\n"
    with pytest.raises(ValidationFailed) as exc:
        services_from_csv(text)
    assert drop in exc.value.params["detail"]


def test_csv_empty_text_refused() -> None:
    with pytest.raises(ValidationFailed):
        services_from_csv("")


def test_csv_bad_row_refuses_whole_file_naming_it() -> None:
    good = services_to_csv([_service(code="11111111")])
    text = good + "22222222,,Имя,,identity,online,true,15,30,20,0,1,true\n"
    with pytest.raises(ValidationFailed) as exc:
        services_from_csv(text)
    assert "22222222" in exc.value.params["detail"] or "visit" in exc.value.params["detail"]


def test_csv_unknown_sector_refused() -> None:
    text = "code,name_ru,sector,delivery\n12345678,Имя,astrology,paper\n"
    with pytest.raises(ValidationFailed):
        services_from_csv(text)


def test_names_get_falls_back() -> None:
    names = Names(kk="", ru="Имя", en="")
    assert names.get("kk") == "Имя"
    assert names.get("en") == "Имя"
    assert names.get("xx") == "Имя"
    assert Names("Аты", "Имя", "Name").get("en") == "Name"
    assert Names("Аты", "", "").get("ru") == "Аты"
    assert Names("Аты", "Имя", "Name").all() == ("Аты", "Имя", "Name")


def test_online_property() -> None:
    assert _service(delivery=Delivery.ONLINE).online
    assert _service(delivery=Delivery.BOTH).online
    assert not _service(delivery=Delivery.PAPER).online


# --- regressions: bugs found by these tests and fixed -----------------------------------


@pytest.mark.parametrize("override", [{"names": "Имя"}, {"standard": [15]}])
def test_non_mapping_parts_refused_as_validation(override: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        service_from_dict(_record(**override))


@pytest.mark.parametrize("fee", ["nan", "inf"])
def test_non_finite_fee_refused(fee: str) -> None:
    with pytest.raises(ValidationFailed):
        service_from_dict(_record(standard={"fee_mci": fee}))


def test_csv_short_row_does_not_invent_names() -> None:
    text = "code,name_ru,sector,delivery,name_en\n12345678,Имя,identity,paper\n"
    (service,) = services_from_csv(text)
    assert service.names.en == ""


@pytest.mark.parametrize("code", ["١٢٣٤٥٦٧٨", "１２３４５６７８", "12345678\n"])
def test_code_must_be_ascii_digits(code: str) -> None:
    with pytest.raises(ValidationFailed):
        validate_service(_service(code=code))


def test_csv_round_trip_of_carriage_return() -> None:
    service = _service(names=Names(kk="", ru="строка\rдругая", en=""))
    assert services_from_csv(services_to_csv([service])) == [service]


def test_malformed_csv_refused_as_validation() -> None:
    with pytest.raises(ValidationFailed):
        services_from_csv("code,name_ru,sector,delivery\n12345678,a\rb,identity,paper\n")
