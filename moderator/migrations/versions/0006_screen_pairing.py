"""screens are paired by a moderator: a pairing code while waiting, a token hash once paired

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 11:40:00

Screens listed before this revision introduced themselves; none of them was paired, so they
are dropped (each shows a pairing code at its next connection).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM screens")
    with op.batch_alter_table("screens") as batch:
        batch.add_column(
            sa.Column("paired", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
        batch.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("pairing_code", sa.String(length=12), nullable=True))
        batch.add_column(sa.Column("code_expires_ms", sa.BigInteger(), nullable=True))
        batch.create_unique_constraint("uq_screens_token_hash", ["token_hash"])
        batch.create_index(
            "ix_screens_event_pairing_code", ["event_id", "pairing_code"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("screens") as batch:
        batch.drop_index("ix_screens_event_pairing_code")
        batch.drop_constraint("uq_screens_token_hash", type_="unique")
        batch.drop_column("code_expires_ms")
        batch.drop_column("pairing_code")
        batch.drop_column("token_hash")
        batch.drop_column("paired")
