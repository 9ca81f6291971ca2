"""An index for the per-user message rate check.

The check counts one user's messages of the last minute. Through
idx_chat_messages_created_at it read every message anyone sent in that minute and
joined each to its session to find the user's: work that grew with the whole desk's
traffic. It now starts from the user's sessions touched in that minute
(ix_chat_sessions_user_updated; storing a user message touches its session) and reads
only their recent user messages through this index.

Create Date: 2026-11-27
"""

from alembic import op

revision: str = "0004_chat_rate_index"
down_revision: str | None = "0003_chat_hardening"


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_chat_messages_user_sent ON chat_messages (session_id, created_at) "
        "WHERE role = 'user'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_chat_messages_user_sent")
