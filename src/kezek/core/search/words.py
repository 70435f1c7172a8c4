"""Query and name text cut into comparable words.

People type on whatever keyboard is at hand: Kazakh without its letters (қ as к), a
Latin "o" or "p" inside a Cyrillic word (the keys share a place), ё as е, hyphens and
punctuation anywhere. Every word is folded to one form before it is stemmed.
"""

from __future__ import annotations

import re

from kezek.core.text import fold

# Latin letters that look like (and on a phone keyboard sit near) Cyrillic ones: in a
# word that also holds Cyrillic they are typing slips, not English.
_LOOKALIKE = str.maketrans({
    "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к",
    "m": "м", "t": "т", "b": "в", "h": "н", "i": "і",
})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Words that carry no meaning for finding a service; dropped before ranking so that
# "мне нужна справка о..." is judged by its content words only.
_STOPWORD_TEXT = """
и в во на с со к ко о об обо от до по за из у для что чтобы как мне меня я мы нам
нужно нужна нужен нужны надо хочу хотим можно где куда когда или а но же ли бы это
этот эта мой моя мое мои свой свою его ее их уже ещё еще какой какая какие
пожалуйста помогите делать сделать
және мен үшін бойынша қалай керек қажет бар жоқ мені менің біз бізге осы сол не
ма ме ба бе па пе қайда қашан немесе
the a an my our for of to i we me in on at how do does can what where is are want
need please with from by and or
"""
STOPWORDS = frozenset(fold(w) for w in _STOPWORD_TEXT.split())


def words(text: str) -> list[str]:
    """The folded words of `text`, look-alike Latin letters mended, stopwords kept."""
    out = []
    for raw in _WORD.findall(text.casefold()):
        if _CYRILLIC.search(raw):
            raw = raw.translate(_LOOKALIKE)
        out.append(fold(raw))
    return [w for w in out if w]


def content_words(text: str) -> list[str]:
    """`words` without the stopwords; all of them if nothing else is left."""
    all_words = words(text)
    kept = [w for w in all_words if w not in STOPWORDS]
    return kept or all_words
