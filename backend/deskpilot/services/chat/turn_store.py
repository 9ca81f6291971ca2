"""The statements of one chat turn, on the one connection that holds the session's lock.

The session's advisory lock lives on that connection (one reply at a time per session,
across processes), and the turn's reads and writes run on it in autocommit mode, each one
atomic statement: opening the turn, storing the user's message (and reading the history
before it), storing the reply. A handful of round trips per turn, straight on the asyncpg
connection beneath (core/raw_sql.py; docs/benchmarks-history.md). Tool calls keep
their own transactions (chat/tools); nothing here spans a model call.
"""

import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from deskpilot.core.errors import ChatSessionNotFound, Conflict, RateLimited
from deskpilot.core.raw_sql import (
    RawReader,
    RawRow,
    RawStatement,
    driver_connection,
    fetch,
    fetch_on_own_connection,
    raw_statement,
)
from deskpilot.services.chat.records import (
    MESSAGE_COLUMNS,
    Prepared,
    StoredMessage,
    TurnOpening,
    derive_title,
    stored_message,
    without_nul,
)
from deskpilot.services.chat.ticket_view import NOTE_CHARS_FOR_MODEL, NOTES_FOR_MODEL
from deskpilot.services.tickets.queries import (
    AnyRow,
    latest_notes,
    rows_by_ids,
    summary_select,
)

