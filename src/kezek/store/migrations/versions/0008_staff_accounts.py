"""users: server-checked sessions, login throttling, TOTP, forced password change

Revision ID: 0008
Revises: 0007

- session_version: a page session carries the version it was issued under; logout,
  a password change, a reset or disabling the account bumps it, so every copy of an
  older cookie is refused by the server (the cookie itself cannot be taken back).
- failed_logins, locked_until: consecutive failed sign-ins, counted by a conditional
  UPDATE, and the time before which no further attempt is looked at (growing delays);
  20 failures lock the account until an admin unlocks it (failed_logins >= 20).
- password_changed_at, must_change_password: an admin's reset makes the user choose
  their own password before anything else.
- totp_secret, totp_last_step: the optional second factor, and the last time-step a
  code was accepted for, so a code cannot be used twice.

Existing users get version 0, no failures, no second factor and no forced change.
"""
import sqlalchemy as sa
from alembic import op

import kezek.store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("locked_until", kezek.store.types.UtcDateTime(),
                                   nullable=True))
        batch.add_column(sa.Column("password_changed_at", kezek.store.types.UtcDateTime(),
                                   nullable=True))
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        for name in ("totp_last_step", "totp_secret", "must_change_password",
                     "password_changed_at", "locked_until", "failed_logins",
                     "session_version"):
            batch.drop_column(name)
