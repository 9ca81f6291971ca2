"""Chat messages and sessions as stored, read straight from rows (no ORM objects on the hot
paths): the statements of the chat's pages."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, TextClause, bindparam, literal_column, select, text
from sqlalchemy.dialects.postgresql import JSONB

from deskpilot.models import ChatMessage
from deskpilot.schemas.chat import ChatMessagePublic, MessageError, ToolCallPublic
from deskpilot.schemas.ticket import TicketSummary


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """A chat message as stored (what present_message and the prompt read)."""

    id: uuid.UUID
    session_id: uuid.UUID
    seq: int
    role: str
    content: str
    ticket_refs: list[uuid.UUID]
    tool_calls: list[dict[str, Any]] | None
    status: str
    error: dict[str, str] | None
    client_message_id: str | None
    created_at: datetime
    superseded_at: datetime | None = None  # regenerated or edited and resent


# The columns of StoredMessage, in its field order, for SQL written out as text.
MESSAGE_COLUMNS = (
    "id, session_id, seq, role, content, ticket_refs, tool_calls, status, error, "
    "client_message_id, created_at, superseded_at"
)


def stored_message(row: Sequence[Any]) -> StoredMessage:
    return StoredMessage(*row)


_messages = ChatMessage.__table__
# A page shows each tool call's name, arguments, status, summary and tickets, never the
# result the model saw (most of a reply's stored size): PostgreSQL leaves it out.
# (tool_calls may hold a JSON null, which jsonb_array_elements refuses.)
_TOOL_CALLS_FOR_PAGES = literal_column(
    "CASE WHEN jsonb_typeof(chat_messages.tool_calls) = 'array' THEN"
    " (SELECT jsonb_agg(call - 'result' - 'raw_arguments' ORDER BY position)"
    " FROM jsonb_array_elements(chat_messages.tool_calls) WITH ORDINALITY AS t(call, position))"
    " END",
    JSONB,
)
_PAGE = (
    select(
        _messages.c.id,
        _messages.c.session_id,
        _messages.c.seq,
        _messages.c.role,
        _messages.c.content,
        _messages.c.ticket_refs,
        _TOOL_CALLS_FOR_PAGES,
        _messages.c.status,
        _messages.c.error,
        _messages.c.client_message_id,
        _messages.c.created_at,
        _messages.c.superseded_at,
    )
    .where(_messages.c.session_id == bindparam("session_id"))
    .order_by(_messages.c.seq.desc())
    .limit(bindparam("limit"))
)
LATEST_PAGE: Select[Any] = _PAGE
PAGE_BEFORE: Select[Any] = _PAGE.where(_messages.c.seq < bindparam("before_seq"))
SEQ_OF_MESSAGE: Select[Any] = select(_messages.c.seq).where(
    _messages.c.id == bindparam("message_id"),
    _messages.c.session_id == bindparam("session_id"),
)

# A page of the user's sessions, newest first, each with its last message's preview; with a
# search, only the sessions whose title or messages contain it, each with the first matching
# message's words around the match. Searching is per user (their own chats), so a scan of
# their messages stays small.
_LIST_SESSIONS_SQL = """
    SELECT s.id, s.title, s.created_at, s.updated_at,
           cardinality(s.attached_ticket_ids) AS attached_ticket_count,
           last.preview,
           {match_column}
           (SELECT count(*) FROM chat_proposals p
             WHERE p.session_id = s.id AND p.state = 'pending') AS pending_proposals
    FROM chat_sessions s
    LEFT JOIN LATERAL (
        SELECT left(m.content, :preview) AS preview
        FROM chat_messages m
        WHERE m.session_id = s.id AND m.role <> 'system'
        ORDER BY m.seq DESC LIMIT 1
    ) last ON true
    {match_join}
    WHERE s.user_id = :user_id {after_cursor} {match_filter}
    ORDER BY s.updated_at DESC, s.id DESC
    LIMIT :limit
"""
_MATCH_COLUMN = "found.snippet AS match,"
_MATCH_JOIN = """
    LEFT JOIN LATERAL (
        SELECT substr(m.content, greatest(1, strpos(lower(m.content), lower(:q)) - :lead),
                      :preview) AS snippet
        FROM chat_messages m
        WHERE m.session_id = s.id AND m.role <> 'system' AND m.content ILIKE :pattern
        ORDER BY m.seq DESC LIMIT 1
    ) found ON true"""
MATCH_LEAD_CHARS = 40  # a match's snippet starts this far before it


def contains_pattern(words: str) -> str:
    """An ILIKE pattern matching `words` anywhere, its own % and _ taken literally."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_MATCH_FILTER = "AND (s.title ILIKE :pattern OR found.snippet IS NOT NULL)"
_AFTER_CURSOR = "AND (s.updated_at, s.id) < (:before_ts, :before_id)"


def _sessions_statement(*, after_cursor: bool, search: bool) -> TextClause:
    return text(
        _LIST_SESSIONS_SQL.format(
            after_cursor=_AFTER_CURSOR if after_cursor else "",
            match_column=_MATCH_COLUMN if search else "NULL AS match,",
            match_join=_MATCH_JOIN if search else "",
            match_filter=_MATCH_FILTER if search else "",
        )
    )


# Separate statements rather than "(:cursor IS NULL OR ...)": a generic plan of that form
# cannot use the (user_id, updated_at, id) index for deep pages.
SESSIONS = {
    (after, search): _sessions_statement(after_cursor=after, search=search)
    for after in (False, True)
    for search in (False, True)
}


def present_message(
    message: ChatMessage | StoredMessage, summaries: dict[uuid.UUID, TicketSummary]
) -> ChatMessagePublic:
    records: list[dict[str, Any]] | None = message.tool_calls
    return ChatMessagePublic(
        id=message.id,
        session_id=message.session_id,
        role=message.role,
        content=message.content,
        ticket_refs=list(message.ticket_refs or []),
        tickets=[summaries[i] for i in (message.ticket_refs or []) if i in summaries],
        tool_calls=[
            ToolCallPublic(
                id=r["id"],
                name=r["name"],
                arguments=r.get("arguments"),
                status=r["status"],
                summary=r.get("summary", ""),
                duration_ms=int(r.get("duration_ms", 0)),
                ticket_ids=[uuid.UUID(t) for t in r.get("ticket_ids", [])],
                proposal_id=r.get("proposal_id"),
                contact_ids=[uuid.UUID(c) for c in r.get("contact_ids", [])],
            )
            for r in records
        ]
        if records
        else None,
        status=message.status,
        error=MessageError(**message.error) if message.error else None,
        client_message_id=message.client_message_id,
        created_at=message.created_at,
        superseded=message.superseded_at is not None,
    )
