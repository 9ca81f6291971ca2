"""The helpdesk as it stood before the chat spec: users, tickets, notes, audit trail, sessions.

Create Date: 2026-11-26
"""

from alembic import op

revision: str = "0001_helpdesk"
down_revision: str | None = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE users (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            email TEXT NOT NULL,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'agent' CHECK (role IN ('agent', 'admin')),
            is_active BOOLEAN NOT NULL DEFAULT true,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
    """)
    op.execute("CREATE UNIQUE INDEX uq_users_email_lower ON users (lower(email))")

    op.execute("""
        CREATE TABLE tickets (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            number BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
            priority TEXT NOT NULL DEFAULT 'medium'
                CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
            category TEXT,
            created_by UUID REFERENCES users(id) ON DELETE SET NULL,
            assignee_id UUID REFERENCES users(id) ON DELETE SET NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            search_vector TSVECTOR GENERATED ALWAYS AS (
                setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
                setweight(to_tsvector('english', coalesce(category, '')), 'B') ||
                setweight(to_tsvector('english', coalesce(description, '')), 'C')
            ) STORED
        )
    """)

    # A ticket's notes and its audit trail; then the indexes of the three tables.
    op.execute("""
        CREATE TABLE ticket_notes (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            ticket_id UUID NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            author_id UUID REFERENCES users(id) ON DELETE SET NULL,
            body TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
        )
    """)

    op.execute("""
        CREATE TABLE ticket_events (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            ticket_id UUID NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            actor_id UUID REFERENCES users(id) ON DELETE SET NULL,
            channel TEXT NOT NULL CHECK (channel IN ('ui', 'chat', 'api')),
            chat_session_id UUID,
            action TEXT NOT NULL CHECK (action IN ('created', 'updated', 'note_added')),
            field TEXT,
            old_value JSONB,
            new_value JSONB,
            -- clock_timestamp: several events written in one transaction keep their order
            created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
        )
    """)

    op.execute("CREATE INDEX ix_tickets_search_vector ON tickets USING gin (search_vector)")
    # Lists are newest first (number desc) with optional filters; keyset on number.
    op.execute("CREATE INDEX ix_tickets_status_number ON tickets (status, number DESC)")
    op.execute("CREATE INDEX ix_tickets_priority_number ON tickets (priority, number DESC)")
    op.execute("CREATE INDEX ix_tickets_category_number ON tickets (category, number DESC)")
    op.execute("CREATE INDEX ix_tickets_assignee_number ON tickets (assignee_id, number DESC)")
    op.execute("CREATE INDEX ix_tickets_updated_at ON tickets (updated_at DESC)")
    op.execute("CREATE INDEX ix_ticket_notes_ticket ON ticket_notes (ticket_id, created_at)")
    op.execute("CREATE INDEX ix_ticket_events_ticket ON ticket_events (ticket_id, created_at)")

    op.execute("""
        CREATE TABLE auth_sessions (
            token_hash TEXT PRIMARY KEY,
            user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf_token TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            expires_at TIMESTAMPTZ NOT NULL,
            ip_address TEXT,
            user_agent TEXT
        )
    """)
    op.execute("CREATE INDEX ix_auth_sessions_user ON auth_sessions (user_id)")
    op.execute("CREATE INDEX ix_auth_sessions_expires ON auth_sessions (expires_at)")

    op.execute("""
        CREATE TABLE login_failures (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email TEXT NOT NULL,
            ip_address TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
    """)
    op.execute("CREATE INDEX ix_login_failures_email ON login_failures (email, created_at)")
    op.execute("CREATE INDEX ix_login_failures_ip ON login_failures (ip_address, created_at)")


def downgrade() -> None:
    for table in (
        "login_failures",
        "auth_sessions",
        "ticket_events",
        "ticket_notes",
        "tickets",
        "users",
    ):
        op.execute(f"DROP TABLE {table}")
