"""The statements of one chat turn (chat/turn_sql.py), each on a pooled connection taken
for it alone: no connection is held while the model thinks.

One reply at a time per chat, across processes, is the chat's lease (chat/lease.py), taken
by the turn's opening statement and renewed while the turn runs. The turn's reads and
writes run in autocommit mode, each one atomic statement: opening the turn, storing the
user's message (and reading the history before it), storing the reply. A handful of round
trips per turn, straight on the asyncpg connection beneath (compiled by core/raw_sql.py;
docs/benchmarks-history.md). Tool calls keep their own transactions (chat/tools).
"""

import json
import logging
import uuid
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from deskpilot.core.db import session_factory
from deskpilot.core.errors import ChatSessionNotFound, Conflict, RateLimited, ValidationFailed
from deskpilot.core.raw_sql import (
    RawReader,
    RawRow,
    RawStatement,
    fetch_on_own_connection,
    raw_reader,
)
from deskpilot.services.chat import replacing
from deskpilot.services.chat import turn_sql as sql
from deskpilot.services.chat.lease import TurnLease
from deskpilot.services.chat.proposals.supersede import supersede
from deskpilot.services.chat.records import StoredMessage
from deskpilot.services.chat.replacing import WriteDone
from deskpilot.services.chat.reply_rows import ReplyRows
from deskpilot.services.chat.ticket_view import NOTE_CHARS_FOR_MODEL, NOTES_FOR_MODEL
from deskpilot.services.chat.turn_opening import (
    Prepared,
    TurnOpening,
    check_content,
    derive_title,
)
from deskpilot.services.tickets.assignees import active_people
from deskpilot.services.tickets.queries import (
    AnyRow,
    latest_notes,
    rows_by_ids,
)
from deskpilot.services.token_usage import usage_params

logger = logging.getLogger(__name__)


