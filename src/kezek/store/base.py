"""The declarative base every table module builds on, and the clock the defaults read.

Kept apart from models.py so that the table modules (models_channels, models_identity,
models_jobs, models_release) import their base from here, not from models.py, which
imports them at its end to put every table in one metadata: no import cycle.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import JSON, MetaData, Table
from sqlalchemy.orm import DeclarativeBase

from kezek import clock
from kezek.store.types import UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Now, in UTC, from the one clock (kezek.clock), which a test may pin."""
    return clock.now()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UtcDateTime, dict[str, Any]: JSON, list[str]: JSON}

    if TYPE_CHECKING:
        # SQLAlchemy types it as any FromClause (a class may be mapped to a subquery);
        # every Kezek table is a declared Table, whose insert() and update() the
        # one-statement booking and the audit log use.
        __table__: ClassVar[Table]
