"""Text → intent and tool calls, for the offline assistant.

`plan_reply(text, refs)` is a pure function: it reads one user message and returns
a `Plan`, either tool calls (name + schema-exact arguments) or a text-only intent.
The parsers are tried in order (PARSERS); the first that recognises the message wins:

1. create    "create a ticket for the VPN outage in Berlin, it's urgent"
   (unsupported: "make #5 urgent", "assign #5 to Dana", "delete #5" get an honest no)
2. update    "close #3 and #4", "mark #12 as in progress", "add a note to 5: called back"
3. attached  "summarise the attached tickets", "which of them are urgent?"
4. search    "find open tickets about printers", "list urgent tickets"
5. chat      greetings, thanks, help (only without ticket numbers)
6. get       "what's the status of #47?", "tell me about 47", "show it"
Anything else gets the help text.
"""

import re
from collections.abc import Callable
from typing import Any, Final

from deskpilot.llm.offline.create import create_arguments, find_create_request
from deskpilot.llm.offline.plan import Intent, Plan, PlannedCall, ToolName
from deskpilot.llm.offline.refs import (
    PLURAL_REF,
    SINGULAR_PRONOUN,
    TicketRefs,
    strong_refs,
    ticket_refs,
)
from deskpilot.llm.offline.search import is_search_request, search_arguments
from deskpilot.llm.offline.update import NOTE_MARKER, find_update_request
from deskpilot.llm.offline.vocab import (
    PRIORITY_FILTERS,
    STATUS_FILTERS,
    Priority,
    Status,
    detect_category,
    first_match,
)

_I = re.IGNORECASE

MAX_CALLS: Final = 20  # one turn never proposes more tool calls than this


def plan_reply(text: str, refs: TicketRefs = TicketRefs()) -> Plan:
    clean = normalise(text)
    if not clean:
        return Plan("help")
    for parser in PARSERS:
        plan = parser(clean, refs)
        if plan is not None:
            return plan
    return Plan("unknown", looks_like_issue=detect_category(clean) is not None)


_TYPOGRAPHY: Final = str.maketrans("’‘“”\u00a0", "''\"\" ")


def normalise(text: str) -> str:
    text = text.translate(_TYPOGRAPHY)
    return re.sub(r"\s+", " ", text).strip()


def _calls(name: ToolName, items: list[dict[str, Any]]) -> tuple[PlannedCall, ...]:
    return tuple(PlannedCall(name, arguments) for arguments in items[:MAX_CALLS])


def parse_create(text: str, refs: TicketRefs) -> Plan | None:
    match = find_create_request(text)
    if match is None:
        return None
    arguments = create_arguments(text, match)
    if arguments is None:
        return Plan("clarify", missing="details")
    return Plan("create", _calls("create_ticket", [arguments]))


# Changes the four tools cannot make; asked about a ticket, they get an honest answer.
_UNSUPPORTED: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    ("delete", re.compile(r"\b(?:delete|remove|destroy|purge|erase)\b", _I)),
    ("assignee", re.compile(r"\b(?:re-?assign|assign|hand\s+(?:\w+\s+)?over\s+to)\b", _I)),
    (
        "priority",
        re.compile(
            r"\b(?:escalate|de-?escalate|prioriti[sz]e)\b|\bpriority\b.{0,20}?\bto\b"
            r"|\b(?:set|make|mark|change|move|bump|raise|lower|upgrade|downgrade)\b.{0,40}?"
            r"\b(?:urgent|high|low|medium)\b",
            _I,
        ),
    ),
    (
        "edit",
        re.compile(
            r"\b(?:rename|retitle)\b|\b(?:change|edit|update|fix|set)\s+(?:the\s+|its\s+)?"
            r"(?:title|description|category)\b",
            _I,
        ),
    ),
)


def parse_unsupported(text: str, refs: TicketRefs) -> Plan | None:
    if (marker := NOTE_MARKER.search(text)) is not None:  # a note may say anything
        text = text[: marker.start()] + (marker.group("target") or "")
    names_a_ticket = (
        ticket_refs(text, allow_bare=True)
        or SINGULAR_PRONOUN.search(text)
        or PLURAL_REF.search(text)
    )
    if not names_a_ticket:
        return None
    what = first_match(_UNSUPPORTED, text)
    return Plan("unsupported", missing=what) if what is not None else None


