"""attendee identities issued by the server, counted per address

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 11:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attendees",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=32), nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_attendees_address_created", "attendees", ["address", "created_ms"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_attendees_address_created", table_name="attendees")
    op.drop_table("attendees")
