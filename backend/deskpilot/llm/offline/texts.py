"""The offline assistant's answers that need no tool: help, greetings, and its questions —
each question short, and quoting the write it would make ("Close #60?")."""

from collections.abc import Callable, Sequence
from typing import Any, Final

from deskpilot.llm.offline.lexicon import STATUS_LABELS
from deskpilot.llm.offline.plan import Plan, PlannedCall

INTRO: Final = (
    "I'm Deskpilot's **offline assistant**: a rule-based helper that runs without an AI "
    "model, because none is configured. I understand a fixed set of phrasings rather than "
    "free conversation; an admin can connect an OpenAI-compatible or Anthropic model for that."
)
EXAMPLES: Final = (
    "Here's what I can do:\n\n"
    "- **Create** a ticket: `create a ticket for the VPN outage in Berlin, it's urgent`, "
    "`tkt for a new headset for jen, low prio`\n"
    "- **Look up** a ticket: `what's the status of #47?`, `who has 27`, `pull up 60`\n"
    "- **Update** tickets: `close #47`, `mark 12 in progress`, `bump 23 to urgent`, "
    "`assign 40 to marco`, `add a note to #5: customer called back`\n"
    "- **Search**: `find open tickets about printers`, `closed tix re: vpn, top 5`\n"
    "- **Attached tickets**: `summarise the attached tickets`, `which of them are urgent?`"
)
HOW_TO_ATTACH: Final = (
    "Attach tickets with the **Add ticket** button above the chat, or type **#** in the "
    "message box to pick one."
)
STATUSES: Final = (
    "A ticket is **open** when it is new or waiting, **in progress** while someone works on "
    "it, **resolved** when the problem is fixed (the caller may still confirm), and "
    "**closed** when nothing more will happen on it."
)


def _help(plan: Plan) -> str:
    return f"{INTRO}\n\n{EXAMPLES}"


def _greeting(plan: Plan) -> str:
    return f"Hello! {INTRO}\n\n{EXAMPLES}"


def _thanks(plan: Plan) -> str:
    return "You're welcome! Tell me if there's another ticket to create, find or update."


def _smalltalk(plan: Plan) -> str:
    return "OK. I'm here when you need a ticket created, found or updated."


def _howto(plan: Plan) -> str:
    if plan.subject == "attach":
        return HOW_TO_ATTACH
    if plan.subject == "statuses":
        return STATUSES
    if plan.subject == "tickets":
        return f"Just tell me, in your own words. {EXAMPLES}"
    return (
        "I can only help with tickets here: creating, finding and updating them. For other "
        'questions, ask a colleague or your knowledge base. Say "help" to see examples.'
    )


def _unknown(plan: Plan) -> str:
    lead = "I'm not sure what you'd like me to do."
    if plan.looks_like_issue:
        lead += (
            " If this is a problem to log, say **log a ticket:** followed by the details and "
            "I'll file it."
        )
    return f"{lead}\n\n{INTRO}\n\n{EXAMPLES}"


def _no_attached(plan: Plan) -> str:
    return (
        f"No tickets are attached to this chat yet. {HOW_TO_ATTACH} You can also ask about "
        'a ticket by number, e.g. "show #47".'
    )


_QUESTIONS: Final[dict[str, str]] = {
    "ticket": "Which ticket do you mean (its number)?",
    "details": "What is the ticket about, in a few words?",
    "note": "What should the note on {subject} say?",
    "priority": "Which priority should {subject} get: low, medium, high or urgent?",
    "change": "What should I change on {subject}: its status, priority, assignee, or a note?",
}


def _clarify(plan: Plan) -> str:
    if plan.missing == "person":
        if len(plan.options) in (2, 3) and plan.subject.lower() not in _lower(plan.options):
            return f"Which {plan.subject} do you mean: {_either(plan.options)}?"
        agents = f" The agents here are {_either(plan.options, 'and')}." if plan.options else ""
        return (
            f"I don't know anyone called “{plan.subject}” on this desk.{agents} Who should get it?"
        )
    return _QUESTIONS.get(plan.missing or "", _QUESTIONS["ticket"]).format(subject=plan.subject)


def _lower(names: Sequence[str]) -> set[str]:
    return {n.lower() for n in names}


def _either(names: Sequence[str], word: str = "or") -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {word} " + names[-1]


