"""ballot claims: a ballot entry keeps its privilege claim's status, as a booking does

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 20:05:00

`verified` when the registry confirmed the claim at entry, `claimed` for the door to
check; the drawn booking carries it (ADR 14). Added and dropped in place.
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('ballot_entries', sa.Column('privilege_status', sa.String(length=16),
                                              nullable=True))


def downgrade() -> None:
    op.execute('ALTER TABLE ballot_entries DROP COLUMN privilege_status')
