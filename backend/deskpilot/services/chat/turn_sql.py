"""The statements of one chat turn (chat/turn_store.py runs them), compiled once for asyncpg."""

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import JSONB, UUID

from deskpilot.core.raw_sql import raw_statement
from deskpilot.services.chat.records import MESSAGE_COLUMNS
from deskpilot.services.tickets.queries import summary_select
from deskpilot.services.token_usage import ADD_REPLY_TO_DAY

# Ownership first: another user's session yields no row, so its lock is never touched (a
# 409 would tell them it exists). The lock is session-level: it outlives this statement.
# The rate counts the user's messages of the last minute from their sessions touched in
# that minute (storing a user message touches its session), so it reads only their own
# few recent messages (ix_chat_sessions_user_updated, ix_chat_messages_user_sent), not
# everyone's. The ORDER BY ... LIMIT holds the planner to that index: with statistics
# that place "the last minute" at a row or two, it preferred idx_chat_messages_created_at
# once per session, reading everyone's messages of the minute again for each.
OPEN = raw_statement(
    text(
        """
    SELECT s.attached_ticket_ids,
           pg_try_advisory_lock(:key) AS locked,
           (SELECT m.id FROM chat_messages m
             WHERE m.session_id = s.id AND m.role = 'user'
               AND m.client_message_id = :client_message_id) AS resend_of,
           (SELECT count(*) FROM chat_sessions o CROSS JOIN LATERAL (
                SELECT 1 FROM chat_messages m
                 WHERE m.session_id = o.id AND m.role = 'user'
                   AND m.created_at > now() - interval '1 minute'
                 ORDER BY m.created_at DESC LIMIT :per_minute) recent
             WHERE o.user_id = :user_id AND o.updated_at > now() - interval '1 minute') AS sent,
           EXISTS (SELECT 1 FROM chat_messages m
                    WHERE m.session_id = s.id AND m.role = 'user') AS has_user_messages
    FROM chat_sessions s
    WHERE s.id = :session_id AND s.user_id = :user_id
    """
    )
)

# The new message, then the session's latest `history_limit` earlier messages in the same
# round trip: the statement's snapshot predates the insert, so the second part cannot see
# the new row.
INSERT_USER_MESSAGE = raw_statement(
    text(
        f"""
    WITH touched AS (
        UPDATE chat_sessions
           SET updated_at = now(),
               title = coalesce(title, :derived_title),
               title_source = CASE WHEN title IS NULL THEN 'derived' ELSE title_source END
         WHERE id = :session_id
    ), inserted AS (
        INSERT INTO chat_messages (session_id, role, content, client_message_id)
        VALUES (:session_id, 'user', :content, :client_message_id)
        RETURNING {MESSAGE_COLUMNS}
    )
    SELECT {MESSAGE_COLUMNS}, true AS new FROM inserted
    UNION ALL
    (SELECT {MESSAGE_COLUMNS}, false FROM chat_messages
      WHERE session_id = :session_id ORDER BY seq DESC LIMIT :history_limit)
    """
    )
)

# The reply, its ticket_refs resolved in the same round trip. The caller lists the refs it
# wants in order, each an id it already knows or a number the reply mentions that no tool
# returned. Numbers resolve through `found`; a number no ticket has drops out (models
# invent ticket numbers), and a ticket listed twice keeps its first place. Each row is the
# stored reply followed by one ticket of `found` (NULLs when none was found), whose summary
# the reply's cards need. An unfinished reply that a retry continued, if any, is replaced
# in the same statement, and the reply's tokens are added to the day's total (token_usage.py).
INSERT_REPLY = raw_statement(
    text(
        f"""
    WITH found AS (
        {raw_statement(summary_select()).sql}
        WHERE tickets.number = ANY(CAST(:lookup_numbers AS bigint[]))
    ), replaced AS (
        DELETE FROM chat_messages WHERE id = :replaces AND session_id = :session_id
    ), touched AS (
        UPDATE chat_sessions SET updated_at = now() WHERE id = :session_id
    ), counted AS ({ADD_REPLY_TO_DAY}
    ), inserted AS (
        INSERT INTO chat_messages
            (session_id, role, content, tool_calls, ticket_refs, status, error, reply_to_id,
             model, input_tokens, output_tokens)
        VALUES (:session_id, 'assistant', :content, :tool_calls,
                coalesce((
                    SELECT array_agg(ref.id ORDER BY ref.place) FROM (
                        SELECT coalesce(wanted.id, found.id) AS id, min(wanted.place) AS place
                        FROM unnest(CAST(:ref_ids AS uuid[]), CAST(:ref_numbers AS bigint[]))
                             WITH ORDINALITY AS wanted(id, number, place)
                        LEFT JOIN found ON found.number = wanted.number
                        GROUP BY 1
                    ) ref
                    WHERE ref.id IS NOT NULL
                ), '{{}}'),
                :status, :error, :reply_to_id, :model, :input_tokens, :output_tokens)
        RETURNING {MESSAGE_COLUMNS}
    )
    SELECT inserted.*, found.* FROM inserted LEFT JOIN found ON true
    """
    ).bindparams(
        bindparam("tool_calls", type_=JSONB),
        bindparam("error", type_=JSONB),
        bindparam("replaces", type_=UUID(as_uuid=True)),
    )
)
MESSAGE_WIDTH = len(MESSAGE_COLUMNS.split(","))

LATEST_REPLY = raw_statement(
    text(
        f"""
    SELECT {MESSAGE_COLUMNS} FROM chat_messages
    WHERE reply_to_id = :message_id ORDER BY seq DESC LIMIT 1
    """
    )
)

MESSAGE_BY_ID = raw_statement(
    text(f"SELECT {MESSAGE_COLUMNS} FROM chat_messages WHERE id = :message_id")
)

HISTORY = raw_statement(
    text(
        f"""
    SELECT {MESSAGE_COLUMNS} FROM chat_messages
    WHERE session_id = :session_id AND seq < :before_seq
    ORDER BY seq DESC LIMIT :limit
    """
    )
)

UNLOCK = raw_statement(text("SELECT pg_advisory_unlock(:key)"))

# A title the model wrote replaces only the one derived from the first message (never one
# a person gave).
SET_GENERATED_TITLE = raw_statement(
    text(
        """
    UPDATE chat_sessions SET title = :title, title_source = 'generated'
    WHERE id = :session_id AND title_source = 'derived'
    RETURNING id
    """
    )
)
