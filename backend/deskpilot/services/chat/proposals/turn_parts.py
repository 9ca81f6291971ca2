"""What a chat turn (chat/turn.py) needs to pause on proposals and to carry on after them:
the proposals its reply stores, the event that ends a paused stream, and the tickets a tool
found earlier in the conversation (which a proposal may name)."""

import uuid
from collections.abc import Sequence
from typing import Any

from deskpilot.schemas.chat import ChatMessagePublic
from deskpilot.services.chat.records import StoredMessage
from deskpilot.services.chat_llm_service import ToolCallRun


def pending_rows(runs: Sequence[ToolCallRun]) -> list[dict[str, Any]]:
    return [
        run.outcome.draft.row(run.call.id)
        for run in runs
        if run.outcome is not None and run.outcome.draft is not None
    ]


def approval_required(message: ChatMessagePublic) -> dict[str, Any]:
    """The event a paused turn ends with: the first proposal waiting (the card to show),
    all of the reply's proposals, and the stored reply."""
    waiting = [p for p in message.proposals if p.state == "pending"]
    return {
        "proposal": waiting[0].model_dump(mode="json") if waiting else None,
        "proposals": [p.model_dump(mode="json") for p in message.proposals],
        "message": message.model_dump(mode="json"),
    }


def found_in(history: Sequence[StoredMessage]) -> set[uuid.UUID]:
    """Tickets the conversation's tool calls returned (read, found, changed)."""
    return {
        uuid.UUID(str(t))
        for message in history
        for record in message.tool_calls or []
        if record.get("status") in ("ok", "executed")
        for t in record.get("ticket_ids", [])
    }
