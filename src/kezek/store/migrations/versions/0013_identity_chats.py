"""identity: Telegram chats proven by a shared contact; TOTP secrets sealed (wider)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 01:10:00
"""
import sqlalchemy as sa
from alembic import op

import kezek.store.types

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('identity_chats',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('iin_hash', sa.String(length=64), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('verified_at', kezek.store.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_chats')),
    sa.UniqueConstraint('iin_hash', 'phone_hash', name=op.f('uq_identity_chats_iin_hash'))
    )
    # A sealed TOTP secret ("s1." + nonce, ciphertext and tag in base64) is longer than
    # the plain base32 one; plain ones still read until the user enrols again.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64),
                              type_=sa.String(length=128), existing_nullable=True)


def downgrade() -> None:
    # The code before this revision cannot open a sealed secret: those users enrol again.
    op.execute("UPDATE users SET totp_secret = NULL WHERE totp_secret LIKE 's1.%'")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=128),
                              type_=sa.String(length=64), existing_nullable=True)
    op.drop_table('identity_chats')