def without_nul(value: Any) -> Any:
    """The value with U+0000 taken out of every string: PostgreSQL text and jsonb cannot
    hold it, and a model may send it (in its text or a tool call's arguments)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def _reply_and_found(rows: Sequence[RawRow]) -> tuple[StoredMessage, list[Sequence[Any]]]:
    """The stored reply, and the summary rows of the tickets its refs named by number."""
    reply = StoredMessage(*rows[0][: sql.MESSAGE_WIDTH])
    found = [row[sql.MESSAGE_WIDTH :] for row in rows if row[sql.MESSAGE_WIDTH] is not None]
    return reply, found


class TurnStore:
    def __init__(self, engine: AsyncEngine, *, lease_seconds: float) -> None:
        self._engine = engine  # in autocommit mode (db.autocommit_engine())
        self._lease_seconds = float(lease_seconds)
        self.session_id: uuid.UUID  # the session and user that begin() opens the turn for
        self.user_id: uuid.UUID
        self._lease: TurnLease | None = None

    def reading(self) -> AbstractAsyncContextManager[RawReader]:
        """`async with store.reading() as reader:` reads on a pooled connection for the
        block (e.g. a read-only tool's)."""
        return raw_reader(self._engine)

    async def _fetch(self, statement: RawStatement, params: dict[str, Any]) -> Sequence[RawRow]:
        return await fetch_on_own_connection(self._engine, statement, params)

    async def _take(
        self, statement: RawStatement, params: dict[str, Any], busy: str
    ) -> Sequence[RawRow]:
        """Run the opening `statement` with a new lease token; 404 (no row: not this
        user's), 409 (`busy`). The lease, if taken, is kept from here on."""
        token = uuid.uuid4()
        lease = TurnLease(self._engine, self.session_id, token, self._lease_seconds)
        try:
            rows = await self._fetch(
                statement,
                {
                    **params,
                    "session_id": self.session_id,
                    "user_id": self.user_id,
                    "token": token,
                    "lease_seconds": self._lease_seconds,
                },
            )
        except BaseException:
            await lease.release()  # cut off (the client left): it may have been taken
            raise
        if not rows:
            raise ChatSessionNotFound()
        if rows[0].lease == "taken":
            self._lease = lease
            lease.keep()
        elif rows[0].lease == "busy":
            raise Conflict(busy)
        return rows

    async def begin(
        self,
        session_id: uuid.UUID,
        user_id: uuid.UUID,
        *,
        content: str,
        client_message_id: str | None,
        per_minute: int,
        max_turns: int,
        max_chars: int,
        history_limit: int,
        replaces: uuid.UUID | None = None,
    ) -> Prepared:
        """Take the chat's lease and store the user's message (or find the one a resent
        client_message_id names): 404 (not this user's), 409 (busy), 429 (message rate, or
        `max_turns` replies of the user's being generated), 422 (the content). The lease is
        held until release(). With `replaces` (chat/replacing.py), that message, the chat's
        last user message, is superseded with the messages after it first: 422 (not a
        message of this chat), 409 (not the last user message)."""
        self.session_id, self.user_id = session_id, user_id
        opening = await self._open(
            client_message_id=client_message_id, per_minute=per_minute, max_turns=max_turns
        )
        try:
            check_content(content, max_chars)
            writes: tuple[WriteDone, ...] = ()
            if replaces is not None and opening.resend_of is None:
                writes = await self._supersede(replaces)
            prepared = await self._prepare(
                opening,
                content=content,
                client_message_id=client_message_id,
                history_limit=history_limit,
            )
            if replaces is not None and opening.resend_of is None:
                prepared.replaced, prepared.writes_done = True, writes
            return prepared
        except BaseException:
            await self.release()
            raise

    async def _supersede(self, replaces: uuid.UUID) -> tuple[WriteDone, ...]:
        """Mark `replaces` and the messages after it superseded (their waiting proposals
        too); the writes the replaced replies made."""
        params = {"session_id": self.session_id, "replaces": replaces}
        rows = await self._fetch(replacing.SUPERSEDE, params)
        if not rows:
            raise ValidationFailed.for_field("replaces", "not a message of this chat")
        if not rows[0].last:
            raise Conflict(
                "Only your last message in this chat can be edited or have its reply regenerated"
            )
        paused = list(rows[0].paused or [])
        if paused:
            async with session_factory()() as db:
                for message_id in paused:
                    await supersede(db, message_id)
                await db.commit()
        done = await self._fetch(replacing.WRITES_DONE, {"session_id": self.session_id})
        return tuple(replacing.write_done(row) for row in done)

    async def begin_continuation(
        self, session_id: uuid.UUID, user_id: uuid.UUID, *, message_id: uuid.UUID
    ) -> Prepared:
        """Take the chat's lease to carry on the reply `message_id` once the agent has
        decided its proposals: 404 (not this user's), 409 (busy). Held until release()."""
        self.session_id, self.user_id = session_id, user_id
        rows = await self._take(
            sql.OPEN_CONTINUATION, {}, "A reply is already being generated in this chat"
        )
        try:
            messages = await self._fetch(
                sql.CONTINUED, {"session_id": session_id, "message_id": message_id}
            )
            paused = next(StoredMessage(*row[:-1]) for row in messages if row.paused)
            answered = next(StoredMessage(*row[:-1]) for row in messages if not row.paused)
        except BaseException:
            await self.release()
            raise
        return Prepared(
            user_message=answered,
            stored_reply=None,
            failed_reply=paused,
            first_exchange=False,
            attached_ticket_ids=list(rows[0].attached_ticket_ids or []),
        )

    async def _open(
        self, *, client_message_id: str | None, per_minute: int, max_turns: int
    ) -> TurnOpening:
        """Take the chat's lease, or raise 404 (not this user's), 409 (busy), 429 (rate, or
        too many replies being generated)."""
        rows = await self._take(
            sql.OPEN,
            {
                "client_message_id": client_message_id,
                "per_minute": per_minute,
                "max_turns": max_turns,
            },
            "A reply is already being generated in this chat; wait for it or stop it",
        )
        row = rows[0]
        if row.lease == "rate":
            raise RateLimited(
                f"You can send {per_minute} messages a minute; wait a moment", retry_after=20
            )
        if row.lease == "limit":
            raise RateLimited(
                f"At most {max_turns} replies can be generated at once", retry_after=5
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
            sql.INSERT_USER_MESSAGE,
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
        return StoredMessage(*new[:-1]), [StoredMessage(*row[:-1]) for row in earlier]

    async def _prepare(
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
        if prepared.history is not None:
            history = list(prepared.history)
        else:
            history = await self.history(before_seq=prepared.user_message.seq, limit=history_limit)
        return await self.tickets_with_notes(prepared.attached_ticket_ids), history

    async def message(self, message_id: uuid.UUID) -> StoredMessage:
        return StoredMessage(*(await self._fetch(sql.MESSAGE_BY_ID, {"message_id": message_id}))[0])

    async def latest_reply(self, message_id: uuid.UUID) -> StoredMessage | None:
        rows = await self._fetch(sql.LATEST_REPLY, {"message_id": message_id})
        return StoredMessage(*rows[0]) if rows else None

    async def history(self, *, before_seq: int, limit: int) -> list[StoredMessage]:
        """Up to `limit` messages before `before_seq`, oldest first."""
        rows = await self._fetch(
            sql.HISTORY, {"session_id": self.session_id, "before_seq": before_seq, "limit": limit}
        )
        return [StoredMessage(*row) for row in reversed(rows)]

    async def tickets_with_notes(self, ids: list[uuid.UUID]) -> list[tuple[AnyRow, list[str]]]:
        """Summary rows (with description) of these tickets in this order, each with the
        bodies of its latest notes, oldest first."""
        if not ids:
            return []
        async with self.reading() as reader:
            rows = await rows_by_ids(db=reader, ids=ids)
            notes = await latest_notes(
                db=reader, ids=ids, per_ticket=NOTES_FOR_MODEL, chars=NOTE_CHARS_FOR_MODEL
            )
        return [(rows[i], [body for body, _ in notes.get(i, [])]) for i in ids if i in rows]

    async def agents(self) -> tuple[dict[str, str], ...]:
        """The people a ticket may be assigned to (the offline assistant matches names)."""
        async with self.reading() as reader:
            people = await active_people(db=reader)
        return tuple({"name": p.name, "email": p.email} for p in people)

    async def insert_reply(
        self, rows: ReplyRows, *, reply_to_id: uuid.UUID, replaces: uuid.UUID | None
    ) -> tuple[StoredMessage, list[Sequence[Any]]]:
        """The stored reply to `reply_to_id` (replacing the unfinished reply `replaces`, if
        any), and summary rows of the tickets its refs named by number."""
        params = {**self._reply_params(rows), "reply_to_id": reply_to_id, "replaces": replaces}
        return _reply_and_found(await self._execute_resilient(sql.INSERT_REPLY, params))

    async def continue_reply(
        self, rows: ReplyRows, *, message_id: uuid.UUID
    ) -> tuple[StoredMessage, list[Sequence[Any]]]:
        """insert_reply for a reply that a continuation carries on: `content` is added to
        its text, its tokens to the reply's, the rest replaced (refs: the earlier ones
        first)."""
        params = {**self._reply_params(rows), "message_id": message_id}
        return _reply_and_found(await self._execute_resilient(sql.CONTINUE_REPLY, params))

    def _reply_params(self, rows: ReplyRows) -> dict[str, Any]:
        """The parameters both reply statements take."""
        numbers = [ref if isinstance(ref, int) else None for ref in rows.refs]
        tool_calls = rows.tool_calls
        return {
            "content": without_nul(rows.content),
            "tool_calls": None if tool_calls is None else json.dumps(without_nul(tool_calls)),
            "ref_ids": [None if isinstance(ref, int) else ref for ref in rows.refs],
            "ref_numbers": numbers,
            "lookup_numbers": [n for n in numbers if n is not None],
            "status": rows.status,
            "error": None if rows.error is None else json.dumps(rows.error),
            "proposals": json.dumps(without_nul(list(rows.proposals))),
            "linked_ids": list(rows.linked_ids),
            "session_id": self.session_id,
            "user_id": self.user_id,
            **usage_params(rows.usage, provider=rows.provider, model=rows.model),
        }

    async def _execute_resilient(
        self, statement: RawStatement, params: dict[str, Any]
    ) -> Sequence[RawRow]:
        """For the reply's statements, which also run when the turn was cancelled: if the
        pooled connection was unusable (dropped by the server since its last use), once
        more on another."""
        try:
            return await self._fetch(statement, params)
        except Exception:
            logger.warning("The reply's connection failed; using a fresh one", exc_info=True)
            return await self._fetch(statement, params)

    async def set_generated_title(self, title: str) -> bool:
        """After the reply, when the chat may be busy with the next message: on a connection
        of its own. Whether the title was set."""
        rows = await fetch_on_own_connection(
            self._engine, sql.SET_GENERATED_TITLE, {"title": title, "session_id": self.session_id}
        )
        return bool(rows)

    async def release(self) -> None:
        """Give the chat's lease back; idempotent."""
        lease, self._lease = self._lease, None
        if lease is not None:
            await lease.release()
