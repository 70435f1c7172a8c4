"""sms notices: the proven number, sealed, beside a booking's contact and an entry's

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 19:20:00

Each column holds AES-GCM ciphertext (app.identity.notice_phone, sealing.seal_phone for
the challenge), never a number. Added and dropped in place (SQLite's ALTER TABLE), not by
a batch copy of the tables, as 0014 did.
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

TABLES = ('booking_contacts', 'waitlist_entries', 'ballot_entries', 'identity_challenges')


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column('phone_cipher', sa.Text(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.execute(f'ALTER TABLE {table} DROP COLUMN phone_cipher')
