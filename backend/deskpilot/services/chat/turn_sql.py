"""The statements of one chat turn (chat/turn_store.py runs them), compiled once for asyncpg."""

from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.sql.elements import BindParameter

from deskpilot.core.raw_sql import RawStatement, raw_statement
from deskpilot.services.chat.records import MESSAGE_COLUMNS
from deskpilot.services.tickets.queries import summary_select
from deskpilot.services.token_usage import ADD_REPLY_TO_DAY, add_to_day

# Ownership first: another user's session yields no row, so its lease is never touched (a
# 409 would tell them it exists). Then, in this order: the chat is busy (a live lease on
# it: 'busy'), the user's message rate ('rate', a resend excepted), the user's replies being
# generated ('limit'); otherwise the lease is taken ('taken'), committed with the statement
# (chat/lease.py). The CASE evaluates the function only when the checks before it pass.
# The rate counts the user's messages of the last minute from their sessions touched in
# that minute (storing a user message touches its session), so it reads only their own
# few recent messages (ix_chat_sessions_user_updated, ix_chat_messages_user_sent), not
# everyone's. The ORDER BY ... LIMIT holds the planner to that index: with statistics
# that place "the last minute" at a row or two, it preferred idx_chat_messages_created_at
# once per session, reading everyone's messages of the minute again for each.
OPEN = raw_statement(
    text(
        """
    SELECT opened.attached_ticket_ids, opened.resend_of, opened.has_user_messages,
           CASE WHEN opened.busy THEN 'busy'
                WHEN opened.resend_of IS NULL AND opened.sent >= :per_minute THEN 'rate'
                ELSE chat_take_turn_lease(
                    CAST(:session_id AS uuid), CAST(:user_id AS uuid), CAST(:token AS uuid),
                    CAST(:lease_seconds AS double precision), CAST(:max_turns AS integer))
           END AS lease
    FROM (
        SELECT s.attached_ticket_ids,
               EXISTS (SELECT 1 FROM chat_turn_leases l
                        WHERE l.session_id = s.id AND l.expires_at > clock_timestamp()) AS busy,
               (SELECT m.id FROM chat_messages m
                 WHERE m.session_id = s.id AND m.role = 'user'
                   AND m.client_message_id = :client_message_id) AS resend_of,
               (SELECT count(*) FROM chat_sessions o CROSS JOIN LATERAL (
                    SELECT 1 FROM chat_messages m
                     WHERE m.session_id = o.id AND m.role = 'user'
                       AND m.created_at > now() - interval '1 minute'
                     ORDER BY m.created_at DESC LIMIT :per_minute) recent
                 WHERE o.user_id = :user_id
                   AND o.updated_at > now() - interval '1 minute') AS sent,
               EXISTS (SELECT 1 FROM chat_messages m
                        WHERE m.session_id = s.id AND m.role = 'user') AS has_user_messages
        FROM chat_sessions s
        WHERE s.id = :session_id AND s.user_id = :user_id
        OFFSET 0
    ) opened
    """
    )
)

