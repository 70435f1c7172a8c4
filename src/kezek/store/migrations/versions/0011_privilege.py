"""privilege: a claim's status on bookings, tickets and waitlist entries

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02 00:50:00

Nullable columns only, added in place (no table copy on SQLite, so the booking-block
trigger of 0007 stays). Existing privileged bookings and tickets predate checking: they
get the claim they carry and `claimed`, so the door checks them like any new claim.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0009'
branch_labels = None
depends_on = None

COLUMNS = {
    'bookings': ('privilege_claim', 'privilege_status'),
    'tickets': ('privilege_claim', 'privilege_status'),
    'waitlist_entries': ('privilege_status',),
}


def upgrade() -> None:
    for table, names in COLUMNS.items():
        for name in names:
            op.add_column(table, sa.Column(name, sa.String(length=16), nullable=True))
    for table in ('bookings', 'tickets'):
        op.execute(f"UPDATE {table} SET privilege_claim = privilege, "
                   f"privilege_status = 'claimed' WHERE privilege IS NOT NULL")
    op.execute("UPDATE waitlist_entries SET privilege_status = 'claimed' "
               "WHERE privilege IS NOT NULL")


def downgrade() -> None:
    for table, names in COLUMNS.items():
        for name in reversed(names):
            op.drop_column(table, name)
