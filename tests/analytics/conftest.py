"""A small generated data set shared by the analytics tests (generated once per session)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kezek.analytics.dataset import write_generated
from kezek.analytics.generate import Generated, centres_from_document, generate
from kezek.app.demo import demo_document
from kezek.core.registry_io import service_from_dict

START = dt.date(2026, 1, 1)


def demo_inputs() -> tuple[list, list, frozenset[dt.date]]:  # type: ignore[type-arg]
    net, reg = demo_document("network.json"), demo_document("registry.json")
    holidays = frozenset(dt.date.fromisoformat(h["date"]) for h in net["holidays"])
    return (centres_from_document(net), [service_from_dict(s) for s in reg["services"]],
            holidays)


def small(seed: int = 3, months: float = 2, scale: float = 0.004) -> Generated:
    centres, services, holidays = demo_inputs()
    return generate(centres, services, months=months, seed=seed, start=START,
                    holidays=holidays, scale=scale)


@pytest.fixture(scope="session")
def generated() -> Generated:
    return small()


@pytest.fixture(scope="session")
def dataset(generated: Generated, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("national")
    write_generated(generated, directory, seed=3, months=2, scale=0.004)
    return directory