logger = logging.getLogger(__name__)
# Ownership first: another user's session yields no row, so its lock is never touched (a
# 409 would tell them it exists). The lock is session-level: it outlives this statement.
# The rate counts the user's messages of the last minute from their sessions touched in
# that minute (storing a user message touches its session), so it reads only their own
# few recent messages (ix_chat_sessions_user_updated, ix_chat_messages_user_sent), not
# everyone's. The ORDER BY ... LIMIT holds the planner to that index: with statistics
# that place "the last minute" at a row or two, it preferred idx_chat_messages_created_at
# once per session, reading everyone's messages of the minute again for each.
_OPEN = raw_statement(
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
_INSERT_USER_MESSAGE = raw_statement(
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
# in the same statement.
_INSERT_REPLY = raw_statement(
    text(
        f"""
    WITH found AS (
        {raw_statement(summary_select()).sql}
        WHERE tickets.number = ANY(CAST(:lookup_numbers AS bigint[]))
    ), replaced AS (
        DELETE FROM chat_messages WHERE id = :replaces AND session_id = :session_id
    ), touched AS (
        UPDATE chat_sessions SET updated_at = now() WHERE id = :session_id
    ), inserted AS (
        INSERT INTO chat_messages
            (session_id, role, content, tool_calls, ticket_refs, status, error, reply_to_id)
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
                :status, :error, :reply_to_id)
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
_MESSAGE_WIDTH = len(MESSAGE_COLUMNS.split(","))

_LATEST_REPLY = raw_statement(
    text(
        f"""
    SELECT {MESSAGE_COLUMNS} FROM chat_messages
    WHERE reply_to_id = :message_id ORDER BY seq DESC LIMIT 1
    """
    )
)

_MESSAGE_BY_ID = raw_statement(
    text(f"SELECT {MESSAGE_COLUMNS} FROM chat_messages WHERE id = :message_id")
)

_HISTORY = raw_statement(
    text(
        f"""
    SELECT {MESSAGE_COLUMNS} FROM chat_messages
    WHERE session_id = :session_id AND seq < :before_seq
    ORDER BY seq DESC LIMIT :limit
    """
    )
)

_UNLOCK = raw_statement(text("SELECT pg_advisory_unlock(:key)"))

# A title the model wrote replaces only the one derived from the first message (never one
# a person gave).
_SET_GENERATED_TITLE = raw_statement(
    text(
        """
    UPDATE chat_sessions SET title = :title, title_source = 'generated'
    WHERE id = :session_id AND title_source = 'derived'
    RETURNING id
    """
    )
)


def lock_key(session_id: uuid.UUID) -> int:
    """The session's advisory lock key (pg_advisory_lock takes a bigint)."""
    return int.from_bytes(session_id.bytes[:8], "big", signed=True)


class TurnStore:
    def __init__(self, engine: AsyncEngine, session_id: uuid.UUID, user_id: uuid.UUID) -> None:
        self._engine = engine  # in autocommit mode (db.autocommit_engine())
        self.session_id = session_id
        self.user_id = user_id
        self._key = lock_key(session_id)
        self._connection: AsyncConnection | None = None
        self._driver: asyncpg.Connection | None = None  # the asyncpg one beneath

    def reader(self) -> RawReader:
        """Reads on the turn's connection (e.g. a read-only tool's)."""
        if self._driver is None:
            raise RuntimeError("the turn's connection is not open")
        return RawReader(self._driver)

    async def _fetch(self, statement: RawStatement, params: dict[str, Any]) -> Sequence[RawRow]:
        if self._connection is None or self._driver is None:
            raise RuntimeError("the turn's connection is not open")
        return await fetch(self._driver, statement, params)

    async def open(self, *, client_message_id: str | None, per_minute: int) -> TurnOpening:
        """Take the session's lock, or raise 404 (not this user's), 409 (busy), 429 (rate)."""
        connection = await self._engine.connect()
        try:
            driver = await driver_connection(connection)
            rows = await fetch(
                driver,
                _OPEN,
                {
                    "key": self._key,
                    "session_id": self.session_id,
                    "user_id": self.user_id,
                    "client_message_id": client_message_id,
                    "per_minute": per_minute,
                },
            )
        except BaseException:
            await connection.close()
            raise
        row = rows[0] if rows else None
        if row is None or not row.locked:
            await connection.close()
            if row is None:
                raise ChatSessionNotFound()
            raise Conflict(
                "A reply is already being generated in this chat; wait for it or stop it"
            )
        self._connection, self._driver = connection, driver
        if row.resend_of is None and row.sent >= per_minute:
            await self.release()
            raise RateLimited(
                f"You can send {per_minute} messages a minute; wait a moment", retry_after=20
            )
        return TurnOpening(
            attached_ticket_ids=list(row.attached_ticket_ids or []),
            resend_of=row.resend_of,
            has_user_messages=row.has_user_messages,
        )

    async def insert_user_message(
        self, *, content: str, client_message_id: str | None, derived_title: str, history_limit: int
    ) -> tuple[StoredMessage, list[StoredMessage]]:
        """The stored message, and up to `history_limit` messages before it, oldest first."""
        rows = await self._fetch(
            _INSERT_USER_MESSAGE,
            {
                "session_id": self.session_id,
                "content": content,
                "client_message_id": client_message_id,
                "derived_title": derived_title,
                "history_limit": history_limit,
            },
        )
        new = next(row for row in rows if row.new)
        earlier = sorted((row for row in rows if not row.new), key=lambda row: row.seq)
        return stored_message(new[:-1]), [stored_message(row[:-1]) for row in earlier]

    async def prepare(
        self,
        opening: TurnOpening,
        *,
        content: str,
        client_message_id: str | None,
        history_limit: int,
    ) -> Prepared:
        """The message being answered: stored now, or, for a resent client_message_id, the
        stored one with its reply (a finished one to replay, or a failed one to continue)."""
        if opening.resend_of is not None:
            existing = await self.message(opening.resend_of)
            return Prepared.resent(opening, existing, await self.latest_reply(existing.id))
        message, history = await self.insert_user_message(
            content=content,
            client_message_id=client_message_id,
            derived_title=derive_title(content),
            history_limit=history_limit,
        )
        return Prepared.new(opening, message, history)

    async def conversation(
        self, prepared: Prepared, *, history_limit: int
    ) -> tuple[list[tuple[AnyRow, list[str]]], list[StoredMessage]]:
        """The attached tickets with their latest notes, and the messages before the one
        being answered (read now unless storing it read them), oldest first."""
        attached = await self.tickets_with_notes(prepared.attached_ticket_ids)
        if prepared.history is not None:
            return attached, list(prepared.history)
        history = await self.history(before_seq=prepared.user_message.seq, limit=history_limit)
        return attached, history

    async def message(self, message_id: uuid.UUID) -> StoredMessage:
        return stored_message((await self._fetch(_MESSAGE_BY_ID, {"message_id": message_id}))[0])

    async def latest_reply(self, message_id: uuid.UUID) -> StoredMessage | None:
        rows = await self._fetch(_LATEST_REPLY, {"message_id": message_id})
        return stored_message(rows[0]) if rows else None

    async def history(self, *, before_seq: int, limit: int) -> list[StoredMessage]:
        """Up to `limit` messages before `before_seq`, oldest first."""
        rows = await self._fetch(
            _HISTORY, {"session_id": self.session_id, "before_seq": before_seq, "limit": limit}
        )
        return [stored_message(row) for row in reversed(rows)]

    async def tickets_with_notes(self, ids: list[uuid.UUID]) -> list[tuple[AnyRow, list[str]]]:
        """Summary rows (with description) of these tickets in this order, each with the
        bodies of its latest notes, oldest first."""
        if not ids:
            return []
        reader = self.reader()
        rows = await rows_by_ids(db=reader, ids=ids)
        notes = await latest_notes(
            db=reader, ids=ids, per_ticket=NOTES_FOR_MODEL, chars=NOTE_CHARS_FOR_MODEL
        )
        return [(rows[i], [body for body, _ in notes.get(i, [])]) for i in ids if i in rows]

    async def insert_reply(
        self,
        *,
        content: str,
        tool_calls: list[dict[str, Any]] | None,
        refs: Sequence[uuid.UUID | int],
        status: str,
        error: dict[str, str] | None,
        reply_to_id: uuid.UUID,
        replaces: uuid.UUID | None,
    ) -> tuple[StoredMessage, list[Sequence[Any]]]:
        """The stored reply, and summary rows of the tickets its `refs` named by number.

        `refs` are the reply's ticket_refs in order: ids, or ticket numbers to look up (a
        number no ticket has is left out; a ticket named twice keeps its first place)."""
        numbers = [ref if isinstance(ref, int) else None for ref in refs]
        params = {
            "session_id": self.session_id,
            "content": without_nul(content),
            "tool_calls": None if tool_calls is None else json.dumps(without_nul(tool_calls)),
            "ref_ids": [None if isinstance(ref, int) else ref for ref in refs],
            "ref_numbers": numbers,
            "lookup_numbers": [n for n in numbers if n is not None],
            "status": status,
            "error": None if error is None else json.dumps(error),
            "reply_to_id": reply_to_id,
            "replaces": replaces,
        }
        rows = await self._execute_resilient(_INSERT_REPLY, params)
        reply = stored_message(rows[0][:_MESSAGE_WIDTH])
        found = [row[_MESSAGE_WIDTH:] for row in rows if row[_MESSAGE_WIDTH] is not None]
        return reply, found

    async def _execute_resilient(
        self, statement: RawStatement, params: dict[str, Any]
    ) -> Sequence[RawRow]:
        """For the reply's statements, which also run when the turn was cancelled: if that
        left the turn's connection unusable (a statement cut off mid-way), a fresh one."""
        try:
            return await self._fetch(statement, params)
        except Exception:
            logger.warning("The turn's connection failed; using a fresh one", exc_info=True)
            return await fetch_on_own_connection(self._engine, statement, params)

    async def set_generated_title(self, title: str) -> bool:
        """After the reply, when the chat may be busy with the next message: on a connection
        of its own. Whether the title was set."""
        rows = await fetch_on_own_connection(
            self._engine, _SET_GENERATED_TITLE, {"title": title, "session_id": self.session_id}
        )
        return bool(rows)

    async def release(self) -> None:
        """Unlock and give the connection back; idempotent."""
        connection, self._connection = self._connection, None
        driver, self._driver = self._driver, None
        if connection is None or driver is None:
            return
        try:
            await fetch(driver, _UNLOCK, {"key": self._key})
        except Exception:
            # A dead connection: PostgreSQL dropped the lock with it. Nothing to undo.
            logger.warning("Could not unlock the chat session; dropping the connection")
            await connection.invalidate()
        except BaseException:
            await connection.invalidate()  # cancelled mid-unlock: the lock goes with it
            raise
        finally:
            await connection.close()
