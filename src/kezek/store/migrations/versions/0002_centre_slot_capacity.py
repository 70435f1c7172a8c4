"""Centre-wide people per slot (the small-group limit) as a second unique seat.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

HOLDING = "status IN ('active', 'checked_in') AND center_seat IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("centers") as batch:
        batch.add_column(sa.Column("slot_capacity", sa.Integer(), nullable=True))
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("center_seat", sa.Integer(), nullable=True))
        batch.create_index("uq_bookings_center_seat", ["center_id", "start_utc", "center_seat"],
                           unique=True, sqlite_where=sa.text(HOLDING),
                           postgresql_where=sa.text(HOLDING))


def downgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.drop_index("uq_bookings_center_seat")
        batch.drop_column("center_seat")
    with op.batch_alter_table("centers") as batch:
        batch.drop_column("slot_capacity")
