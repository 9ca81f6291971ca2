"""Constraints and columns the chat needs beyond spec §1.

- tickets.source NOT NULL with a CHECK; deleting a chat session keeps its tickets.
- chat_messages: role CHECK, insertion order (seq), reply status and error, the client's
  idempotency key, and the user message a reply answers.
- chat_sessions: title_source, and keyset indexes for the session list and message pages.

Create Date: 2026-11-26
"""

from alembic import op

revision: str = "0003_chat_hardening"
down_revision: str | None = "0002_chat"


def upgrade() -> None:
    op.execute("UPDATE tickets SET source = 'call' WHERE source IS NULL")
    op.execute("ALTER TABLE tickets ALTER COLUMN source SET NOT NULL")
    op.execute(
        "ALTER TABLE tickets ADD CONSTRAINT ck_tickets_source CHECK (source IN ('call', 'chat'))"
    )
    op.execute("ALTER TABLE tickets DROP CONSTRAINT tickets_chat_session_id_fkey")
    op.execute(
        "ALTER TABLE tickets ADD CONSTRAINT tickets_chat_session_id_fkey FOREIGN KEY "
        "(chat_session_id) REFERENCES chat_sessions(id) ON DELETE SET NULL"
    )
    op.execute("CREATE INDEX ix_tickets_source_number ON tickets (source, number DESC)")

    op.execute("ALTER TABLE chat_sessions ADD COLUMN title_source TEXT")
    op.execute(
        "UPDATE chat_sessions SET attached_ticket_ids = '{}' WHERE attached_ticket_ids IS NULL"
    )
    op.execute("ALTER TABLE chat_sessions ALTER COLUMN attached_ticket_ids SET NOT NULL")
    op.execute("ALTER TABLE chat_sessions ALTER COLUMN created_at SET NOT NULL")
    op.execute("ALTER TABLE chat_sessions ALTER COLUMN updated_at SET NOT NULL")
    op.execute(
        "CREATE INDEX ix_chat_sessions_user_updated ON chat_sessions (user_id, updated_at DESC, id DESC)"
    )

    op.execute(
        "ALTER TABLE chat_messages ADD CONSTRAINT ck_chat_messages_role "
        "CHECK (role IN ('user', 'assistant', 'system'))"
    )
    op.execute("ALTER TABLE chat_messages ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY")
    op.execute("ALTER TABLE chat_messages ADD COLUMN status TEXT NOT NULL DEFAULT 'complete'")
    op.execute(
        "ALTER TABLE chat_messages ADD CONSTRAINT ck_chat_messages_status "
        "CHECK (status IN ('complete', 'incomplete', 'failed', 'pending'))"
    )
    op.execute("ALTER TABLE chat_messages ADD COLUMN error JSONB")
    op.execute("ALTER TABLE chat_messages ADD COLUMN client_message_id TEXT")
    op.execute(
        "ALTER TABLE chat_messages ADD COLUMN reply_to_id UUID "
        "REFERENCES chat_messages(id) ON DELETE CASCADE"
    )
    op.execute("UPDATE chat_messages SET ticket_refs = '{}' WHERE ticket_refs IS NULL")
    op.execute("ALTER TABLE chat_messages ALTER COLUMN ticket_refs SET NOT NULL")
    op.execute("ALTER TABLE chat_messages ALTER COLUMN created_at SET NOT NULL")
    op.execute("CREATE INDEX ix_chat_messages_session_seq ON chat_messages (session_id, seq DESC)")
    op.execute(
        "CREATE UNIQUE INDEX uq_chat_messages_client_id ON chat_messages "
        "(session_id, client_message_id) WHERE client_message_id IS NOT NULL AND role = 'user'"
    )
    op.execute("CREATE INDEX ix_chat_messages_reply_to ON chat_messages (reply_to_id)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_chat_messages_reply_to")
    op.execute("DROP INDEX uq_chat_messages_client_id")
    op.execute("DROP INDEX ix_chat_messages_session_seq")
    for column in ("reply_to_id", "client_message_id", "error", "status", "seq"):
        op.execute(f"ALTER TABLE chat_messages DROP COLUMN {column}")
    op.execute("ALTER TABLE chat_messages DROP CONSTRAINT ck_chat_messages_role")
    op.execute("ALTER TABLE chat_messages ALTER COLUMN ticket_refs DROP NOT NULL")
    op.execute("ALTER TABLE chat_messages ALTER COLUMN created_at DROP NOT NULL")
    op.execute("DROP INDEX ix_chat_sessions_user_updated")
    op.execute("ALTER TABLE chat_sessions ALTER COLUMN created_at DROP NOT NULL")
    op.execute("ALTER TABLE chat_sessions ALTER COLUMN updated_at DROP NOT NULL")
    op.execute("ALTER TABLE chat_sessions ALTER COLUMN attached_ticket_ids DROP NOT NULL")
    op.execute("ALTER TABLE chat_sessions DROP COLUMN title_source")
    op.execute("DROP INDEX ix_tickets_source_number")
    op.execute("ALTER TABLE tickets DROP CONSTRAINT tickets_chat_session_id_fkey")
    op.execute(
        "ALTER TABLE tickets ADD CONSTRAINT tickets_chat_session_id_fkey FOREIGN KEY "
        "(chat_session_id) REFERENCES chat_sessions(id)"
    )
    op.execute("ALTER TABLE tickets DROP CONSTRAINT ck_tickets_source")
    op.execute("ALTER TABLE tickets ALTER COLUMN source DROP NOT NULL")
