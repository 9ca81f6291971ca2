"""What a chat turn (chat/turn.py) needs to pause on proposals and to carry on after them:
the rows its reply stores, the event that ends a paused stream, and the tickets a tool
found earlier in the conversation (which a proposal may name)."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from deskpilot.llm.types import Usage
from deskpilot.schemas.chat import ChatMessagePublic
from deskpilot.services.chat.records import StoredMessage
from deskpilot.services.chat_llm_service import ToolCallRun


@dataclass(frozen=True)
class ReplyRows:
    """A reply as its statement stores it (chat/turn_store.insert_reply, continue_reply)."""

    content: str
    tool_calls: list[dict[str, Any]] | None
    refs: Sequence[uuid.UUID | int]
    status: str
    error: dict[str, str] | None
    proposals: list[dict[str, Any]]  # the writes it proposes, stored with it
    linked_ids: list[uuid.UUID]  # every write its calls name (made at once: linked to it)
    usage: Usage | None  # the tokens its model calls took
    provider: str
    model: str

    def fields(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it deep-copies the tool calls (their results), milliseconds.
        return {f.name: getattr(self, f.name) for f in fields(self)}


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
