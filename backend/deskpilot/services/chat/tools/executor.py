"""Running the model's tool calls as the requesting user, through the registry.

Every outcome is data for the model: success payloads, or {"error": {"code", "message"}}
for unknown tools, invalid arguments, unknown tickets and refusals. Write tools act only
on tickets in the conversation's scope (named by the user, attached, or created in this
session), so instructions smuggled into ticket text cannot reach other tickets.
"""

import json
import time
import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from deskpilot.core import metrics
from deskpilot.core.errors import AppError, NotFound
from deskpilot.core.raw_sql import RawReader
from deskpilot.services.actor import Actor
from deskpilot.services.chat.tools import TOOLS
from deskpilot.services.chat.tools.base import ToolContext, ToolOutcome, ToolScope, tool_error


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
        reader: RawReader | None = None,
    ) -> None:
        self._sessions = sessions
        self._reader = reader
        # Tools that only read may use autocommit sessions: no BEGIN/COMMIT round trips.
        self._read_sessions = read_sessions or sessions
        self._context = ToolContext(
            actor=Actor(user_id=user_id, channel="chat", chat_session_id=chat_session_id),
            scope=scope,
            max_attached=max_attached,
        )

    async def execute(self, name: str, raw_arguments: str | dict[str, Any]) -> ToolOutcome:
        started = time.perf_counter()
        outcome = await self._execute(name, raw_arguments)
        elapsed = time.perf_counter() - started
        outcome.duration_ms = int(elapsed * 1000)
        tool = name if name in TOOLS else "unknown"  # a model may call anything
        metrics.tool_call_duration.labels(tool, outcome.status).observe(elapsed)
        return outcome

    async def _execute(self, name: str, raw_arguments: str | dict[str, Any]) -> ToolOutcome:
        tool = TOOLS.get(name)
        if tool is None:
            known = ", ".join(TOOLS)
            return tool_error(
                "unknown_tool", f"There is no tool named '{name[:60]}'. Available tools: {known}."
            )
        try:
            arguments = (
                json.loads(raw_arguments or "{}")
                if isinstance(raw_arguments, str)
                else raw_arguments
            )
        except json.JSONDecodeError as exc:
            return tool_error(
                "invalid_arguments", f"The arguments for {name} are not valid JSON ({exc.msg})."
            )
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
        if tool.on_turn_connection and self._reader is not None:
            return await tool.handler(self._reader, parsed, self._context)
        sessions = self._read_sessions if tool.read_only else self._sessions
        async with sessions() as db:
            try:
                outcome = await tool.handler(db, parsed, self._context)
                await db.commit()
                return outcome
            except NotFound as exc:
                await db.rollback()
                return tool_error("not_found", exc.message)
            except AppError as exc:
                await db.rollback()
                return tool_error(exc.code, exc.message)
