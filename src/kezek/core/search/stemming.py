"""Word stems for Russian, English and Kazakh.

Russian and English use the Snowball stemmers (the `snowballstemmer` package, the
same algorithms as PostgreSQL's and SQLite's full-text search). Snowball has no
Kazakh, and no kept Kazakh stemmer exists on PyPI, so Kazakh gets its own suffix
rules: the language is agglutinative and regular, so stripping case, possessive,
plural and a few derivational endings (in folded spelling, see `words`) brings
"тіркеуге", "тіркеуді" and "тіркеу" to one stem. A Cyrillic query word may be either
language, so it yields both stems and the index decides which one exists.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

from kezek.core.text import fold

_RU = snowballstemmer.stemmer("russian")
_EN = snowballstemmer.stemmer("english")

# Folded Kazakh endings (ә→а, і→и, қ→к, ғ→г, ң→н, ө→о, ұ/ү→у), longest first within a
# pass. Case endings and possessives stack on plurals and derivations, so up to three
# passes run, each stripping at most one ending.
_KK_ENDINGS = tuple(sorted({
    # plural
    "лар", "лер", "дар", "дер", "тар", "тер",
    # genitive, accusative, dative, locative, ablative, instrumental
    "нын", "нин", "дын", "дин", "тын", "тин", "ны", "ни", "ды", "ди", "ты", "ти",
    "га", "ге", "ка", "ке", "на", "не", "нда", "нде", "да", "де", "та", "те",
    "дан", "ден", "тан", "тен", "нан", "нен", "мен", "бен", "пен",
    # possessive
    "ымыз", "имиз", "мыз", "миз", "ын", "ин", "сы", "си", "ым", "им", "ы", "и",
    # derivational: -лық (an abstract noun of), -шы (a doer), -лы (having)
    "лык", "лик", "дык", "дик", "тык", "тик", "шы", "ши", "лы", "ли",
}, key=len, reverse=True))


@lru_cache(maxsize=65536)
def russian(word: str) -> str:
    """The Snowball stem of a Russian word, folded to the index's spelling."""
    return fold(_RU.stemWord(word.replace("ё", "е")))


@lru_cache(maxsize=65536)
def english(word: str) -> str:
    return str(_EN.stemWord(word))


@lru_cache(maxsize=65536)
def kazakh(word: str) -> str:
    """A folded Kazakh word without its endings; at least two letters are kept."""
    stem = fold(word)
    for _ in range(3):
        for ending in _KK_ENDINGS:
            if stem.endswith(ending) and len(stem) - len(ending) >= 2:
                stem = stem[: -len(ending)]
                break
        else:
            break
    return stem


def stem(word: str, lang: str) -> str:
    """The stem of a word of a known language (a registry name or alias)."""
    if lang == "kk":
        return kazakh(word)
    if lang == "en" or word.isascii():
        return english(word)
    return russian(word)


def query_stems(word: str) -> tuple[tuple[str, str], ...]:
    """(language, stem) for every language a typed word may be in: Latin letters are
    English, Cyrillic ones Russian or Kazakh (the index knows which stem exists)."""
    if word.isascii():
        return (("en", english(word)),)
    return (("ru", russian(word)), ("kk", kazakh(word)))
