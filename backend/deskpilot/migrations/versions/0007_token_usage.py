"""Token use: per assistant reply, and per day, user and model.

- chat_messages: the model that wrote a reply and the input/output tokens its calls took,
  as the provider reported them (NULL for user messages, for replies stored before this
  revision, and when a provider reported none; 0 for the offline assistant).
- token_usage_daily: the same tokens added up per UTC day, user, provider and model, with
  the number of replies. The admins' totals read it; it outlives a deleted chat.

Revision ID: 0007_token_usage
Revises: 0005_search_trigram
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_token_usage"
down_revision: str | None = "0005_search_trigram"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE chat_messages ADD COLUMN model TEXT, "
        "ADD COLUMN input_tokens INTEGER, ADD COLUMN output_tokens INTEGER"
    )
    op.execute(
        """
        CREATE TABLE token_usage_daily (
            day DATE NOT NULL,
            user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            input_tokens BIGINT NOT NULL DEFAULT 0,
            output_tokens BIGINT NOT NULL DEFAULT 0,
            replies INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (day, user_id, provider, model)
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE token_usage_daily")
    op.execute(
        "ALTER TABLE chat_messages DROP COLUMN model, "
        "DROP COLUMN input_tokens, DROP COLUMN output_tokens"
    )
