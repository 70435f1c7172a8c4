"""fair release: held-back seats, ballot entries and draws

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 00:50:00

`bookings.hold_until` is added in place (SQLite's ALTER TABLE ADD COLUMN), not through
a batch copy of the table, which would drop the SQLite overlap triggers of 0007.
"""
import sqlalchemy as sa
from alembic import op

import kezek.store.types

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('bookings', sa.Column('hold_until', kezek.store.types.UtcDateTime(),
                                        nullable=True))
    op.create_table(
        'ballot_entries',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('iin_masked', sa.String(length=12), nullable=False),
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('service_code', sa.String(length=8), nullable=False),
        sa.Column('privilege', sa.String(length=16), nullable=True),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.Column('won_choice', sa.Integer(), nullable=True),
        sa.Column('telegram_chat_id', sa.BigInteger(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('lang', sa.String(length=2), nullable=False),
        sa.Column('notified_at', kezek.store.types.UtcDateTime(), nullable=True),
        sa.Column('created_at', kezek.store.types.UtcDateTime(), nullable=False),
        sa.Column('updated_at', kezek.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'],
                                name=op.f('fk_ballot_entries_booking_id_bookings')),
        sa.ForeignKeyConstraint(['center_id'], ['centers.id'],
                                name=op.f('fk_ballot_entries_center_id_centers')),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'],
                                name=op.f('fk_ballot_entries_person_id_persons')),
        sa.ForeignKeyConstraint(['service_code'], ['services.code'],
                                name=op.f('fk_ballot_entries_service_code_services')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_entries')),
        sa.UniqueConstraint('code', name=op.f('uq_ballot_entries_code')),
    )
    op.create_index('uq_ballot_entries_person_day', 'ballot_entries',
                    ['person_id', 'center_id', 'day'], unique=True)
    op.create_index('ix_ballot_entries_day', 'ballot_entries', ['center_id', 'day', 'status'])
    op.create_table(
        'ballot_draws',
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('drawn_at', kezek.store.types.UtcDateTime(), nullable=False),
        sa.Column('entries', sa.Integer(), nullable=False),
        sa.Column('won', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['center_id'], ['centers.id'],
                                name=op.f('fk_ballot_draws_center_id_centers')),
        sa.PrimaryKeyConstraint('center_id', 'day', name=op.f('pk_ballot_draws')),
    )


def downgrade() -> None:
    op.drop_table('ballot_draws')
    op.drop_index('ix_ballot_entries_day', table_name='ballot_entries')
    op.drop_index('uq_ballot_entries_person_day', table_name='ballot_entries')
    op.drop_table('ballot_entries')
    # In place on SQLite too (3.35+): a batch copy would drop the 0007 triggers.
    op.execute('ALTER TABLE bookings DROP COLUMN hold_until')
