"""Migrations build exactly the schema the models describe, on both databases, and undo."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from kezek.store.db import make_engine
from kezek.store.migrate import alembic_config
from kezek.store.models import Base


async def _diff(url: str) -> list[object]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    finally:
        await engine.dispose()


def test_models_match_migrations(db_url: str) -> None:
    diff = asyncio.run(_diff(db_url))
    assert diff == [], diff


def test_downgrade_and_upgrade_again(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    cfg = alembic_config(url)
    command.upgrade(cfg, "head")
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")
    assert asyncio.run(_diff(url)) == []
