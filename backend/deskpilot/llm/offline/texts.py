"""The offline assistant's answers that need no tool: help, greetings, questions back."""

from collections.abc import Callable, Sequence
from typing import Final

from deskpilot.llm.offline.plan import Plan

INTRO: Final = (
    "I'm Deskpilot's **offline assistant**: a rule-based helper that runs without an AI "
    "model, because none is configured. I understand a fixed set of phrasings rather than "
    "free conversation; an admin can connect an OpenAI-compatible or Anthropic model for that."
)
EXAMPLES: Final = (
    "Here's what I can do:\n\n"
    '- **Create** a ticket: "create a ticket for the VPN outage in Berlin, it\'s urgent"\n'
    '- **Look up** a ticket: "what\'s the status of #47?", "show me ticket 12"\n'
    '- **Update** tickets: "close #47", "mark #12 as in progress", "reopen #3", '
    '"add a note to #5: customer called back"\n'
    '- **Search**: "find open tickets about printers", "show closed tickets mentioning refund"\n'
    '- **Attached tickets**: "summarise the attached tickets", "which of them are urgent?"'
)
HOW_TO_ATTACH: Final = (
    "Attach tickets with the **Add ticket** button above the chat, or type **#** in the "
    "message box to pick one."
)


def _help(plan: Plan) -> str:
    return f"{INTRO}\n\n{EXAMPLES}"


def _greeting(plan: Plan) -> str:
    return f"Hello! {INTRO}\n\n{EXAMPLES}"


def _thanks(plan: Plan) -> str:
    return "You're welcome! Tell me if there's another ticket to create, find or update."


def _unknown(plan: Plan) -> str:
    lead = "I'm not sure what you'd like me to do."
    if plan.looks_like_issue:
        lead += (
            " If this is a problem to log, say **create a ticket for …** followed by "
            "the details and I'll file it."
        )
    return f"{lead}\n\n{INTRO}\n\n{EXAMPLES}"


def _no_attached(plan: Plan) -> str:
    return (
        f"No tickets are attached to this chat yet. {HOW_TO_ATTACH} You can also ask about "
        'a ticket by number, e.g. "show #47".'
    )


_QUESTIONS: Final = {
    "ticket": (
        'Which ticket do you mean? Name it by number, e.g. "close #47" or "what\'s the '
        f'status of #47?". {HOW_TO_ATTACH} When exactly one ticket is attached, "it" means '
        "that one."
    ),
    "details": (
        'What is the ticket about? Say it in one go, e.g. "create a ticket for the printer '
        "on floor 3, it's jammed\"."
    ),
    "note": 'What should the note say? For example: "add a note to #5: customer called back".',
}


_CANNOT: Final = {
    "priority": "change a ticket's priority",
    "assignee": "assign tickets",
    "delete": "delete tickets",
    "edit": "edit a ticket's title, description or category",
}


def _unsupported(plan: Plan) -> str:
    what = _CANNOT.get(plan.missing or "", "make that change")
    return (
        f"I can't {what}: my tools only create, find and read tickets, change their status "
        "and add notes, so nothing was changed. You can do it on the ticket's page, or I can "
        'record the request as a note, e.g. "add a note to #5: please raise to urgent".'
    )


def _clarify(plan: Plan) -> str:
    return _QUESTIONS.get(plan.missing or "", _QUESTIONS["ticket"])


_TEXTS: Final[dict[str, Callable[[Plan], str]]] = {
    "help": _help,
    "greeting": _greeting,
    "thanks": _thanks,
    "unknown": _unknown,
    "no_attached": _no_attached,
    "clarify": _clarify,
    "unsupported": _unsupported,
}


def text_reply(plan: Plan) -> str:
    return _TEXTS.get(plan.intent, _unknown)(plan)


def unavailable_reply(tool_names: Sequence[str]) -> str:
    names = ", ".join(f"`{name}`" for name in tool_names)
    return (
        f"I'd need the {names} tool for that, but it isn't available in this chat, "
        "so I can't do it here."
    )
