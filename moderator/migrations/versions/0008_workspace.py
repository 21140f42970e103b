"""the organiser's workspace: event versions and archiving, invitations by role, the audit trail,
and when askers' names were erased

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:45:00

Existing events start at version 1; existing logins are the administrator's (no invitation).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: a batch (copy and drop) of ``events`` on SQLite would fire the ON
    # DELETE CASCADE of every table that refers to it.
    op.add_column(
        "events", sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
    )
    op.add_column("events", sa.Column("archived_ms", sa.BigInteger(), nullable=True))
    op.add_column("events", sa.Column("names_erased_ms", sa.BigInteger(), nullable=True))
    op.create_table(
        "invitations",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column(
            "event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("revoked_ms", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_invitations_event", "invitations", ["event_id"])
    # No foreign key: a login whose invitation is gone (its event deleted) simply holds no
    # more (``moderator/auth.py``).
    op.add_column("logins", sa.Column("invitation_id", sa.String(16), nullable=True))
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("at_ms", sa.BigInteger(), nullable=False),
        sa.Column("who", sa.String(80), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_audit_event_id", "audit", ["event_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_id", "audit")
    op.drop_table("audit")
    with op.batch_alter_table("logins") as batch:
        batch.drop_column("invitation_id")
    op.drop_index("ix_invitations_event", "invitations")
    op.drop_table("invitations")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("names_erased_ms")
        batch.drop_column("archived_ms")
        batch.drop_column("version")
