"""index on the newest questions of a theme

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 22:15:18.848901
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_questions_event_theme_newest", ["event_id", "theme", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_event_theme_newest")
