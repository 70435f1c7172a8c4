"""The search engine over the shipped demo registry, built once for the module."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kezek.core.registry import Names
from kezek.core.registry_io import registry_document
from kezek.core.search.index import SearchIndex
from kezek.planning.demo import demo_document

HERE = Path(__file__).parent


def queries(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((HERE / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def index() -> SearchIndex:
    services, situations = registry_document(demo_document("registry.json"))
    return SearchIndex(services, situations)


@pytest.fixture(scope="session")
def situations() -> dict[str, Names]:
    return registry_document(demo_document("registry.json"))[1]
