"""What the parser makes of one user message: an intent and the tool calls it needs.

intents.py builds Plans; replies.py, texts.py and title.py read them.
"""

from dataclasses import dataclass
from typing import Any, Literal

from deskpilot.llm.offline.lexicon import Priority, Status

ToolName = Literal["create_ticket", "get_ticket", "update_ticket", "search_tickets"]
Intent = Literal[
    "create", "get", "update", "search", "attached",  # tool intents
    "confirm",  # a write it is not sure of: asked first, quoting it ("Close #60?")
    "clarify",  # something is missing: which ticket, which person, what about
    "declined",  # a write the agent said not to make ("don't close 60 yet")
    "cancelled",  # "never mind"
    "unsupported",  # no tool for it: delete, merge, edit, e-mail, a team, "on hold"
    "advice",  # "should we close 70?": the agent's call
    "no_attached", "greeting", "thanks", "help", "howto", "smalltalk", "unknown",
]  # fmt: skip


@dataclass(frozen=True)
class PlannedCall:
    name: ToolName
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    intent: Intent
    calls: tuple[PlannedCall, ...] = ()
    missing: str | None = None  # clarify: "ticket" | "details" | "note" | "person" | "priority"
    # unsupported: "delete" | "merge" | "edit" | "email" | "bulk" | "account" | "team" | "status"
    priorities: frozenset[Priority] = frozenset()  # attached filter, or search "list urgent"
    statuses: frozenset[Status] = frozenset()  # attached filter
    looks_like_issue: bool = False  # unknown: the text names a problem (offer to log it)
    asides: tuple[str, ...] = ()  # plain sentences said with the calls' results
    options: tuple[str, ...] = ()  # clarify "person": the agents it could be
    subject: str = ""  # what a question or refusal is about ("tom", "on hold", "#60")