# The new message, then the session's latest `history_limit` earlier messages in the same
# round trip: the statement's snapshot predates the insert, so the second part cannot see
# the new row. Superseded messages (chat/replacing.py) are not history.
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
      WHERE session_id = :session_id AND superseded_at IS NULL
      ORDER BY seq DESC LIMIT :history_limit)
    """
    )
)

# A reply's ticket_refs, resolved in its statement. The caller lists the refs it wants in
# order, each an id it already knows or a number the reply mentions that no tool returned.
# Numbers resolve through `found`; a number no ticket has drops out (models invent ticket
# numbers), and a ticket listed twice keeps its first place.
_FOUND = f"""found AS (
        {raw_statement(summary_select()).sql}
        WHERE tickets.number = ANY(CAST(:lookup_numbers AS bigint[]))
    )"""
_REFS = """coalesce((
                    SELECT array_agg(ref.id ORDER BY ref.place) FROM (
                        SELECT coalesce(wanted.id, found.id) AS id, min(wanted.place) AS place
                        FROM unnest(CAST(:ref_ids AS uuid[]), CAST(:ref_numbers AS bigint[]))
                             WITH ORDINALITY AS wanted(id, number, place)
                        LEFT JOIN found ON found.number = wanted.number
                        GROUP BY 1
                    ) ref
                    WHERE ref.id IS NOT NULL
                ), '{}')"""
# The writes the reply's tool calls proposed (chat/proposals), stored with it, and those
# its calls made at once (recorded then, without a message), linked to it. `stored` is the
# CTE that wrote the message.
_PROPOSALS = """proposed AS (
        INSERT INTO chat_proposals
            (id, session_id, message_id, tool_call_id, tool, arguments, ticket_id, snapshot,
             summary, group_id, depends_on)
        SELECT p.id, :session_id, stored.id, p.tool_call_id, p.tool, p.arguments, p.ticket_id,
               p.snapshot, p.summary, p.group_id, p.depends_on
        FROM stored, jsonb_to_recordset(CAST(:proposals AS jsonb)) AS p(
            id uuid, tool_call_id text, tool text, arguments jsonb, ticket_id uuid,
            snapshot jsonb, summary text, group_id uuid, depends_on uuid)
    ), linked AS (
        UPDATE chat_proposals SET message_id = stored.id FROM stored
        WHERE chat_proposals.id = ANY(CAST(:linked_ids AS uuid[]))
    )"""


def _reply_statement(writes: str, *params: BindParameter[Any]) -> RawStatement:
    """A statement storing a reply: `writes` are its CTEs after `found`, ending in `stored`
    (the message as written); its proposals are stored with it, and each row returned is
    the reply followed by one ticket of `found` (NULLs when none was found)."""
    return raw_statement(
        text(
            f"""
    WITH {_FOUND}, {writes}, {_PROPOSALS}
    SELECT stored.*, found.* FROM stored LEFT JOIN found ON true
    """
        ).bindparams(
            bindparam("tool_calls", type_=JSONB),
            bindparam("error", type_=JSONB),
            *params,
        )
    )


# The reply, its ticket_refs resolved and its proposals stored in the same round trip (the
# reply's cards need the summaries of the tickets `found`). An unfinished reply that a retry continued, if any,
# is replaced in the same statement, and the reply's tokens are added to the day's total
# (token_usage.py).
INSERT_REPLY = _reply_statement(
    f"""replaced AS (
        DELETE FROM chat_messages WHERE id = :replaces AND session_id = :session_id
    ), touched AS (
        UPDATE chat_sessions SET updated_at = now() WHERE id = :session_id
    ), counted AS ({ADD_REPLY_TO_DAY}
    ), stored AS (
        INSERT INTO chat_messages
            (session_id, role, content, tool_calls, ticket_refs, status, error, reply_to_id,
             model, input_tokens, output_tokens)
        VALUES (:session_id, 'assistant', :content, :tool_calls, {_REFS},
                :status, :error, :reply_to_id, :model, :input_tokens, :output_tokens)
        RETURNING {MESSAGE_COLUMNS}
    )""",
    bindparam("replaces", type_=UUID(as_uuid=True)),
)

# A reply the agent's decisions on its proposals let go on (chat/proposals/continuation.py):
# the text the model adds after them, all its tool calls, its refs (the earlier ones first),
# its new proposals and the tokens the continuation took (added to the reply's and the
# day's; the reply itself was counted when first stored), in one statement like INSERT_REPLY.
CONTINUE_REPLY = _reply_statement(
    f"""touched AS (
        UPDATE chat_sessions SET updated_at = now() WHERE id = :session_id
    ), counted AS ({add_to_day(replies=0)}
    ), stored AS (
        UPDATE chat_messages
           SET content = content || :content, tool_calls = :tool_calls, ticket_refs = {_REFS},
               status = :status, error = :error,
               input_tokens = CASE WHEN CAST(:input_tokens AS integer) IS NULL THEN input_tokens
                                   ELSE coalesce(input_tokens, 0) + :input_tokens END,
               output_tokens = CASE WHEN CAST(:output_tokens AS integer) IS NULL THEN output_tokens
                                    ELSE coalesce(output_tokens, 0) + :output_tokens END
         WHERE id = :message_id AND session_id = :session_id
        RETURNING {MESSAGE_COLUMNS}
    )"""
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
    WHERE session_id = :session_id AND seq < :before_seq AND superseded_at IS NULL
    ORDER BY seq DESC LIMIT :limit
    """
    )
)

# A continued turn (chat/proposals/continuation.py): the chat's lease, ownership first
# ('busy' or 'taken': a reply the agent lets go on is not refused for the user's other
# replies), then the reply it continues and the user message that reply answers.
OPEN_CONTINUATION = raw_statement(
    text(
        """
    SELECT s.attached_ticket_ids,
           chat_take_turn_lease(s.id, s.user_id, CAST(:token AS uuid),
                                CAST(:lease_seconds AS double precision), NULL) AS lease
    FROM chat_sessions s
    WHERE s.id = :session_id AND s.user_id = :user_id
    """
    )
)
CONTINUED = raw_statement(
    text(
        f"""
    SELECT {MESSAGE_COLUMNS}, m.id = :message_id AS paused FROM chat_messages m
    WHERE m.session_id = :session_id
      AND (m.id = :message_id
           OR m.id = (SELECT reply_to_id FROM chat_messages WHERE id = :message_id))
    """
    )
)

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
