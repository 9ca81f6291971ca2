"""Running the model's tool calls as the requesting user, through the registry.

Every outcome is data for the model: success payloads, or {"error": {"code", "message"}}
for unknown tools, invalid arguments, unknown tickets and refusals. Write tools act only
on tickets in the conversation's scope (named by the user, attached, or created in this
session), so instructions smuggled into ticket text cannot reach other tickets.

When the agent approves writes (chat/proposals/policy.py), a write tool's call is checked
the same way and previewed instead of run: a proposal the turn pauses on. A write made at
once is recorded as an executed proposal in its own transaction, so it can be undone.

A write call that repeats one a replaced reply made (regenerate, edit-and-resend) is not
run: it is answered "already done" with the earlier result (chat/replacing.py).
"""

import dataclasses
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deskpilot.core import metrics
from deskpilot.core.errors import AppError, NotFound
from deskpilot.core.raw_sql import RawReader
from deskpilot.llm.text_tool_calls import lenient_json
from deskpilot.models import ChatProposal
from deskpilot.services.actor import Actor
from deskpilot.services.chat.replacing import WriteDone, already_done, as_made
from deskpilot.services.chat.tools import TOOLS
from deskpilot.services.chat.tools.base import (
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
    ToolScope,
    tool_error,
)
from deskpilot.services.chat.tools.groups import TurnWrites


