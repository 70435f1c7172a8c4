"""Names in the order their readers expect, not by code point or by Latin slug."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from kezek.core.collation import KK, RU, sort_key, sorted_by_name

CITIES_RU = ["Уральск", "Кызылорда", "Павлодар", "Актобе", "Ёлкино", "Семей", "Жезказган"]


def test_russian_follows_the_alphabet_not_the_slug() -> None:
    # By slug (oral, kyzylorda, pavlodar) Уральск fell between Кызылорда and Павлодар.
    assert sorted_by_name(CITIES_RU, str, "ru") == [
        "Актобе", "Ёлкино", "Жезказган", "Кызылорда", "Павлодар", "Семей", "Уральск"]


def test_kazakh_letters_take_their_places() -> None:
    names = ["Өскемен", "Орал", "Ақтөбе", "Актау", "Алматы", "Әулиеата", "Іле", "Ұлытау",
             "Үржар", "Шымкент", "Қарағанды", "Кентау", "Ыстық"]
    assert sorted_by_name(names, str, "kk") == [
        "Актау", "Ақтөбе", "Алматы", "Әулиеата", "Кентау", "Қарағанды", "Орал", "Өскемен",
        "Ұлытау", "Үржар", "Шымкент", "Ыстық", "Іле"]
    # By code point every Kazakh letter went after Я.
    assert sorted(names)[-1] in ("Үржар", "Ұлытау", "Өскемен", "Әулиеата", "Іле")


def test_case_and_word_breaks() -> None:
    assert sort_key("алматы", "ru") == sort_key("АЛМАТЫ", "ru")
    assert sorted_by_name(["Нура", "Нур-Султан", "Нур 2"], str, "ru") == [
        "Нур 2", "Нур-Султан", "Нура"]
    assert sorted_by_name(["Zhanaozen", "Aktau", "Öskemen?"], str, "en")[0] == "Aktau"


@given(st.lists(st.text(alphabet=KK + RU + KK.upper() + " -0123456789abc!", max_size=12),
                max_size=20), st.sampled_from(["kk", "ru", "en"]))
def test_an_order_is_total_and_stable(names: list[str], lang: str) -> None:
    once = sorted_by_name(names, str, lang)
    assert sorted_by_name(once, str, lang) == once
    assert sorted(once) == sorted(names)
    for a, b in itertools.pairwise(once):
        assert sort_key(a, lang) <= sort_key(b, lang)