def parse_update(text: str, refs: TicketRefs) -> Plan | None:
    request = find_update_request(text)
    if request is None:
        return None
    targets = ticket_refs(request.command, allow_bare=True)
    if not targets and PLURAL_REF.search(request.command) and refs.attached:
        targets = list(refs.attached)
    elif not targets and (SINGULAR_PRONOUN.search(request.command) or request.implied_target):
        targets = refs.implied()
        if not targets:
            return Plan("clarify", missing="ticket")
    if not targets:
        return None  # "find tickets with a note about refunds" is a search
    if request.notes == "" and request.status is None:
        return Plan("clarify", missing="note")
    changes: dict[str, Any] = {}
    if request.status is not None:
        changes["status"] = request.status
    if request.notes:
        changes["notes"] = request.notes
    return Plan("update", _calls("update_ticket", [{"ticket_id": n, **changes} for n in targets]))


_ATTACHED_TOPIC: Final = re.compile(
    r"\battached\b|\b(?:this|the|our|current)\s+(?:chat|conversation)\b|\bsummar(?:y|i[sz]e)\b"
    r"|\b(?:which|any)\s+ones\b",
    _I,
)


def parse_attached(text: str, refs: TicketRefs) -> Plan | None:
    if strong_refs(text):
        return None
    plural = PLURAL_REF.search(text) is not None
    if not plural and not _ATTACHED_TOPIC.search(text):
        return None
    if not plural and SINGULAR_PRONOUN.search(text) and refs.implied():
        return None  # "summarise it" is about one ticket: a get
    if not refs.attached:
        return Plan("no_attached")
    priorities = first_match(PRIORITY_FILTERS, text) or frozenset[Priority]()
    statuses = first_match(STATUS_FILTERS, text) or frozenset[Status]()
    calls = _calls("get_ticket", [{"ticket_id": n} for n in refs.attached])
    return Plan("attached", calls, priorities=priorities, statuses=statuses)


def parse_search(text: str, refs: TicketRefs) -> Plan | None:
    if strong_refs(text) or not is_search_request(text):
        return None
    arguments, priority = search_arguments(text)
    priorities = frozenset({priority}) if priority is not None else frozenset[Priority]()
    return Plan("search", _calls("search_tickets", [arguments]), priorities=priorities)


_GET_WORDS: Final = re.compile(
    r"\b(?:show|display|open|view|details?|info|information|status|state|tell|what|what's|how's"
    r"|check|look|pull|get|fetch|see|about|describe|summar(?:y|i[sz]e)|explain|update|news"
    r"|progress|who|where|when)\b",
    _I,
)
_NUMBERS_ONLY: Final = re.compile(r"^(?:tickets?\s+)?#?\d+(?:\s*(?:,|and|&)\s*#?\d+)*\s*\??$", _I)


def parse_get(text: str, refs: TicketRefs) -> Plan | None:
    targets = strong_refs(text)
    if not targets and (_GET_WORDS.search(text) or _NUMBERS_ONLY.match(text)):
        targets = ticket_refs(text, allow_bare=True)
    if not targets and SINGULAR_PRONOUN.search(text) and _GET_WORDS.search(text):
        targets = refs.implied()
        if not targets:
            return Plan("clarify", missing="ticket")
    if not targets:
        return None
    return Plan("get", _calls("get_ticket", [{"ticket_id": n} for n in targets]))


_CHAT: Final[tuple[tuple[Intent, re.Pattern[str]], ...]] = (
    (
        "help",
        re.compile(
            r"\bhelp\b|\bwhat\s+(?:can|do)\s+you\s+do\b|\bhow\s+(?:does\s+this|do\s+i\s+use)"
            r"|^how\s+(?:do|can|should)\s+(?:i|we|you)\b"
            r"|\b(?:who|what)\s+are\s+you\b|\bare\s+you\s+(?:an?\s+)?(?:ai|bot|robot|human|real"
            r"|gpt|chatgpt|llm|model|offline)\b|\bcommands\b|\bexamples?\b|\bcapabilities\b",
            _I,
        ),
    ),
    (
        "thanks",
        re.compile(
            r"^(?:(?:ok(?:ay)?|great|perfect|cool|nice|awesome|super)[\s,!.]*)?"
            r"(?:thanks|thank\s+you|thx|ty|cheers|much\s+appreciated)\b.{0,40}$",
            _I,
        ),
    ),
    (
        "greeting",
        re.compile(
            r"^(?:hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening))\b"
            r"[\s,!.]*(?:there|deskpilot|team|all|everyone)?[\s!.]*$",
            _I,
        ),
    ),
)


def parse_chat(text: str, refs: TicketRefs) -> Plan | None:
    if strong_refs(text):
        return None  # "thanks, and what about #47?" is a question about #47
    intent = first_match(_CHAT, text)
    return Plan(intent) if intent is not None else None


Parser = Callable[[str, TicketRefs], Plan | None]
PARSERS: Final[tuple[Parser, ...]] = (
    parse_create,
    parse_unsupported,
    parse_update,
    parse_attached,
    parse_search,
    parse_chat,
    parse_get,
)
