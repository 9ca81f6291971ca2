"""What the parser makes of one user message: an intent and the tool calls it needs.

intents.py builds Plans; replies.py, texts.py and title.py read them.
"""

from dataclasses import dataclass
from typing import Any, Literal

from deskpilot.llm.offline.vocab import Priority, Status

ToolName = Literal["create_ticket", "get_ticket", "update_ticket", "search_tickets"]
Intent = Literal[
    "create", "get", "update", "search", "attached",  # tool intents
    "no_attached", "clarify", "unsupported", "greeting", "thanks", "help", "unknown",  # text only
]  # fmt: skip


@dataclass(frozen=True)
class PlannedCall:
    name: ToolName
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    intent: Intent
    calls: tuple[PlannedCall, ...] = ()
    missing: str | None = None  # clarify: "ticket" | "details" | "note"; unsupported: what
    priorities: frozenset[Priority] = frozenset()  # attached filter, or search "list urgent"
    statuses: frozenset[Status] = frozenset()  # attached filter
    looks_like_issue: bool = False  # unknown: the text names a problem (suggest creating)
