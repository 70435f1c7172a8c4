"""What the engine does to words before it compares them, and queries that find nothing."""

from __future__ import annotations

from kezek.core.search.index import SearchIndex
from kezek.core.search.stemming import kazakh, query_stems, russian
from kezek.core.search.words import content_words, words


def test_latin_look_alike_letters_inside_a_cyrillic_word_are_mended() -> None:
    # Latin "o" (U+006F) and "a" (U+0061) typed inside Russian words.
    assert words("пoдключить электричествo") == ["подключить", "электричество"]
    assert words("пaспорт") == ["паспорт"]
    # A word wholly in Latin letters stays English.
    assert words("Passport") == ["passport"]


def test_kazakh_typed_without_its_letters_meets_kazakh_written_properly() -> None:
    assert words("тиркеу") == words("тіркеу")
    assert kazakh("тіркеуге") == kazakh("тіркеуді") == kazakh("тіркеу")
    assert kazakh("иттерді") == kazakh("итті") == "ит"
    assert kazakh("анықтамасы") == kazakh("анықтама")


def test_russian_inflections_meet_at_one_stem() -> None:
    assert russian("справку") == russian("справки") == russian("справка")
    assert russian("удостоверения") == russian("удостоверение")


def test_a_cyrillic_word_is_tried_as_russian_and_as_kazakh() -> None:
    assert [lang for lang, _ in query_stems("паспорт")] == ["ru", "kk"]
    assert [lang for lang, _ in query_stems("passport")] == ["en"]


def test_stopwords_are_dropped_unless_nothing_else_is_left() -> None:
    assert content_words("мне нужна справка о несудимости") == ["справка", "несудимости"]
    assert content_words("и") == ["и"]


def test_nonsense_punctuation_and_lone_letters_find_nothing(index: SearchIndex) -> None:
    for q in ("qwertyuiop", "zzzz", "%", "\x00", "а", "!!!", "", "   "):
        assert index.query(q) == [], q


def test_a_code_or_its_first_digits_list_by_code(index: SearchIndex) -> None:
    assert [h.service.code for h in index.query("05020001")] == ["05020001"]
    found = [h.service.code for h in index.query("0503")]
    assert found == sorted(found) and found and all(c.startswith("0503") for c in found)


def test_an_alias_finds_its_service_in_every_language(index: SearchIndex) -> None:
    assert index.query("ЭЦП")[0].service.code == "01040001"
    assert index.query("ЭЦҚ")[0].service.code == "01040001"
    assert index.query("прописка")[0].service.code == "01020001"
