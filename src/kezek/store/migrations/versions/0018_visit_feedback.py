"""visit feedback: a rating 1-5 (and a short comment) of one served visit

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 15:00:00

One row per ticket (unique): the person is asked once after the visit, by the bot's
buttons or a link sent by SMS or e-mail, and a second answer is refused. The centre,
service and window are copied from the ticket for the staff statistics (ADR 0033).
"""
import sqlalchemy as sa
from alembic import op

import kezek.store.types

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'visit_feedback',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.Column('center_id', sa.Integer(), nullable=False),
        sa.Column('service_code', sa.String(length=8), nullable=False),
        sa.Column('window_id', sa.Integer(), nullable=True),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('comment', sa.String(length=500), nullable=True),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('created_at', kezek.store.types.UtcDateTime(), nullable=False),
        sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_visit_feedback_rating')),
        sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'],
                                name=op.f('fk_visit_feedback_booking_id_bookings')),
        sa.ForeignKeyConstraint(['center_id'], ['centers.id'],
                                name=op.f('fk_visit_feedback_center_id_centers')),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'],
                                name=op.f('fk_visit_feedback_ticket_id_tickets')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_feedback')),
        sa.UniqueConstraint('ticket_id', name=op.f('uq_visit_feedback_ticket_id')),
    )
    op.create_index('ix_visit_feedback_center', 'visit_feedback',
                    ['center_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_visit_feedback_center', table_name='visit_feedback')
    op.drop_table('visit_feedback')
