"""A chat's title, made offline from its first message (ChatModel.complete)."""

import re
from collections.abc import Callable
from typing import Final

from deskpilot.llm.offline.history import request_text
from deskpilot.llm.offline.intents import plan_reply
from deskpilot.llm.offline.issue_title import fit_title, make_title
from deskpilot.llm.offline.plan import Plan

_INSTRUCTION: Final = re.compile(
    r"^(?=.*\btitle\b)(?=.*\b(?:write|generate|create|give|make|suggest|summari[sz]e|short"
    r"|concise|words?)\b)|^(?:respond|reply|answer|return|only|do\s+not|don't)\b",
    re.IGNORECASE,
)
_LABEL: Final = re.compile(
    r"^(?:agent|user(?:\s+message)?|message|first\s+message|conversation|text|input)\s*:\s*",
    re.IGNORECASE,
)
_REPLY_PART: Final = re.compile(r"^\s*assistant\s*:", re.IGNORECASE | re.MULTILINE)


def session_title(prompt: str) -> str:
    """A short title for a chat from a prompt quoting its first message.

    Expects the chat service's "Agent: <message>\nAssistant: <reply>" but copes with any
    text: instruction lines are skipped and the assistant's part is ignored.
    """
    asked = _REPLY_PART.split(prompt, maxsplit=1)[0]
    lines = [_LABEL.sub("", ln.strip()) for ln in asked.splitlines()]
    kept = [ln for ln in lines if ln and not _INSTRUCTION.match(ln)]
    text = request_text(" ".join(kept or lines)).strip().strip("\"'“”")
    plan = plan_reply(text)
    numbers = [c.arguments["ticket_id"] for c in plan.calls if "ticket_id" in c.arguments]
    refs = ", ".join(f"#{n}" for n in numbers[:4])
    titles: dict[str, Callable[[], str]] = {
        "create": lambda: "New ticket: " + str(plan.calls[0].arguments["title"]),
        "get": lambda: ("Ticket " if len(numbers) == 1 else "Tickets ") + refs,
        "update": lambda: "Update " + refs,
        "search": lambda: _search_title(plan),
        "attached": lambda: "Attached tickets",
    }
    title = titles[plan.intent]() if plan.intent in titles else make_title(text or "New chat")
    return fit_title(title)


def _search_title(plan: Plan) -> str:
    query = str(plan.calls[0].arguments.get("query", ""))
    return f"Search: {query}" if query else "Ticket search"
