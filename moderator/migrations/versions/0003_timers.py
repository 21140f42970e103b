"""the agenda countdown's table is called timers

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# PostgreSQL named the constraints after the table; SQLite keeps them unnamed.
CONSTRAINTS = ("{}_pkey", "{}_event_id_fkey")


def upgrade() -> None:
    _rename("agenda_clocks", "timers")


def downgrade() -> None:
    _rename("timers", "agenda_clocks")


def _rename(old: str, new: str) -> None:
    op.rename_table(old, new)
    if op.get_bind().dialect.name == "postgresql":
        for name in CONSTRAINTS:
            was, now = name.format(old), name.format(new)
            op.execute(f'ALTER TABLE "{new}" RENAME CONSTRAINT "{was}" TO "{now}"')
