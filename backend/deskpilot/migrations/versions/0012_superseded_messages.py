"""Regenerate and edit-and-resend (the workspace issue): a chat message the agent replaced.

- chat_messages.superseded_at: set on the last user message the agent edited or whose
  reply they regenerated, and on every message after it (its reply). A superseded message
  stays stored and listed (shown as "Replaced"), but is left out of the model's history.
  NULL: a live message.

Revision ID: 0012_superseded_messages
Revises: 0011_proposal_groups
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_superseded_messages"
down_revision: str | None = "0011_proposal_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE chat_messages ADD COLUMN superseded_at TIMESTAMPTZ")


def downgrade() -> None:
    op.execute("ALTER TABLE chat_messages DROP COLUMN superseded_at")
