"""The flat `visits` form every statistic is computed from, and its dictionaries.

One row per booking or walk-in: a booked person who never came is a row with outcome
no_show and no floor times; a walk-in who left is a row with a left time. The same form
comes out of the generator and out of the database export, so the statistics, the
report and the pages never care where the data came from.
"""

from __future__ import annotations

from enum import StrEnum

CHANNELS = ("web", "bot", "call_centre", "door", "walk_in")
KINDS = ("booked", "walk_in")
OUTCOMES = ("served", "no_show", "left", "open")  # open: still on the floor at export


class Column(StrEnum):
    VISIT = "visit_id"
    CENTER = "center_id"
    SERVICE = "service_id"
    DAY = "day"
    CHANNEL = "channel"
    KIND = "kind"
    PRIVILEGED = "privileged"
    LEAD_DAYS = "lead_days"
    BOOKED_AT = "booked_at"
    SLOT_AT = "slot_at"
    ARRIVED_AT = "arrived_at"
    CALLED_AT = "called_at"
    STARTED_AT = "started_at"
    FINISHED_AT = "finished_at"
    LEFT_AT = "left_at"
    WINDOW = "window"
    OUTCOME = "outcome"


def sql_list(values: tuple[str, ...]) -> str:
    """A DuckDB list literal, to turn a small-int code into its name: list[code + 1]."""
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


# Waits and service times, in whole seconds, stored with each visit: statistics read two
# small integer columns instead of three timestamps, which keeps a national year fast.
MEASURES = ("CAST(epoch(started_at) - epoch(arrived_at) AS INTEGER) AS wait_s, "
            "CAST(epoch(finished_at) - epoch(started_at) AS INTEGER) AS service_s")


# Each sector's small-integer code: its rank among the data set's sectors in name order,
# so the code is defined by the services table alone and decodes against it at any time
# (the generator and the database export write the same table). Statistics group by the
# code where they can: DuckDB then aggregates into a directly indexed ("perfect") hash
# table, which makes exact wait quantiles by sector several times faster (stats.py).
SECTOR_CODES = ("(SELECT sector, CAST(row_number() OVER (ORDER BY sector) - 1 AS USMALLINT)"
                " AS sector_id FROM (SELECT DISTINCT sector FROM services))")

# The dimensions copied into each visit from the centres and services tables.
DENORMALISED = ("c.region AS region, c.city AS city, c.slug AS centre, s.sector AS sector, "
                "s.max_wait AS max_wait, sc.sector_id AS sector_id")
DIMENSION_JOINS = ("JOIN centres c ON c.center_id = visits.center_id "
                   "JOIN services s ON s.service_id = visits.service_id "
                   f"JOIN {SECTOR_CODES} sc ON sc.sector = s.sector")
