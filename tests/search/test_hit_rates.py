"""How often the right service is first, or among the first three, for citizens' words.

`eval_queries.json` (794 queries, kk/ru/en) was written without sight of the
registry's aliases, so it measures the engine and its data, not their fit to it;
`sample_queries.json` is the issue's sample; `issue_queries.json` the queries the
issue found failing. Each set must hold the targets: top-3 >= 95 %, top-1 >= 80 %.
"""

from __future__ import annotations

from typing import Any

import pytest

from kezek.core.search.index import SearchIndex
from tests.search.conftest import queries
from tests.search.typos import slip


def rates(index: SearchIndex, items: list[dict[str, Any]]) -> tuple[float, float, list[str]]:
    top1 = top3 = 0
    misses = []
    for item in items:
        codes = [h.service.code for h in index.query(item["q"])][:3]
        top1 += bool(codes) and codes[0] in item["expect"]
        hit = any(c in item["expect"] for c in codes)
        top3 += hit
        if not hit:
            misses.append(f"{item['q']!r} -> {codes}, expected {item['expect']}")
    return top1 / len(items), top3 / len(items), misses


@pytest.mark.parametrize("name", ["eval_queries.json", "sample_queries.json",
                                  "issue_queries.json"])
def test_targets_hold(index: SearchIndex, name: str) -> None:
    items = queries(name)
    top1, top3, misses = rates(index, items)
    assert top3 >= 0.95, (top3, misses[:20])
    assert top1 >= 0.80, top1


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_language_holds_the_target(index: SearchIndex, lang: str) -> None:
    items = [q for q in queries("eval_queries.json") if q["lang"] == lang]
    assert len(items) >= 100
    top1, top3, misses = rates(index, items)
    assert top3 >= 0.95 and top1 >= 0.80, (lang, top1, top3, misses[:10])


def test_one_typing_slip_in_every_query_still_finds_the_service(index: SearchIndex) -> None:
    items = [{**q, "q": slip(q["q"], i)} for i, q in enumerate(queries("eval_queries.json"))]
    slipped = [q for q, orig in zip(items, queries("eval_queries.json"), strict=True)
               if q["q"] != orig["q"]]
    assert len(slipped) > 600
    top1, top3, misses = rates(index, slipped)
    assert top3 >= 0.95, (top3, misses[:20])
    assert top1 >= 0.85


def test_the_issues_failing_queries_now_lead_with_the_right_service(
        index: SearchIndex) -> None:
    for item in queries("issue_queries.json"):
        first = index.query(item["q"])[0].service
        assert first.code in item["expect"], (item["q"], first.code, first.names.ru)


def test_whole_words_rank_before_parts_of_words(index: SearchIndex) -> None:
    # "car" is a whole word of vehicle services and only the start of "card".
    assert index.query("car")[0].service.sector.value == "vehicle"
    # "права" (a driving licence) is inside "справка": the licence comes first and the
    # certificates do not flood the list as they did (37 results).
    found = [h.service.code for h in index.query("права")]
    assert all(code.startswith("0501") for code in found[:5]), found
    assert "01020004" not in found  # "адресная справка", which once led the list
