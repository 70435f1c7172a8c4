"""Text folding for search: case- and accent-insensitive across Kazakh, Russian and English.

People type Kazakh without its special letters on a Russian keyboard (қ as к, ү as у),
and Russian with е for ё; search must find a service either way.
"""

from __future__ import annotations

import unicodedata

_KAZAKH_FOLD = str.maketrans({
    "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
    "ё": "е", "й": "и",
})


def fold(text: str) -> str:
    """Lower-cases, strips accents, maps Kazakh-specific letters to their nearest plain ones."""
    lowered = text.casefold().translate(_KAZAKH_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # NFKD can produce capitals (№ -> No), so fold case again after decomposing.
    return " ".join(stripped.casefold().translate(_KAZAKH_FOLD).split())


def matches(query: str, *haystacks: str) -> bool:
    """True when every word of the query occurs in the folded haystacks."""
    words = fold(query).split()
    if not words:
        return True
    folded = " ".join(fold(h) for h in haystacks)
    return all(word in folded for word in words)
