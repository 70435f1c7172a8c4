"""Typing slips made on purpose, the same every run: one per query, in its longest word."""

from __future__ import annotations

import random

# Neighbouring keys on the Russian and Kazakh layouts: the slip a thumb makes.
_NEIGHBOURS = {
    "а": "вп", "о": "лр", "е": "кн", "и": "мт", "с": "чм", "т": "иь", "р": "по", "н": "ег",
    "л": "од", "в": "ыа", "к": "уе", "м": "си", "п": "ар", "д": "лж", "у": "цк", "з": "щх",
    "a": "sq", "e": "wr", "i": "uo", "o": "ip", "n": "bm", "r": "et", "s": "ad", "t": "ry",
}


def slip(query: str, seed: int) -> str:
    """The query with one letter dropped, doubled, swapped or hit next to, in its longest
    word (words under six letters are left alone: one slip there is another word)."""
    rnd = random.Random(seed)
    words = query.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 6:
        return query
    at = rnd.randrange(1, len(word) - 1)
    kind = rnd.choice(("drop", "double", "swap", "near"))
    if kind == "drop":
        word = word[:at] + word[at + 1:]
    elif kind == "double":
        word = word[:at] + word[at] + word[at:]
    elif kind == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    else:
        near = _NEIGHBOURS.get(word[at].lower())
        word = word[:at] + (rnd.choice(near) if near else word[at]) + word[at + 1:]
    words[longest] = word
    return " ".join(words)
