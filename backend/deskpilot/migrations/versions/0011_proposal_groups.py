"""Grouped proposals (issue 15's intake): the dependent writes of one reply, approved in
order in one action.

- chat_proposals.group_id: the group's first proposal (its own id on that one); null for a
  write alone.
- chat_proposals.depends_on: the proposal whose result this one needs (a new caller's
  contact number, a new ticket's number), filled in when the group runs.

Revision ID: 0011_proposal_groups
Revises: 0010_callers
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision: str = "0011_proposal_groups"
down_revision: str | None = "0010_callers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("chat_proposals", sa.Column("group_id", UUID(as_uuid=True), nullable=True))
    op.add_column(
        "chat_proposals",
        sa.Column(
            "depends_on",
            UUID(as_uuid=True),
            sa.ForeignKey("chat_proposals.id", ondelete="SET NULL"),
            nullable=True,
        ),
    )
    op.create_index(
        "ix_chat_proposals_group",
        "chat_proposals",
        ["group_id"],
        postgresql_where=sa.text("group_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_chat_proposals_group", table_name="chat_proposals")
    op.drop_column("chat_proposals", "depends_on")
    op.drop_column("chat_proposals", "group_id")
