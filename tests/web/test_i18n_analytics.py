"""The names the statistics page shows for the data set's codes, in kk, ru and en."""

from __future__ import annotations

import pytest

from kezek.core.registry import Sector
from kezek.web.i18n_analytics import COLUMNS, SECTORS, heading, name_of


@pytest.mark.parametrize(("dimension", "code", "kk", "ru", "en"), [
    ("region", "KZ-11", "Ақмола облысы", "Акмолинская область", "Akmola Region"),
    ("sector", "family_social", "Отбасы және әлеуметтік көмек", "Семья и соцпомощь",
     "Family and social support"),
    ("channel", "walk_in", "Жазылусыз", "Без записи", "Walk-in"),
    ("channel", "bot", "Telegram-бот", "Telegram-бот", "Telegram bot"),
    ("kind", "booked", "Жазылу бойынша", "По записи", "Booked"),
    ("privilege", "large_family", None, "Многодетная семья", None),
])
def test_a_code_is_named_in_each_language(dimension: str, code: str, kk: str | None,
                                          ru: str, en: str | None) -> None:
    names = {lang: name_of(dimension, code, lang) for lang in ("kk", "ru", "en")}
    assert names["ru"] == ru
    for lang, want in (("kk", kk), ("en", en)):
        assert names[lang] != code and (want is None or names[lang] == want)


def test_every_sector_and_heading_has_three_names_and_unknowns_stay() -> None:
    assert set(SECTORS) == {s.value for s in Sector}
    assert all(all(t) and len(t) == 3 for t in (*SECTORS.values(), *COLUMNS.values()))
    assert heading("walk_in", "kk") == "Жазылусыз" and heading("share_pct", "ru") == "Доля, %"
    assert name_of("region", "KZ-00", "kk") == "KZ-00" and heading("mystery", "en") == "mystery"
    assert name_of("sector", "land", "xx") == "Земля"  # another language reads Russian
