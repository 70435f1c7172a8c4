"""search words, what to bring and life situations kept in the registry

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 14:05:00

A service gains the everyday names people use for it (`aliases`, per language) and
the documents its standard asks a person to bring (`documents`, per language); the
registry's subsections get citizen-facing names (`life_situations`), so search and
browsing by life situation read the registry, not the code (ADR 0029).
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added in place: SQLite's batch mode would rebuild `services`, which bookings
    # reference by foreign key.
    for name in ('aliases', 'documents'):
        op.add_column('services', sa.Column(name, sa.JSON(), nullable=False,
                                            server_default=sa.text("'{}'")))
    op.create_table(
        'life_situations',
        sa.Column('code', sa.String(length=4), primary_key=True),
        sa.Column('name_kk', sa.String(length=300), nullable=False),
        sa.Column('name_ru', sa.String(length=300), nullable=False),
        sa.Column('name_en', sa.String(length=300), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('life_situations')
    for name in ('documents', 'aliases'):
        op.execute(f'ALTER TABLE services DROP COLUMN {name}')
