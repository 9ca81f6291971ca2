"""A chat reply as its statement stores it (chat/turn_sql.py INSERT_REPLY, CONTINUE_REPLY):
the fields, their statement parameters, and the rows the statement returns."""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from deskpilot.core.raw_sql import RawRow
from deskpilot.llm.types import Usage
from deskpilot.services.chat import turn_sql as sql
from deskpilot.services.chat.records import StoredMessage
from deskpilot.services.token_usage import usage_params


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


@dataclass(frozen=True)
class ReplyRows:
    content: str
    tool_calls: list[dict[str, Any]] | None
    # The reply's ticket_refs in order: ids, or ticket numbers to look up (a number no
    # ticket has is left out; a ticket named twice keeps its first place).
    refs: Sequence[uuid.UUID | int]
    status: str
    error: dict[str, str] | None
    proposals: list[dict[str, Any]]  # the writes it proposes, stored with it
    linked_ids: list[uuid.UUID]  # every write its calls name (made at once: linked to it)
    usage: Usage | None  # the tokens its model calls took
    provider: str
    model: str

    def params(self) -> dict[str, Any]:
        """The statement's parameters besides the session, the user and the message."""
        numbers = [ref if isinstance(ref, int) else None for ref in self.refs]
        return {
            "content": without_nul(self.content),
            "tool_calls": (
                None if self.tool_calls is None else json.dumps(without_nul(self.tool_calls))
            ),
            "ref_ids": [None if isinstance(ref, int) else ref for ref in self.refs],
            "ref_numbers": numbers,
            "lookup_numbers": [n for n in numbers if n is not None],
            "status": self.status,
            "error": None if self.error is None else json.dumps(self.error),
            "proposals": json.dumps(without_nul(list(self.proposals))),
            "linked_ids": list(self.linked_ids),
            **usage_params(self.usage, provider=self.provider, model=self.model),
        }


def reply_and_found(rows: Sequence[RawRow]) -> tuple[StoredMessage, list[Sequence[Any]]]:
    """The stored reply, and the summary rows of the tickets its refs named by number."""
    reply = StoredMessage(*rows[0][: sql.MESSAGE_WIDTH])
    found = [row[sql.MESSAGE_WIDTH :] for row in rows if row[sql.MESSAGE_WIDTH] is not None]
    return reply, found
