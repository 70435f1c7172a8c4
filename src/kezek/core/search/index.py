"""The in-memory index over the registry and its ranking.

A document is a service: its names and everyday names (aliases) in three languages,
and the name of its life situation. A query word matches an index word exactly (by
stem), as the start of a longer word, or within one or two typing errors (rapidfuzz's
Levenshtein distance over the vocabulary); rarer words weigh more (idf). A service is
ranked by how much of the query it explains, whole words before partial ones, and a
whole everyday name found in the query lifts it above services that only share words.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kezek.core.registry import LANGS, Names, Service
from kezek.core.search.stemming import query_stems, stem
from kezek.core.search.words import content_words, words

EXACT, PREFIX, SHORT_PREFIX, TYPO = 1.0, 0.7, 0.35, 0.6
# Where a word was found: an everyday name is as telling as the official one; the
# life situation's name only hints.
NAME, ALIAS, SITUATION = 1.0, 1.0, 0.35
PHRASE_BONUS = 0.6  # per whole alias found in the query, times the query's weight
KEEP_RATIO = 0.3  # results scoring under this share of the best are noise


@dataclass(slots=True)
class _Doc:
    service: Service
    weights: dict[str, float] = field(default_factory=dict)  # stem -> best field weight
    phrases: list[frozenset[str]] = field(default_factory=list)  # aliases as stem sets

    def add(self, term: str, weight: float) -> None:
        if weight > self.weights.get(term, 0.0):
            self.weights[term] = weight


def _terms(text: str, lang: str) -> list[tuple[str, str]]:
    """(surface word, index term) pairs; the term is the stem tagged with its language,
    so that a Kazakh ending cut from a Russian word ("участка" -> "участ") never meets a
    Russian stem. Surface words are kept for typo matching: a slip is made in the word
    as typed, and a stemmer cuts a misspelt ending differently."""
    return [(f"{lang}:{w}", f"{lang}:{stem(w, lang)}") for w in words(text)]


@dataclass(frozen=True, slots=True)
class Hit:
    service: Service
    score: float


class SearchIndex:
    """Built once per catalog version; `query` is pure and safe to share."""

    def __init__(self, services: Iterable[Service],
                 situations: Mapping[str, Names] | None = None) -> None:
        self._docs: list[_Doc] = []
        surface: dict[str, set[str]] = {}
        situations = situations or {}

        def add(doc: _Doc, text: str, lang: str, weight: float) -> list[str]:
            pairs = _terms(text, lang)
            for word, term in pairs:
                doc.add(term, weight)
                surface.setdefault(word, set()).add(term)
            return [term for _, term in pairs]

        for service in services:
            doc = _Doc(service)
            for lang in LANGS:
                add(doc, getattr(service.names, lang), lang, NAME)
                for alias in getattr(service.aliases, lang):
                    terms = add(doc, alias, lang, ALIAS)
                    if terms:
                        doc.phrases.append(frozenset(terms))
                names = situations.get(service.situation)
                if names is not None:
                    add(doc, getattr(names, lang), lang, SITUATION)
            self._docs.append(doc)
        self._surface = surface
        self._surface_by_lang: dict[str, list[str]] = {}
        for word in sorted(surface):
            self._surface_by_lang.setdefault(word[:2], []).append(word)
        postings: dict[str, list[int]] = {}
        for i, doc in enumerate(self._docs):
            for term in doc.weights:
                postings.setdefault(term, []).append(i)
        self._postings = postings
        self._vocab = sorted(postings)
        n = max(1, len(self._docs))
        self._idf = {t: math.log(1 + n / len(ids)) for t, ids in postings.items()}
        self._codes = {d.service.code: i for i, d in enumerate(self._docs)}
        self._match = lru_cache(maxsize=8192)(self._match_uncached)

    def __len__(self) -> int:
        return len(self._docs)

    def _match_uncached(self, word: str) -> tuple[tuple[str, float], ...]:
        """Index words a query word stands for, each with how well it matches."""
        found: dict[str, float] = {}
        candidates = [f"{lang}:{s}" for lang, s in query_stems(word)]
        for s in candidates:
            if s in self._postings:
                found[s] = EXACT
            if len(s) >= 6:  # three letters after the "xx:" tag
                quality = PREFIX if len(s) >= 7 else SHORT_PREFIX
                at = bisect.bisect_left(self._vocab, s)
                while at < len(self._vocab) and self._vocab[at].startswith(s):
                    term = self._vocab[at]
                    if term != s and found.get(term, 0.0) < quality:
                        found[term] = quality
                    at += 1
        exact = any(q == EXACT for q in found.values())
        if len(word) >= (6 if exact else 4):
            # One slip in a word of up to six letters, two in a longer one; a swap of
            # neighbours counts as one (optimal string alignment distance).
            limit = 1 if len(word) < 7 else 2
            for lang in {c[:2] for c in candidates}:
                for typed, distance, _ in process.extract(
                        f"{lang}:{word}", self._surface_by_lang.get(lang, ()),
                        scorer=OSA.distance, score_cutoff=limit, limit=8):
                    quality = TYPO - 0.1 * float(distance - 1)
                    for term in self._surface[typed]:
                        if found.get(term, 0.0) < quality:
                            found[term] = quality
        return tuple(found.items())

    def query(self, text: str, limit: int = 50) -> list[Hit]:
        """Services for `text`, best first; a code or its leading digits lists by code."""
        plain = "".join(text.split())
        if plain.isdigit():
            return [Hit(d.service, 1.0) for d in self._docs
                    if d.service.code.startswith(plain)][:limit]
        # A lone letter finds everything and means nothing.
        query = [w for w in dict.fromkeys(content_words(text)) if len(w) > 1 or w.isdigit()]
        if not query:
            return []
        matches = [self._match(w) for w in query]
        weight = [max((self._idf[t] for t, _ in m), default=0.0) for m in matches]
        total = sum(weight) or 1.0
        scores: dict[int, float] = {}
        explained: dict[int, float] = {}
        seen_terms: dict[int, set[str]] = {}
        for m, w in zip(matches, weight, strict=True):
            best: dict[int, float] = {}
            for term, quality in m:
                value = quality * self._idf[term]
                for i in self._postings[term]:
                    v = value * self._docs[i].weights[term]
                    if v > best.get(i, 0.0):
                        best[i] = v
                    seen_terms.setdefault(i, set()).add(term)
            for i, v in best.items():
                scores[i] = scores.get(i, 0.0) + v
                explained[i] = explained.get(i, 0.0) + w
        if not scores:
            return []
        ranked: dict[int, float] = {}
        for i, s in scores.items():
            coverage = explained[i] / total
            bonus = sum(PHRASE_BONUS * total for p in self._docs[i].phrases
                        if p <= seen_terms[i]) if self._docs[i].phrases else 0.0
            ranked[i] = (s + min(bonus, PHRASE_BONUS * total * 2)) * (0.25 + 0.75 * coverage ** 2)
        top = max(ranked.values())
        order = sorted((i for i, s in ranked.items() if s >= KEEP_RATIO * top),
                       key=lambda i: (-ranked[i], self._docs[i].service.code))
        return [Hit(self._docs[i].service, round(ranked[i], 4)) for i in order[:limit]]
