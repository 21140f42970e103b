"""speaking time and the session report: who had the floor (turns), each segment's run time,
questions linked to a guiding question, the stage monitors' speaker-time setting

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 12:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs, as in 0008: a batch would copy and drop tables others refer to.
    op.add_column("questions", sa.Column("guiding_question", sa.Integer(), nullable=True))
    op.add_column("timers", sa.Column("segment_run_ms", sa.JSON(), nullable=True))
    op.add_column(
        "displays",
        sa.Column("speaker_time", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.create_table(
        "speaking_intervals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "event_id", sa.Integer(), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("speaker", sa.String(80), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("started_ms", sa.BigInteger(), nullable=False),
        sa.Column("ended_ms", sa.BigInteger(), nullable=True),
        sa.Column("corrected_ms", sa.BigInteger(), nullable=True),
    )
    op.create_index(
        "ix_speaking_intervals_event_started", "speaking_intervals", ["event_id", "started_ms"]
    )
    op.create_index(
        "uq_speaking_intervals_one_open",
        "speaking_intervals",
        ["event_id"],
        unique=True,
        sqlite_where=sa.text("ended_ms IS NULL"),
        postgresql_where=sa.text("ended_ms IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_speaking_intervals_one_open", "speaking_intervals")
    op.drop_index("ix_speaking_intervals_event_started", "speaking_intervals")
    op.drop_table("speaking_intervals")
    with op.batch_alter_table("displays") as batch:
        batch.drop_column("speaker_time")
    with op.batch_alter_table("timers") as batch:
        batch.drop_column("segment_run_ms")
    with op.batch_alter_table("questions") as batch:
        batch.drop_column("guiding_question")
