"""questions count the changes of their vote count, for the public version of a question

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 13:20:00

A question's public version (``version + votes_revision``) orders every message about it, so
a page ignores one older than what it shows. Existing questions start at 0.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("questions") as batch:
        batch.add_column(
            sa.Column("votes_revision", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("questions") as batch:
        batch.drop_column("votes_revision")
