"""Privilege claims in a data set exported from the floor (`kezek data export`).

The floor form's bookings and tickets carry the claim as made (`privilege_claim`) and
where it stands (`privilege_status`: verified by the registry at booking, claimed and not
yet checked, confirmed or rejected by door staff). A visit is counted once: its booking,
or the walk-in ticket that has no booking. A generated data set has no claims (the
columns are empty), and the table is then left out of the report.
"""

from __future__ import annotations

from typing import Any

import duckdb

from kezek.analytics.stats import Filter, Table

COLUMNS = ["centre", "privilege", "claims", "verified", "confirmed", "rejected", "open"]

_VISITS = """
SELECT b.center_id, CAST(b.start_utc + INTERVAL 5 HOUR AS DATE) AS day,
       b.privilege_claim AS claim, b.privilege_status AS status
FROM bookings b WHERE b.privilege_claim IS NOT NULL
UNION ALL
SELECT t.center_id, t.day, t.privilege_claim, t.privilege_status
FROM tickets t WHERE t.privilege_claim IS NOT NULL AND t.booking_id IS NULL
"""


def _has_claims(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the data set has the floor form with the claim columns (an older export
    or a flat-only data set has not)."""
    for name in ("bookings", "tickets"):
        try:
            cols = {r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()}
        except duckdb.Error:
            return False
        if "privilege_claim" not in cols:
            return False
    return True


def claims(con: duckdb.DuckDBPyConnection, flt: Filter = Filter()) -> Table:
    """Claims, verified, confirmed, rejected and open, per centre (slug) and privilege."""
    title = "privilege claims"
    if not _has_claims(con):
        return Table(title, COLUMNS, [])
    where, params = ["TRUE"], []
    for clause, value in (("v.day >= ?", flt.start), ("v.day <= ?", flt.end),
                          ("c.region = ?", flt.region), ("c.city = ?", flt.city),
                          ("c.slug = ?", flt.centre)):
        if value is not None:
            where.append(clause)
            params.append(value)
    rows: list[tuple[Any, ...]] = con.execute(f"""
        SELECT c.slug, v.claim, count(*),
               count(*) FILTER (WHERE v.status = 'verified'),
               count(*) FILTER (WHERE v.status = 'confirmed'),
               count(*) FILTER (WHERE v.status = 'rejected'),
               count(*) FILTER (WHERE v.status = 'claimed')
        FROM ({_VISITS}) v JOIN centres c ON c.center_id = v.center_id
        WHERE {' AND '.join(where)}
        GROUP BY c.slug, v.claim ORDER BY c.slug, v.claim""", params).fetchall()
    return Table(title, COLUMNS, rows)
