"""Search folding: case, accents, Kazakh letters typed on a Russian keyboard."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kezek.core.text import fold, matches


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("казакстан", "Қазақстан"),
        ("алеуметтик", "ӘЛЕУМЕТТІК"),
        ("елка", "Ёлка"),
        ("ЕЛКА", "ёлка"),
        ("огиз", "ӨГІЗ"),
        ("унемдеу", "ҮНЕМДЕУ"),
        ("улттык", "Ұлттық"),
        ("сонгы", "соңғы"),
        ("хош", "һош"),
        ("каиырлы", "қайырлы"),
        ("cafe", "Café"),
        ("naive", "NAÏVE"),
        ("strasse", "Straße"),
        ("ALMATY", "almaty"),
    ],
)
def test_fold_equates_typed_and_stored(typed: str, stored: str) -> None:
    assert fold(typed) == fold(stored)


def test_fold_exact_outputs() -> None:
    assert fold("Қазақстан") == "казакстан"
    assert fold("ӘЛЕУМЕТТІК") == "алеуметтик"
    assert fold("ё") == "е"
    assert fold("Ё") == "е"
    assert fold("  Hello   World\t") == "hello world"
    assert fold("") == ""


def test_fold_keeps_distinct_words_distinct() -> None:
    assert fold("паспорт") != fold("права")
    assert fold("ш") != fold("щ")


def test_matches_multiword_in_any_order() -> None:
    name = "Выдача паспорта гражданина Республики Казахстан"
    assert matches("паспорт казахстан", name)
    assert matches("КАЗАХСТАН ПАСПОРТ", name)
    assert not matches("паспорт водительского", name)


def test_matches_across_haystacks_and_languages() -> None:
    kk, ru, en = "Жеке куәлік беру", "Выдача удостоверения личности", "Issue of identity card"
    assert matches("куалик", kk, ru, en)
    assert matches("identity удостоверения", kk, ru, en)
    assert matches("ЖЕКЕ card", kk, ru, en)
    assert not matches("куалик passport", kk, ru, en)


def test_matches_empty_query_matches_everything() -> None:
    assert matches("", "anything")
    assert matches("   ", "anything")
    assert matches("", )


def test_matches_substring_of_word() -> None:
    assert matches("регистр", "Регистрация транспортного средства")
    assert not matches("регистрационный", "Регистрация")


# Letters people actually type: Latin, Cyrillic (incl. Kazakh), accented Latin, spaces.
_everyday = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
        "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
        "éèêëàâäîïôöùûüçñßÉÈÀÇÑ"
        "0123456789 -,.\t\n"
    ),
    max_size=40,
)


@given(_everyday)
@settings(max_examples=300)
def test_fold_is_idempotent_on_everyday_text(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


@given(_everyday)
@settings(max_examples=300)
def test_fold_is_case_insensitive_on_everyday_text(text: str) -> None:
    assert fold(text.upper()) == fold(text.lower()) == fold(text)


@given(_everyday, _everyday)
@settings(max_examples=200)
def test_text_matches_itself_and_its_parts(a: str, b: str) -> None:
    assert matches(a, a)
    assert matches(a, a + " " + b)
    assert matches(a + " " + b, a, b)


@given(st.text(max_size=40))
@settings(max_examples=300)
def test_fold_output_is_normalised(text: str) -> None:
    once = fold(text)
    assert once == once.strip()
    assert "  " not in once
    assert not any(ch in once for ch in "ӘҒҚҢӨҰҮҺІЁәғқңөұүһіё")


@pytest.mark.parametrize("text", ["№ 5", "™", "𝐀", "ℌ"])
def test_fold_is_idempotent_on_compatibility_characters(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
