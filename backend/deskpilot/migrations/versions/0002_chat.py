"""Spec §1 exactly: ticket source and chat session link, chat_sessions, chat_messages.

Create Date: 2026-11-26
"""

from alembic import op

revision: str = "0002_chat"
down_revision: str | None = "0001_helpdesk"


def upgrade() -> None:
    op.execute("""
        CREATE TABLE chat_sessions (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            title TEXT,
            attached_ticket_ids UUID[] DEFAULT '{}',
            created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
            updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
        )
    """)
    op.execute("CREATE INDEX idx_chat_sessions_user_id ON chat_sessions(user_id)")
    op.execute("CREATE INDEX idx_chat_sessions_updated_at ON chat_sessions(updated_at DESC)")

    op.execute("""
        CREATE TABLE chat_messages (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            session_id UUID NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            content TEXT NOT NULL,
            ticket_refs UUID[] DEFAULT '{}',
            tool_calls JSONB,
            created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW()
        )
    """)
    op.execute("CREATE INDEX idx_chat_messages_session_id ON chat_messages(session_id)")
    op.execute("CREATE INDEX idx_chat_messages_created_at ON chat_messages(created_at)")

    op.execute("ALTER TABLE tickets ADD COLUMN source TEXT DEFAULT 'call'")
    op.execute("ALTER TABLE tickets ADD COLUMN chat_session_id UUID REFERENCES chat_sessions(id)")
    op.execute(
        "ALTER TABLE ticket_events ADD CONSTRAINT ticket_events_chat_session_id_fkey "
        "FOREIGN KEY (chat_session_id) REFERENCES chat_sessions(id) ON DELETE SET NULL"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE ticket_events DROP CONSTRAINT ticket_events_chat_session_id_fkey")
    op.execute("ALTER TABLE tickets DROP COLUMN chat_session_id")
    op.execute("ALTER TABLE tickets DROP COLUMN source")
    op.execute("DROP TABLE chat_messages")
    op.execute("DROP TABLE chat_sessions")
