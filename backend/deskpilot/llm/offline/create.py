"""Reading "create a ticket for …" requests into create_ticket arguments."""

import re
from typing import Any, Final

from deskpilot.llm.offline.vocab import detect_category, detect_priority, is_priority_only, words

_I = re.IGNORECASE

_VERB = (
    r"(?:create|open|log|file|raise|submit|make|add|start|register|lodge|cut|put\s+in|write\s+up)"
)
_FILLER = (
    r"(?:(?:a|an|new|another|separate|quick|support|helpdesk|service|urgent|critical|high|low"
    r"|medium|normal|priority|high-priority|low-priority|p[1-4])\s+){0,4}"
)
_NOUN = r"(?:ticket|case|incident|issue)\b(?!\s*(?:#|no\.?|number)?\s?\d)"
CREATE_PHRASE: Final = re.compile(
    rf"\b{_VERB}\s+(?:me\s+|us\s+)?{_FILLER}{_NOUN}"
    rf"|\b(?:need|want)\s+(?:a|an)\s+{_FILLER}{_NOUN}"
    rf"|^\s*(?:new|another)\s+{_FILLER}{_NOUN}",
    _I,
)

_LEADING_CONNECTOR: Final = re.compile(
    r"^[\s:,.;!\-–—]*(?:(?:for|about|regarding|re|on|concerning|because|saying|that\s+says"
    r"|stating|with|to\s+say)\b)?[\s:,\-–—]*",
    _I,
)
# Words that end a "…, please file a ticket" lead-in, and words that end a request.
_REQUEST_TAIL: Final = words(
    "so and then please pls kindly can could would you we let's i need to ok okay , ; : . - – — !"
)
_COURTESY_TAIL: Final = words("please pls thanks thx , ; : . - – — !")
_TOKEN: Final = re.compile(r"[\w']+|[^\w\s']|\s+")
_LEADING_POLITENESS: Final = re.compile(
    r"^(?:(?:please|pls|kindly|ok|okay|so|hey|hi)\b[\s,]*)+", _I
)
_PRIORITY_PREFIX: Final = re.compile(
    r"^(?:urgent|asap|critical|high[\s-]priority|low[\s-]priority)\s*[:\-–—!]+\s*", _I
)
_PRONOUN_ONLY: Final = re.compile(r"^(?:it|this|that|this one|that one|them|one)?[\s.!]*$", _I)
_CLAUSE_SEPARATOR: Final = re.compile(r"\s*(?:[,;!?]|\.(?=\s|$)|\s[-–—]\s)\s*")

# Prefixes that say who reported the problem rather than what it is.
_TITLE_PREFIXES: Final = re.compile(
    r"^(?:(?:the\s+)?(?:customer|client|user|caller|someone|somebody)\s+"
    r"(?:called|calls|rang|phoned|says|said|reports|reported|reporting|mentioned|emailed|wrote)"
    r"(?:\s+(?:in|that|to\s+say))?\s*[:,\-–—]?\s*"
    r"|(?:issue|problem|subject|re)\s*:\s*"
    r"|(?:the|a|an|our|my)\s+)",
    _I,
)
TITLE_MAX_CHARS: Final = 60
_ACRONYMS: Final = words("vpn dns sso mfa 2fa pc usb hdmi sla api crm erp sap lan wan ip")


def find_create_request(text: str) -> re.Match[str] | None:
    return CREATE_PHRASE.search(text)


def create_arguments(text: str, match: re.Match[str]) -> dict[str, Any] | None:
    """create_ticket arguments, or None when the message says nothing about the issue."""
    body = _issue_text(text, match)
    if not body:
        return None
    arguments: dict[str, Any] = {"title": make_title(body), "description": _sentence(body)}
    priority = detect_priority(text)
    if priority is not None:
        arguments["priority"] = priority
    category = detect_category(body)
    if category is not None:
        arguments["category"] = category
    return arguments


def _issue_text(text: str, match: re.Match[str]) -> str:
    after = _LEADING_CONNECTOR.sub("", text[match.end() :], count=1)
    before = _strip_tail(text[: match.start()], _REQUEST_TAIL)
    after, before = _clean(after), _clean(before)
    if after and not _PRONOUN_ONLY.match(after):
        return after
    return before


def _clean(text: str) -> str:
    text = _LEADING_POLITENESS.sub("", text.strip())
    text = _PRIORITY_PREFIX.sub("", text)
    text = drop_priority_clauses(text)
    text = re.sub(r"\bthank\s+you\W*$", "", text, flags=_I)
    return _strip_tail(text, _COURTESY_TAIL).strip(" \t\n,;:-–—")


def _strip_tail(text: str, tail: frozenset[str]) -> str:
    """Drop the trailing words and marks listed in `tail` (one backward pass over tokens)."""
    cut = len(text)
    for token in reversed(list(_TOKEN.finditer(text))):
        if not token.group(0).isspace() and token.group(0).lower() not in tail:
            break
        cut = token.start()
    return text[:cut]


def drop_priority_clauses(text: str) -> str:
    """Remove clauses that only state a priority: "VPN down, it's urgent" → "VPN down"."""
    pieces: list[str] = []
    position = 0
    separator = ""
    for boundary in _CLAUSE_SEPARATOR.finditer(text):
        pieces.append(separator)
        pieces.append(text[position : boundary.start()])
        separator, position = boundary.group(0), boundary.end()
    pieces.append(separator)
    pieces.append(text[position:])
    kept: list[str] = []
    for sep, clause in zip(pieces[0::2], pieces[1::2], strict=True):
        if clause.strip() and not is_priority_only(clause):
            kept.append((sep if kept else "") + clause)
    return "".join(kept)


def make_title(body: str) -> str:
    """A short, capitalised title: the first clause of the issue, without who reported it."""
    title = body.strip()
    for _ in range(3):
        stripped = _TITLE_PREFIXES.sub("", title, count=1)
        if stripped == title:
            break
        title = stripped
    title = re.split(r"(?<=[.!?;])\s|\s[-–—]\s|[.!?;]$", title, maxsplit=1)[0]
    head, comma, rest = title.partition(", ")
    if comma and len(head.split()) >= 3:
        title = head  # "VPN outage in Berlin, users can't work" → "VPN outage in Berlin"
    elif comma and len(head.split()) <= 2 and len(rest.split()) >= 2:
        title = rest  # "Jane, she's locked out" → "she's locked out"
    title = title.strip(" .,;:!-–—\"'")
    title = re.sub(r"[\w']+", lambda w: w[0].upper() if w[0].lower() in _ACRONYMS else w[0], title)
    title = fit_title(title)
    return _capitalise(title) if title else "New ticket"


def fit_title(title: str) -> str:
    """At most TITLE_MAX_CHARS, cut at a word with an ellipsis (ticket and chat titles alike)."""
    if len(title) <= TITLE_MAX_CHARS:
        return title
    return title[: TITLE_MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def _sentence(text: str) -> str:
    text = _capitalise(text.strip())
    return text if text[-1:] in ".!?…" else text + "."


def _capitalise(text: str) -> str:
    first = re.match(r"[\w']+", text)
    if first is not None and first.group(0).lower() in _ACRONYMS:
        return first.group(0).upper() + text[first.end() :]
    return text[:1].upper() + text[1:]
