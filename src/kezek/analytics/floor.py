"""From the floor's own record (bookings, tickets, events) to the flat `visits` form.

Real data arrives this way: a booking row, a ticket for each arrival, and one event per
state change. The same SQL runs on generated data (written in that form too), so a test
can check that the pipeline gives back exactly the visits that were generated.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from kezek.analytics.dataset import VISITS_COMPRESSION, VISITS_ORDER, VISITS_ROW_GROUP
from kezek.analytics.schema import DENORMALISED, DIMENSION_JOINS, MEASURES

VISITS_FROM_FLOOR = f"""
SELECT visits.*, {MEASURES}, {DENORMALISED} FROM (
WITH ev AS (
    SELECT ticket_id,
           min("at") FILTER (WHERE kind = 'arrived') AS arrived_at,
           min("at") FILTER (WHERE kind = 'called') AS called_at,
           min("at") FILTER (WHERE kind = 'started') AS started_at,
           max("at") FILTER (WHERE kind = 'finished') AS finished_at,
           max("at") FILTER (WHERE kind IN ('left', 'no_show')) AS left_at,
           arg_max("window", "at") FILTER (WHERE kind = 'started') AS "window",
           bool_or(kind = 'no_show') AS no_show
    FROM events GROUP BY ticket_id
)
SELECT coalesce(t.booking_id, t.ticket_id) AS visit_id, t.center_id, t.service_id, t.day,
       coalesce(b.channel, t.channel) AS channel, t.kind, t.privileged,
       CAST(CASE WHEN b.booking_id IS NOT NULL
                 THEN date_diff('day', CAST(b.created_at + INTERVAL 5 HOUR AS DATE),
                                CAST(b.start_utc + INTERVAL 5 HOUR AS DATE)) END AS SMALLINT)
           AS lead_days,
       b.created_at AS booked_at, b.start_utc AS slot_at, ev.arrived_at, ev.called_at,
       ev.started_at, ev.finished_at,
       CASE WHEN ev.finished_at IS NULL THEN ev.left_at END AS left_at,
       CASE WHEN ev.finished_at IS NOT NULL THEN ev."window" END AS "window",
       CASE WHEN ev.finished_at IS NOT NULL THEN 'served'
            WHEN ev.no_show THEN 'no_show'
            WHEN ev.left_at IS NOT NULL THEN 'left' ELSE 'open' END AS outcome
FROM tickets t
LEFT JOIN ev ON ev.ticket_id = t.ticket_id
LEFT JOIN bookings b ON b.booking_id = t.booking_id
UNION ALL
SELECT b.booking_id, b.center_id, b.service_id,
       CAST(b.start_utc + INTERVAL 5 HOUR AS DATE), b.channel, 'booked', b.privileged,
       CAST(date_diff('day', CAST(b.created_at + INTERVAL 5 HOUR AS DATE),
                      CAST(b.start_utc + INTERVAL 5 HOUR AS DATE)) AS SMALLINT),
       b.created_at, b.start_utc, NULL, NULL, NULL, NULL, NULL, NULL, 'no_show'
FROM bookings b
WHERE b.status IN ('no_show', 'expired')
  AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.booking_id = b.booking_id)
) AS visits {DIMENSION_JOINS}
"""


def rebuild_visits(con: duckdb.DuckDBPyConnection, directory: Path) -> int:
    """Writes visits.parquet from the floor files (bookings, tickets, events) beside it.

    `con` must have views bookings, tickets, events, centres and services.
    """
    target = directory / "visits.parquet"
    # The generated data set's layout, so the real floor record aggregates as fast.
    con.execute(f"COPY ({VISITS_FROM_FLOOR} ORDER BY {VISITS_ORDER}) TO '{target}' "
                f"(FORMAT PARQUET, COMPRESSION {VISITS_COMPRESSION}, "
                f"ROW_GROUP_SIZE {VISITS_ROW_GROUP})")
    row = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()
    return int(row[0]) if row else 0
