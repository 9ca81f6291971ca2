"""One chat turn: store the user's message, run the model loop, store the reply.

Order of work, so nothing the user sent is lost and no transaction spans a model call:
1. start(): the chat's lease (chat/lease.py) with the ownership, resend and rate checks
   and the user's limit on replies being generated, then the user message is stored
   (committed). Errors here are ordinary HTTP errors (404/409/422/429). The turn's own
   statements each take a pooled connection for themselves (chat/turn_store.py): none is
   held while the model thinks.
2. The loop runs in its own asyncio task and publishes events to a queue; each tool call
   uses its own short transaction (read-only tools none).
3. The reply is stored in one statement: complete, failed (provider error, with the
   error) or incomplete (the client went away; the task is cancelled and stores what it had).
4. A title is generated after the reply is stored, never before.

A write the agent must approve pauses the turn (chat/proposals): the reply is stored
'awaiting_approval' with its proposals, and `approval_required` ends the stream. Once the
agent has decided, chat/proposals/continuation.py carries the same reply on through the
hooks below (_open_turn, _announce, _save).
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deskpilot.core import metrics
from deskpilot.core.config import Settings
from deskpilot.core.db import autocommit_engine, read_session_factory
from deskpilot.llm.types import ChatModel, ProviderError, TextDelta
from deskpilot.models import User
from deskpilot.schemas.chat import ChatMessagePublic
from deskpilot.schemas.ticket import TicketSummary
from deskpilot.services.chat import events
from deskpilot.services.chat.events import (
    DONE,
    EventName,
    TurnEvent,
    TurnReply,
    reply_of,
)
from deskpilot.services.chat.proposals.policy import asks_before_changes
from deskpilot.services.chat.proposals.present import with_proposals
from deskpilot.services.chat.proposals.turn_parts import approval_required
from deskpilot.services.chat.records import StoredMessage, present_message
from deskpilot.services.chat.reply_rows import ReplyRows, reply_rows
from deskpilot.services.chat.reporting import TurnReport
from deskpilot.services.chat.titles import generated_title
from deskpilot.services.chat.tools.executor import ChatToolExecutor
from deskpilot.services.chat.turn_context import turn_context
from deskpilot.services.chat.turn_opening import Prepared
from deskpilot.services.chat.turn_store import TurnStore
from deskpilot.services.chat_llm_service import (
    ChatLLMService,
    ToolFinished,
    ToolStarted,
    TurnResult,
)
from deskpilot.services.tickets.queries import summaries_by_id, summary_of_row

logger = logging.getLogger(__name__)
HISTORY_MESSAGES = 200
INTERNAL_ERROR = {"code": "internal_error", "message": "Something went wrong on our side"}


class ChatTurn:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        settings: Settings,
        model: ChatModel,
        user: User,
        session_id: uuid.UUID,
        content: str,
        client_message_id: str | None,
        streaming: bool = True,
        replaces: uuid.UUID | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.model = model
        self.user = user
        self.session_id = session_id
        self.content = content
        self.client_message_id = client_message_id
        self.replaces = replaces  # the last user message this one replaces (chat/replacing.py)
        # A JSON reply waits for the stored message only: progress events (user_message,
        # text deltas, tool activity, the title) are not built for it.
        self.streaming = streaming
        self.queue: asyncio.Queue[TurnEvent | None] = asyncio.Queue()
        self._store = TurnStore(autocommit_engine(), lease_seconds=settings.chat_turn_lease_seconds)
        self._slot: contextlib.ExitStack | None = None
        self.task: asyncio.Task[None] | None = None
        self._reply_stored = False
        self._attached_numbers: set[int] = set()  # filled when the context is read
        self.first_round = 0  # a continued turn's model loop goes on from a later round
        self._report = TurnReport(
            user_id=user.id, session_id=session_id, provider=model.provider, model=model.model
        )

    # -- 1. before the response starts -------------------------------------------
    async def start(self) -> None:
        slot = contextlib.ExitStack()
        slot.enter_context(metrics.active_turn())
        try:
            prepared = await self._open_turn()
        except BaseException:
            slot.close()
            raise
        self._slot = slot
        self.task = asyncio.create_task(self._run(prepared))

    async def _open_turn(self) -> Prepared:
        return await self._store.begin(
            self.session_id,
            self.user.id,
            content=self.content,
            client_message_id=self.client_message_id,
            per_minute=self.settings.chat_messages_per_minute,
            max_turns=self.settings.chat_max_concurrent_streams,
            max_chars=self.settings.chat_max_message_chars,
            history_limit=HISTORY_MESSAGES - 1,
            replaces=self.replaces,
        )  # 404, 409, 429, 422

    # -- 2. the loop, in its own task ----------------------------------------------
    async def _emit(self, name: EventName, data: dict[str, Any]) -> None:
        event = TurnEvent(name, data)
        if event.final:
            # The client may send its next message as soon as it has this one (the JSON
            # reply is this one): the chat must be free by then, or that message gets 409.
            await self._free_the_chat()
        await self.queue.put(event)
        # An unbounded put never yields: without this, a burst of model chunks is parsed
        # whole before the response writer sends the first one.
        await asyncio.sleep(0)

    async def _free_the_chat(self) -> None:
        """Give the chat's lease back and leave the active turns; idempotent."""
        try:
            await self._store.release()
        finally:
            if self._slot:
                self._slot.close()

    async def events(self) -> AsyncIterator[TurnEvent]:
        while (event := await self.queue.get()) is not None:
            yield event

    async def sse(self) -> AsyncIterator[bytes]:
        """The streamed reply: every event, pings while the model is silent, then `done`.
        The client going away ends it, and stops the turn."""
        try:
            async for event in events.pinged(self.queue, events.PING_INTERVAL_SECONDS):
                yield event.sse()
            yield DONE.sse()
        finally:
            self.stop()

    async def result(self) -> TurnReply:
        """The JSON reply, as soon as the reply is stored (the task finishes the title on
        its own)."""
        async for event in self.events():
            if event.final:
                return reply_of(event)
        return reply_of(None)

    def stop(self) -> None:
        """The client went away: stop generating; the task stores what it has."""
        if self.task and not self.task.done():
            self.task.cancel()

    async def _run(self, prepared: Prepared) -> None:
        result = TurnResult()
        try:
            if self.streaming:
                await self._announce(prepared)
            if prepared.stored_reply is not None:
                reply = prepared.stored_reply
                async with self._store.reading() as reader:
                    summaries = await summaries_by_id(db=reader, ids=reply.ticket_refs)
                replay = await self._public(reply, summaries)
                self._report.outcome = "replayed"
                await self._emit("assistant_message", {"message": replay.model_dump(mode="json")})
                return
            await self._generate(prepared, result)
        except asyncio.CancelledError:
            await self._store_reply(prepared, result, status="incomplete", error=None)
            raise
        except Exception:
            logger.exception("Chat turn failed")
            await self._fail(prepared, result)
        finally:
            self._report.finished(result)
            try:
                await self._free_the_chat()
            finally:
                await self.queue.put(None)

    async def _announce(self, prepared: Prepared) -> None:
        """The stream's first event: the user's message as stored."""
        user_message = present_message(prepared.user_message, {})  # never has refs
        await self._emit("user_message", {"message": user_message.model_dump(mode="json")})

    async def _public(
        self, message: StoredMessage, summaries: dict[uuid.UUID, TicketSummary]
    ) -> ChatMessagePublic:
        """The stored reply as the API shows it, with its proposals if it has any."""
        public = present_message(message, summaries)
        async with self._store.reading() as reader:
            await with_proposals(reader, [public])
        return public

    async def _fail(self, prepared: Prepared, result: TurnResult) -> None:
        """The one rule for an unexpected error after the user message is stored: the turn
        ends with a stored failed reply (its tool calls kept, so a resend continues rather
        than repeats them) and an error event, unless a reply was stored already."""
        if self._reply_stored:
            return  # e.g. the title failed: the reply the user has stands
        reply = None
        if prepared.stored_reply is None:
            reply, _ = await self._store_reply(
                prepared, result, status="failed", error=dict(INTERNAL_ERROR)
            )
        await self._emit(
            "error", {**INTERNAL_ERROR, "message_id": str(reply.id) if reply else None}
        )

    async def _generate(self, prepared: Prepared, result: TurnResult) -> None:
        attached, history = await self._store.conversation(
            prepared, history_limit=HISTORY_MESSAGES - 1
        )
        seen = await turn_context(
            prepared=prepared,
            attached=attached,
            history=history,
            agents=await self._store.agents() if self.model.offline else (),
            sessions=self.sessions,
            settings=self.settings,
            user=self.user,
            session_id=self.session_id,
        )
        self._attached_numbers = seen.attached_numbers
        executor = ChatToolExecutor(
            sessions=self.sessions,
            read_sessions=read_session_factory(),
            user_id=self.user.id,
            chat_session_id=self.session_id,
            scope=seen.scope,
            max_attached=self.settings.chat_max_attached_tickets,
            reading=self._store.reading,
            approval=asks_before_changes(self.settings, self.user),
            phone_region=self.settings.default_phone_region,
            writes_done=prepared.writes_done,
        )
        llm = ChatLLMService(
            model=self.model, executor=executor, max_rounds=self.settings.llm_max_tool_rounds
        )
        try:
            async for event in llm.process_message(
                system=seen.system,
                history=seen.history,
                context=seen.context,
                result=result,
                first_round=self.first_round,
            ):
                if not self.streaming:
                    continue
                if isinstance(event, TextDelta):
                    await self._emit("text_delta", {"text": event.text})
                elif isinstance(event, ToolStarted):
                    await self._emit("tool_call_started", events.tool_started_data(event.run))
                elif isinstance(event, ToolFinished):
                    await self._emit("tool_call_finished", events.tool_finished_data(event.run))
        except ProviderError as exc:
            # The user reads one plain sentence per kind of failure; the details are logged.
            logger.warning("The model could not answer (%s): %s", exc.code, exc.message)
            reply, _ = await self._store_reply(
                prepared, result, status="failed", error={"code": exc.code, "message": exc.plain}
            )
            await self._emit(
                "error",
                {
                    "code": "provider_timeout" if exc.http_status == 504 else "provider_error",
                    "message": exc.plain,
                    "status": exc.http_status,
                    "message_id": str(reply.id) if reply else None,
                    # A failed turn may have written: the client is told what ran.
                    "tool_calls": [events.tool_ran_data(run) for run in result.runs if run.outcome],
                },
            )
            return
        status = "awaiting_approval" if result.awaiting_approval else "complete"
        reply, summaries = await self._store_reply(prepared, result, status=status, error=None)
        if reply is None:
            raise RuntimeError("The reply could not be stored")  # the failed one may be
        public = await self._public(reply, summaries)
        if result.awaiting_approval:
            await self._emit("approval_required", approval_required(public))
        else:
            await self._emit("assistant_message", {"message": public.model_dump(mode="json")})
        if prepared.first_exchange:
            # The chat is free already: the next message may start while the title is made.
            await self._maybe_generate_title(prepared, reply)

    # -- 3. storing the reply --------------------------------------------------------
    async def _store_reply(
        self, prepared: Prepared, result: TurnResult, *, status: str, error: dict[str, str] | None
    ) -> tuple[StoredMessage | None, dict[uuid.UUID, TicketSummary]]:
        earlier = list(prepared.failed_reply.tool_calls or []) if prepared.failed_reply else []
        rows, summaries = reply_rows(
            result,
            earlier_calls=earlier,
            asked=self.content,
            attached_numbers=self._attached_numbers,
            status=status,
            error=error,
            provider=self.model.provider,
            model=self.model.model,
        )
        try:
            reply, found = await self._save(prepared, rows)
        except Exception:
            logger.exception("Could not store the reply (status %s)", status)
            return None, {}
        self._reply_stored = True
        self._report.outcome, self._report.error = status, error["code"] if error else None
        for row in found:
            summary = summary_of_row(row)
            summaries[summary.id] = summary
        return reply, summaries

    async def _save(
        self, prepared: Prepared, rows: ReplyRows
    ) -> tuple[StoredMessage, list[Sequence[Any]]]:
        return await self._store.insert_reply(
            rows,
            reply_to_id=prepared.user_message.id,
            replaces=prepared.failed_reply.id if prepared.failed_reply else None,
        )

    # -- 4. the title, after the reply -----------------------------------------------
    async def _maybe_generate_title(self, prepared: Prepared, reply: StoredMessage) -> None:
        if self.model.offline or not self.settings.llm_generate_titles:
            return
        title = await generated_title(
            self.model, user_id=self.user.id, question=prepared.user_message, reply=reply
        )
        if title is not None and await self._store.set_generated_title(title):
            await self._emit("session_title", {"title": title})