def _confirm(plan: Plan) -> str:
    """ "Close #60?", "Add a note to #47: “roller replaced”?": the write, quoted."""
    parts = [describe_call(call) for call in plan.calls]
    question = _sentence_list(parts)
    asides = asides_text(plan.asides)
    return question[:1].upper() + question[1:] + "?" + (f" {asides}" if asides else "")


def describe_call(call: PlannedCall) -> str:
    args: dict[str, Any] = call.arguments
    ref = f"#{args.get('ticket_id')}"
    if call.name == "create_ticket":
        return f"log a ticket “{args.get('title', '')}”"
    parts: list[str] = []
    status = args.get("status")
    if status == "closed":
        parts.append(f"close {ref}")
    elif status == "resolved":
        parts.append(f"resolve {ref}")
    elif status == "open":
        parts.append(f"reopen {ref}")
    elif status:
        parts.append(f"set {ref} to {STATUS_LABELS.get(status, status)}")
    if args.get("priority"):
        parts.append(f"make {ref if not parts else 'it'} {args['priority']}")
    if args.get("assignee"):
        parts.append(f"assign {ref if not parts else 'it'} to {args['assignee']}")
    if args.get("notes"):
        target = f"to {ref}" if not parts else ""
        parts.append(f"add a note {target}: “{_short(str(args['notes']), 120)}”".replace("  ", " "))
    return _sentence_list(parts) if parts else f"update {ref}"


def _sentence_list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _short(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


_CANNOT: Final[dict[str, str]] = {
    "delete": "I can't delete tickets or notes.",
    "merge": "I can't merge tickets.",
    "edit": "I can't change a ticket's title, category, description or dates.",
    "email": "I can't e-mail or message customers.",
    "bulk": "I change tickets one by one, by number: I won't change every ticket at once.",
    "account": "I can't manage accounts, passwords or people's details.",
    "instructions": "I don't follow instructions written inside tickets or pasted text.",
}


def asides_text(asides: Sequence[str]) -> str:
    """Plain sentences for what was asked but cannot be done."""
    said: list[str] = []
    for aside in asides:
        kind, _, subject = aside.partition(":")
        if kind == "cannot":
            said.append(_CANNOT.get(subject, "I can't do that part."))
        elif kind == "team":
            said.append(f"I can't assign to a team yet (“{subject}”): a ticket goes to one person.")
        elif kind == "not_a_status":
            said.append(
                f"“{subject.capitalize()}” isn't a status here: tickets are open, in progress, "
                "resolved or closed."
            )
    return " ".join(dict.fromkeys(said))


def _unsupported(plan: Plan) -> str:
    if plan.missing == "team":
        return (
            f"I can't assign tickets to a team yet (“{plan.subject}”): a ticket goes to one "
            "person. Who on the desk should take it?"
        )
    if plan.missing == "status":
        return asides_text([f"not_a_status:{plan.subject}"]) + " Which of those should it be?"
    lead = _CANNOT.get(plan.missing or "", "I can't do that with my tools.")
    return (
        f"{lead} Nothing was changed. I can create, find and read tickets, and change their "
        "status, priority or assignee, or add a note."
    )


def _declined(plan: Plan) -> str:
    if plan.subject == "ticket":
        return "OK, no ticket."
    target = plan.subject or "it"
    return f"OK, I'll leave {target} as it is."


def _cancelled(plan: Plan) -> str:
    return "OK, nothing was changed."


def _advice(plan: Plan) -> str:
    target = plan.subject or "the ticket"
    return (
        f"That's your call: I don't decide for you. I can show {target} so you can "
        "check, or make the change when you tell me to."
    )


_TEXTS: Final[dict[str, Callable[[Plan], str]]] = {
    "help": _help,
    "greeting": _greeting,
    "thanks": _thanks,
    "smalltalk": _smalltalk,
    "howto": _howto,
    "unknown": _unknown,
    "no_attached": _no_attached,
    "clarify": _clarify,
    "confirm": _confirm,
    "unsupported": _unsupported,
    "declined": _declined,
    "cancelled": _cancelled,
    "advice": _advice,
}


def text_reply(plan: Plan) -> str:
    return _TEXTS.get(plan.intent, _unknown)(plan)


def unavailable_reply(tool_names: Sequence[str]) -> str:
    names = ", ".join(f"`{name}`" for name in tool_names)
    return (
        f"I'd need the {names} tool for that, but it isn't available in this chat, "
        "so I can't do it here."
    )
