"""bookings.end_utc: a visit holds its seat over a block of slots

Revision ID: 0007
Revises: 0006

A service whose standard takes longer than the centre's slot (30 minutes on a 15-minute
grid) holds one window seat over consecutive slots. The unique index on (window, start,
seat) only sees equal starts, so overlapping blocks are refused by a second referee:

- PostgreSQL: an exclusion constraint over (window, seat, [start, end)) for the holding
  statuses (btree_gist gives the equality operators to GiST). `INSERT ... ON CONFLICT
  DO NOTHING` treats its violations as conflicts, so the seat search stays as it is.
- SQLite: a BEFORE INSERT trigger that drops (RAISE(IGNORE)) a holding row whose block
  overlaps one already held on that seat; the insert then returns no row, exactly like
  ON CONFLICT DO NOTHING. SQLite has a single writer, so the check cannot race. An
  UPDATE that would make a row overlap (a move in place, a status back into holding)
  is aborted, as PostgreSQL's constraint does.

Existing bookings get end_utc = start + their centre's slot length (one slot).
"""
import sqlalchemy as sa
from alembic import op

import kezek.store.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

HOLDING = "status IN ('active', 'checked_in', 'held')"
SQLITE_TRIGGER = f"""
CREATE TRIGGER trg_bookings_seat_block BEFORE INSERT ON bookings
FOR EACH ROW WHEN NEW.{HOLDING}
BEGIN
    SELECT RAISE(IGNORE) FROM bookings b
    WHERE b.window_id = NEW.window_id AND b.seat = NEW.seat AND b.{HOLDING}
      AND b.start_utc < NEW.end_utc AND b.end_utc > NEW.start_utc;
END
"""
SQLITE_UPDATE_TRIGGER = f"""
CREATE TRIGGER trg_bookings_seat_block_update
BEFORE UPDATE OF status, window_id, seat, start_utc, end_utc ON bookings
FOR EACH ROW WHEN NEW.{HOLDING}
BEGIN
    SELECT RAISE(ABORT, 'ex_bookings_seat_block: the block overlaps one held on its seat')
    FROM bookings b
    WHERE b.id != NEW.id AND b.window_id = NEW.window_id AND b.seat = NEW.seat
      AND b.{HOLDING} AND b.start_utc < NEW.end_utc AND b.end_utc > NEW.start_utc;
END
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("end_utc", kezek.store.types.UtcDateTime(), nullable=True))
    if dialect == "postgresql":
        op.execute("UPDATE bookings SET end_utc = bookings.start_utc"
                   " + c.slot_minutes * interval '1 minute'"
                   " FROM centers c WHERE c.id = bookings.center_id")
    else:  # SQLAlchemy's SQLite format: 'YYYY-MM-DD HH:MM:SS.ffffff'
        op.execute("UPDATE bookings SET end_utc = strftime('%Y-%m-%d %H:%M:%f', start_utc,"
                   " '+' || (SELECT c.slot_minutes FROM centers c"
                   " WHERE c.id = bookings.center_id) || ' minutes') || '000'")
    with op.batch_alter_table("bookings") as batch:
        batch.alter_column("end_utc", existing_type=kezek.store.types.UtcDateTime(),
                           nullable=False)
        batch.create_check_constraint(op.f("ck_bookings_block"), "end_utc > start_utc")
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute("ALTER TABLE bookings ADD CONSTRAINT ex_bookings_seat_block EXCLUDE"
                   " USING gist (window_id WITH =, seat WITH =,"
                   f" tsrange(start_utc, end_utc) WITH &&) WHERE ({HOLDING})")
    else:
        op.execute(SQLITE_TRIGGER)
        op.execute(SQLITE_UPDATE_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE bookings DROP CONSTRAINT ex_bookings_seat_block")
    else:
        op.execute("DROP TRIGGER trg_bookings_seat_block_update")
        op.execute("DROP TRIGGER trg_bookings_seat_block")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_constraint(op.f("ck_bookings_block"), type_="check")
        batch.drop_column("end_utc")
