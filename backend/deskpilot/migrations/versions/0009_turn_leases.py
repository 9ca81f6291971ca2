"""A chat turn's hold on its chat as a lease row, not a connection-held advisory lock.

- chat_turn_leases: one row per chat with a reply being generated (or continued), naming
  the turn (token) and its user; renewed while the turn runs, deleted when it ends. A row
  past expires_at is free to take: a crashed process's chats free up on their own.
- chat_take_turn_lease(): takes a chat's lease in one statement, or says why not ('busy':
  another live lease on the chat; 'limit': the user has that many live leases). Takes for
  one user are serialized (a transaction-level advisory lock on the user), so two takes at
  the same moment cannot both pass the count. Each statement of a VOLATILE function reads
  a fresh snapshot, so the count sees every lease committed before the lock was granted.

Revision ID: 0009_turn_leases
Revises: 0008_proposals
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009_turn_leases"
down_revision: str | None = "0008_proposals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# pg_advisory_xact_lock's two-int key space: "CTL", then hashtext() of the user's id.
_LOCK_NAMESPACE = 0x43544C


def upgrade() -> None:
    op.execute("""
        CREATE TABLE chat_turn_leases (
            session_id UUID PRIMARY KEY REFERENCES chat_sessions(id) ON DELETE CASCADE,
            user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            token UUID NOT NULL,
            taken_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            expires_at TIMESTAMPTZ NOT NULL
        )
    """)
    op.execute("CREATE INDEX ix_chat_turn_leases_user ON chat_turn_leases (user_id)")
    op.execute(f"""
        CREATE FUNCTION chat_take_turn_lease(
            p_session uuid, p_user uuid, p_token uuid, p_seconds double precision,
            p_limit integer
        ) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({_LOCK_NAMESPACE}, hashtext(p_user::text));
            DELETE FROM chat_turn_leases
             WHERE user_id = p_user AND expires_at <= clock_timestamp()
               AND session_id <> p_session;
            IF EXISTS (SELECT 1 FROM chat_turn_leases
                        WHERE session_id = p_session AND expires_at > clock_timestamp()) THEN
                RETURN 'busy';
            END IF;
            IF p_limit IS NOT NULL AND (SELECT count(*) FROM chat_turn_leases
                    WHERE user_id = p_user AND expires_at > clock_timestamp()) >= p_limit THEN
                RETURN 'limit';
            END IF;
            INSERT INTO chat_turn_leases (session_id, user_id, token, expires_at)
            VALUES (p_session, p_user, p_token,
                    clock_timestamp() + make_interval(secs => p_seconds))
            ON CONFLICT (session_id) DO UPDATE
               SET user_id = EXCLUDED.user_id, token = EXCLUDED.token,
                   taken_at = clock_timestamp(), expires_at = EXCLUDED.expires_at;
            RETURN 'taken';
        END
        $$
    """)


def downgrade() -> None:
    op.execute("DROP FUNCTION chat_take_turn_lease(uuid, uuid, uuid, double precision, integer)")
    op.execute("DROP TABLE chat_turn_leases")
