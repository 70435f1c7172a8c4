"""abuse view: booking origins in columns, no-show suspension lifts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:50:00.000000

The origin of a booking (client address, its network, the proven phone's digest, the
local day it was made) moves out of the audit row's JSON into indexed columns, so that
a day's bookings can be grouped by any of them without reading JSON. Bookings made
before this migration have no origin columns (the audit rows still hold it).
"""
import sqlalchemy as sa
from alembic import op

import kezek.store.types

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

MISSED_SQL = "status IN ('no_show', 'expired')"


def upgrade() -> None:
    # Plain ALTER TABLE, not batch mode: a batch rebuild of `bookings` on SQLite would
    # drop the seat-block triggers of migration 0007 (SQLite 3.35+ drops columns itself).
    op.add_column('bookings', sa.Column('origin_addr', sa.String(length=45), nullable=True))
    op.add_column('bookings', sa.Column('origin_net', sa.String(length=49), nullable=True))
    op.add_column('bookings', sa.Column('origin_phone', sa.String(length=16), nullable=True))
    op.add_column('bookings', sa.Column('made_on', sa.Date(), nullable=True))
    op.create_index('ix_bookings_made_phone', 'bookings', ['made_on', 'origin_phone'])
    op.create_index('ix_bookings_made_addr', 'bookings', ['made_on', 'origin_addr'])
    op.create_index('ix_bookings_made_net', 'bookings', ['made_on', 'origin_net'])
    op.create_index('ix_bookings_missed', 'bookings', ['start_utc'],
                    sqlite_where=sa.text(MISSED_SQL), postgresql_where=sa.text(MISSED_SQL))
    op.add_column('persons', sa.Column('no_show_cleared_at', kezek.store.types.UtcDateTime(),
                                       nullable=True))


def downgrade() -> None:
    op.drop_column('persons', 'no_show_cleared_at')
    op.drop_index('ix_bookings_missed', table_name='bookings')
    op.drop_index('ix_bookings_made_net', table_name='bookings')
    op.drop_index('ix_bookings_made_addr', table_name='bookings')
    op.drop_index('ix_bookings_made_phone', table_name='bookings')
    for column in ('made_on', 'origin_phone', 'origin_net', 'origin_addr'):
        op.drop_column('bookings', column)
