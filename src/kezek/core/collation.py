"""Alphabetical order as a reader of Kazakh, Russian or English expects it.

Sorting by code point puts every Kazakh letter (Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І) after Я and
Ё after Я as well; sorting by the Latin slug put "Уральск" (`oral`) between "Кызылорда"
and "Павлодар". Babel carries no collation and ICU is a large native dependency for a
few lists of names, so the two Cyrillic alphabets are spelt out here, in their official
order (Kazakh: the 42-letter Cyrillic alphabet of 1940 as taught today; Russian: the 33
letters), and a name sorts by its letters' places, case-insensitively, digits first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
KK = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyz"
_ORDERS = {"ru": RU, "kk": KK}


def _ranks(alphabet: str) -> dict[str, int]:
    """Spaces and hyphens, digits, the language's own alphabet, the other scripts'."""
    order = " -0123456789" + alphabet + "".join(
        c for c in LATIN + KK + RU if c not in alphabet)
    return {c: n for n, c in enumerate(dict.fromkeys(order))}


_RANKS = {lang: _ranks(_ORDERS.get(lang, LATIN)) for lang in ("kk", "ru", "en")}


def sort_key(text: str, lang: str) -> tuple[tuple[int, int], ...]:
    """A key that orders `text` alphabetically for a reader of `lang` (kk, ru, en).

    A space or hyphen comes before every letter (word by word: "Нур-Султан" before
    "Нура"); other characters come after the alphabets, by code point.
    """
    ranks = _RANKS.get(lang, _RANKS["ru"])
    base = len(ranks)
    return tuple((ranks[c], 0) if c in ranks else (base, ord(c)) for c in text.casefold())


def sorted_by_name(items: Iterable[T], name: Callable[[T], str], lang: str) -> list[T]:
    """The items in the alphabetical order of their names in `lang`."""
    return sorted(items, key=lambda item: sort_key(name(item), lang))
