"""A request that fails its schema is told what is wrong in the requester's language, with
the field's name a person knows: before, pydantic's English ("iin: String should have at
least 1 character") went out inside the kk and ru messages, onto the door's screen."""

from __future__ import annotations

import re

import pytest

from kezek.i18n_validation import FIELDS, KINDS
from tests.api.conftest import Api, assert_error

EXPECTED = {
    "kk": ["ЖСН: толтырылмаған", "орталық: бүтін сан болуы керек"],
    "ru": ["ИИН: не заполнено", "центр: должно быть целым числом"],
    "en": ["IIN: is required", "centre: must be a whole number"],
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_door_sees_its_own_language(api: Api, lang: str) -> None:
    r = api.client.post(f"/api/v1/centers/{api.centers['mixed']}/arrivals",
                        json={"iin": ""}, headers=api.auth(lang=lang))
    text = assert_error(r, 422, "validation_error")
    assert EXPECTED[lang][0] in text, text
    r = api.client.post("/api/v1/bookings", headers={"Accept-Language": lang},
                        json={"iin": "x", "service": "01010001", "center": "one",
                              "start": "2027-01-05T10:00:00+05:00"})
    text = assert_error(r, 422, "validation_error")
    assert EXPECTED[lang][1] in text, text
    if lang != "en":  # no English word of pydantic's left in a kk or ru message
        assert not re.search(r"\b(should|Input|valid|Field|required)\b", text), text


def test_every_sentence_is_in_three_languages() -> None:
    for table in (FIELDS, KINDS):
        for key, texts in table.items():
            assert set(texts) == {"kk", "ru", "en"} and all(texts.values()), key
            assert texts["kk"] != texts["en"] and texts["ru"] != texts["en"], key
