"""The supervised copilot: the AI's writes as proposals the agent approves, and undo.

- chat_proposals: one row per write the copilot proposed or made (automatic writes are
  recorded as executed at once), with the arguments, the ticket's values it would change
  (the snapshot a stale approval is checked against) and its state.
- chat_messages.status: 'awaiting_approval' for a reply paused on its proposals.
- users.ask_before_changes: a person's own choice when DESKPILOT_CHAT_APPROVAL=optional.
- ticket_events: the AI write an event belongs to (write_id, the proposal's id), who
  approved it, and 'reverted' events pointing at the event they undo.
- ticket_notes: a retracted note is kept, marked with when and by whom.

Revision ID: 0008_proposals
Revises: 0007_token_usage
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_proposals"
down_revision: str | None = "0007_token_usage"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE chat_proposals (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            session_id UUID NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
            message_id UUID REFERENCES chat_messages(id) ON DELETE SET NULL,
            tool_call_id TEXT NOT NULL,
            tool TEXT NOT NULL,
            arguments JSONB NOT NULL,
            edited_arguments JSONB,
            ticket_id UUID REFERENCES tickets(id) ON DELETE SET NULL,
            snapshot JSONB NOT NULL DEFAULT '{}'::jsonb,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'executed', 'rejected', 'superseded', 'failed')),
            reason TEXT,
            result JSONB,
            summary TEXT,
            -- made at once (approval off), not proposed
            automatic BOOLEAN NOT NULL DEFAULT false,
            decided_by UUID REFERENCES users(id) ON DELETE SET NULL,
            decided_at TIMESTAMPTZ,
            undone_by UUID REFERENCES users(id) ON DELETE SET NULL,
            undone_at TIMESTAMPTZ,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
    """)
    op.execute("CREATE INDEX ix_chat_proposals_message ON chat_proposals (message_id)")
    op.execute(
        "CREATE INDEX ix_chat_proposals_pending ON chat_proposals (session_id) "
        "WHERE state = 'pending'"
    )
    op.execute("ALTER TABLE chat_messages DROP CONSTRAINT ck_chat_messages_status")
    op.execute(
        "ALTER TABLE chat_messages ADD CONSTRAINT ck_chat_messages_status CHECK "
        "(status IN ('complete', 'incomplete', 'failed', 'pending', 'awaiting_approval'))"
    )
    op.execute("ALTER TABLE users ADD COLUMN ask_before_changes BOOLEAN NOT NULL DEFAULT true")
    op.execute("ALTER TABLE ticket_events ADD COLUMN write_id UUID")
    op.execute(
        "ALTER TABLE ticket_events ADD COLUMN approved_by UUID "
        "REFERENCES users(id) ON DELETE SET NULL"
    )
    op.execute(
        "ALTER TABLE ticket_events ADD COLUMN reverts_id UUID "
        "REFERENCES ticket_events(id) ON DELETE SET NULL"
    )
    op.execute("ALTER TABLE ticket_events DROP CONSTRAINT ticket_events_action_check")
    op.execute(
        "ALTER TABLE ticket_events ADD CONSTRAINT ticket_events_action_check CHECK "
        "(action IN ('created', 'updated', 'note_added', 'reverted'))"
    )
    op.execute(
        "CREATE INDEX ix_ticket_events_write ON ticket_events (write_id) WHERE write_id IS NOT NULL"
    )
    op.execute(
        "CREATE INDEX ix_ticket_events_reverts ON ticket_events (reverts_id) "
        "WHERE reverts_id IS NOT NULL"
    )
    op.execute("ALTER TABLE ticket_notes ADD COLUMN retracted_at TIMESTAMPTZ")
    op.execute(
        "ALTER TABLE ticket_notes ADD COLUMN retracted_by UUID "
        "REFERENCES users(id) ON DELETE SET NULL"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE ticket_notes DROP COLUMN retracted_by")
    op.execute("ALTER TABLE ticket_notes DROP COLUMN retracted_at")
    op.execute("DROP INDEX ix_ticket_events_reverts")
    op.execute("DROP INDEX ix_ticket_events_write")
    op.execute("DELETE FROM ticket_events WHERE action = 'reverted'")
    op.execute("ALTER TABLE ticket_events DROP CONSTRAINT ticket_events_action_check")
    op.execute(
        "ALTER TABLE ticket_events ADD CONSTRAINT ticket_events_action_check CHECK "
        "(action IN ('created', 'updated', 'note_added'))"
    )
    for column in ("reverts_id", "approved_by", "write_id"):
        op.execute(f"ALTER TABLE ticket_events DROP COLUMN {column}")
    op.execute("ALTER TABLE users DROP COLUMN ask_before_changes")
    op.execute("UPDATE chat_messages SET status = 'complete' WHERE status = 'awaiting_approval'")
    op.execute("ALTER TABLE chat_messages DROP CONSTRAINT ck_chat_messages_status")
    op.execute(
        "ALTER TABLE chat_messages ADD CONSTRAINT ck_chat_messages_status CHECK "
        "(status IN ('complete', 'incomplete', 'failed', 'pending'))"
    )
    op.execute("DROP TABLE chat_proposals")