class ChatToolExecutor:
    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        user_id: uuid.UUID,
        chat_session_id: uuid.UUID,
        scope: ToolScope,
        max_attached: int = 20,
        read_sessions: async_sessionmaker[AsyncSession] | None = None,
        reading: Callable[[], AbstractAsyncContextManager[RawReader]] | None = None,
        approval: bool = False,
        phone_region: str = "US",
        writes_done: Sequence[WriteDone] = (),
    ) -> None:
        self._sessions = sessions
        self._writes_done = writes_done  # by replaced replies: never run again
        self._reading = reading  # the turn's raw reads, for tools on_turn_connection
        self._approval = approval  # write tools propose; the agent decides
        # Tools that only read may use autocommit sessions: no BEGIN/COMMIT round trips.
        self._read_sessions = read_sessions or sessions
        self._context = ToolContext(
            actor=Actor(user_id=user_id, channel="chat", chat_session_id=chat_session_id),
            scope=scope,
            max_attached=max_attached,
            phone_region=phone_region,
        )
        self._writes = TurnWrites()  # this turn's writes: what later ones are filled from

    async def execute(
        self, name: str, raw_arguments: str | dict[str, Any], *, call_id: str = ""
    ) -> ToolOutcome:
        started = time.perf_counter()
        outcome = await self._execute(name, raw_arguments, call_id)
        elapsed = time.perf_counter() - started
        outcome.duration_ms = int(elapsed * 1000)
        tool = name if name in TOOLS else "unknown"  # a model may call anything
        metrics.tool_call_duration.labels(tool, outcome.status).observe(elapsed)
        if outcome.status == "ok":
            self._context.scope.found_ids.update(outcome.ticket_ids)
            self._context.scope.contact_ids.update(outcome.contact_ids)
        return outcome

    async def _execute(
        self, name: str, raw_arguments: str | dict[str, Any], call_id: str
    ) -> ToolOutcome:
        tool = TOOLS.get(name)
        if tool is None:
            known = ", ".join(TOOLS)
            return tool_error(
                "unknown_tool", f"There is no tool named '{name[:60]}'. Available tools: {known}."
            )
        # Local models write raw newlines, trailing commas, single quotes or cut-off
        # strings: repaired here, then checked against the schema like any arguments.
        arguments = (
            lenient_json(raw_arguments or "{}") if isinstance(raw_arguments, str) else raw_arguments
        )
        if arguments is None:
            return tool_error("invalid_arguments", f"The arguments for {name} are not valid JSON.")
        if not isinstance(arguments, dict):
            return tool_error(
                "invalid_arguments", f"The arguments for {name} must be a JSON object."
            )
        try:
            parsed = tool.args.model_validate(arguments)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: "
                + ("unknown field" if e["type"] == "extra_forbidden" else e["msg"])
                for e in exc.errors()[:5]
            )
            return tool_error("invalid_arguments", f"Invalid arguments for {name}: {problems}.")
        if tool.on_turn_connection and self._reading is not None:
            async with self._reading() as reader:
                return await tool.handler(reader, parsed, self._context)
        if tool.read_only:
            read = await self._run(tool.handler, parsed, self._read_sessions, self._context)
            assert read is not None  # only a preview may have nothing to say
            return read
        outcome = await self._write_or_propose(tool, parsed, call_id)
        self._writes.add(tool.name, as_made(outcome))  # already done: yields what it made
        return outcome

    async def _write_or_propose(self, tool: Tool, parsed: ToolArgs, call_id: str) -> ToolOutcome:
        """A write: proposed (approval on), or made at once; what it leaves out that an
        earlier write of the turn produces is filled in (chat/tools/groups.py)."""
        link = self._writes.link(tool.name, parsed)
        made = dataclasses.replace(
            link, sources={k: s for k, s in link.sources.items() if not s.proposed}
        )
        filled = self._writes.filled(parsed, made)
        if isinstance(filled, ToolOutcome):
            return filled
        parsed = filled
        if self._writes_done:  # a replaced reply's write, repeated: never run again
            done = already_done(self._writes_done, tool.name, parsed.model_dump(exclude_none=True))
            if done is not None:
                return done
        if self._approval and tool.preview is not None:
            later = frozenset(k for k, s in link.sources.items() if s.proposed)
            context = dataclasses.replace(self._context, later=later)
            proposal = await self._run(tool.preview, parsed, self._read_sessions, context)
            if proposal is not None:
                if proposal.status == "proposed" and link.waits:
                    self._writes.group(proposal, link)
                return proposal
        if link.waits:  # nothing to approve here, but it needs what a proposal will make
            return tool_error(
                "not_done", "Not done: it depends on an earlier change that awaits approval."
            )
        return await self._write(tool, parsed, call_id)

    async def _write(self, tool: Tool, parsed: ToolArgs, call_id: str) -> ToolOutcome:
        """A write at once, recorded (same transaction) as an executed proposal."""
        write_id = uuid.uuid4()
        actor = dataclasses.replace(self._context.actor, write_id=write_id)
        context = dataclasses.replace(self._context, actor=actor)

        async def record(db: AsyncSession, outcome: ToolOutcome) -> None:
            if outcome.status != "ok" or not (outcome.mutated or outcome.contact_ids):
                return
            changes = outcome.result.get("changes") or []
            db.add(
                ChatProposal(
                    id=write_id,
                    session_id=self._context.scope.session_id,
                    tool_call_id=call_id,
                    tool=tool.name,
                    arguments=parsed.model_dump(exclude_none=True),
                    ticket_id=outcome.ticket_ids[0] if outcome.ticket_ids else None,
                    snapshot={"fields": {c["field"]: c["old"] for c in changes}},
                    state="executed",
                    automatic=True,
                    result=outcome.result,
                    summary=outcome.summary,
                    decided_at=func.now(),
                )
            )
            await db.flush()
            outcome.write_id = write_id

        outcome = await self._run(tool.handler, parsed, self._sessions, context, after=record)
        assert outcome is not None
        return outcome

    async def _run(
        self,
        run: Callable[[Any, Any, ToolContext], Awaitable[ToolOutcome | None]],
        parsed: ToolArgs,
        sessions: async_sessionmaker[AsyncSession],
        context: ToolContext,
        *,
        after: Callable[[AsyncSession, ToolOutcome], Awaitable[None]] | None = None,
    ) -> ToolOutcome | None:
        """A handler (or a preview) in one unit of work; refusals as data."""
        async with sessions() as db:
            try:
                outcome = await run(db, parsed, context)
                if after is not None and outcome is not None:
                    await after(db, outcome)
                await db.commit()
                return outcome
            except NotFound as exc:
                await db.rollback()
                return tool_error("not_found", exc.message)
            except AppError as exc:
                await db.rollback()
                return tool_error(exc.code, exc.message)
