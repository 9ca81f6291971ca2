"""Reading "find open tickets about printers" into search_tickets arguments.

The tool has no priority filter. "list urgent tickets" searches the ticket text for
the priority word and the reply points out which hits really have that priority.
"""

import re
from typing import Any, Final

from deskpilot.llm.offline.vocab import PRIORITY_QUERIES, Priority, status_from_word

_I = re.IGNORECASE

_TICKETS = r"(?:tickets|issues|cases|incidents)"
_SEARCH_VERB = r"(?:search(?:\s+for)?|find|look\s*up|look\s+for|lookup|query|grep)"
_LIST_VERB = r"(?:list|show|display|get|give|pull\s+up|fetch|see)"
_POLITE = r"(?:(?:please|pls|can|could|would|you|ok|okay|now|hey|i|we|want|need|to|let's|let)\s+)*"

SEARCH_REQUEST: Final = re.compile(
    rf"^{_POLITE}{_SEARCH_VERB}\b"
    rf"|^{_POLITE}{_LIST_VERB}\b.*\b{_TICKETS}\b"
    rf"|\b(?:any|are\s+there|do\s+we\s+have|is\s+there|which|what|how\s+many|all)\b"
    rf".{{0,80}}?\b{_TICKETS}\b"
    rf"|\bany\s+tickets?\b"
    rf"|\b{_TICKETS}\s+(?:about|mentioning|regarding|concerning|related\s+to|containing|matching)\b",
    _I,
)

_SEARCH_STATUS = r"(?P<s>open|in[\s_-]?progress|resolved|closed|reopened)"
_STATUS_FILTERS: Final = (
    re.compile(
        rf"\s*\b(?:that|which)\s+(?:are|is)\s+(?:still\s+|currently\s+|now\s+)?{_SEARCH_STATUS}\b",
        _I,
    ),
    re.compile(rf"\s*\b(?:with\s+|in\s+)?status\s*(?:[:=]|is|of)?\s*{_SEARCH_STATUS}\b", _I),
    re.compile(rf"\s*\bstill\s+{_SEARCH_STATUS}\b", _I),
    re.compile(rf"\b{_SEARCH_STATUS}\s+(?=(?:[\w-]+\s+){{0,2}}?(?:{_TICKETS}|ones)\b)", _I),
)
_ALL_STATUSES: Final = re.compile(
    r"\s*\b(?:in\s+)?(?:all|any)\s+status(?:es)?\b|\s*\bregardless\s+of\s+(?:the\s+)?status\b", _I
)
_LIMITS: Final = (
    re.compile(
        r"\b(?:top|first|last|latest|newest|recent|up\s+to|max(?:imum)?|limit(?:\s+to)?)"
        r"\s+(?P<n>\d{1,3})\b\s*",
        _I,
    ),
    re.compile(rf"\b(?P<n>\d{{1,3}})\s+(?=(?:[\w-]+\s+){{0,2}}?(?:{_TICKETS}|results|hits)\b)", _I),
)
MAX_LIMIT: Final = 50

_TICKETS_ANCHOR: Final = re.compile(rf"\b(?:tickets?|{_TICKETS})\b", _I)
_VERB_ANCHOR: Final = re.compile(rf"\b{_SEARCH_VERB}\b", _I)
_CONNECTOR: Final = re.compile(
    r"^\s*(?:(?:that|which)\s+(?:mention|mentions|contain|contains|reference|references"
    r"|(?:are|is)\s+about|talk\s+about)|with\s+(?:a\s+|any\s+)?(?:notes?|comments?)\s+"
    r"(?:about|on|mentioning|saying)|mentions?|mentioned|contains?|about|mentioning|regarding"
    r"|re|concerning|related\s+to"
    r"|relating\s+to|on|for|with|containing|matching|involving|from|by|titled|called|named"
    r"|like|saying|where)\b\s*",
    _I,
)
_LEAD_IN: Final = re.compile(
    rf"^(?:{_POLITE}(?:{_SEARCH_VERB}|{_LIST_VERB}|are\s+there|is\s+there|do\s+(?:we|you)\s+have"
    r"|any|which|what|how\s+many)\b\s*)?(?:(?:me|us|all|the|any|some|our|my|of)\s+)*",
    _I,
)
_TAIL: Final = re.compile(
    r"(?:\s+(?:are\s+there|is\s+there|do\s+we\s+have|exist|right\s+now|currently|at\s+the\s+moment"
    r"|in\s+the\s+system|please|pls|tickets?|issues|there))+$",
    _I,
)


def is_search_request(text: str) -> bool:
    return SEARCH_REQUEST.search(text) is not None


def search_arguments(text: str) -> tuple[dict[str, Any], Priority | None]:
    """search_tickets arguments and, for "list urgent tickets", the priority asked about."""
    body = text.strip().rstrip("?.! ")
    status, body = _take_status(body)
    limit, body = _take_limit(body)
    query = _query(body)
    priority = next((p for p, pattern in PRIORITY_QUERIES if pattern.fullmatch(query)), None)
    if priority is not None:
        query = priority
    arguments: dict[str, Any] = {"query": query}
    if status is not None:
        arguments["status"] = status
    if limit is not None:
        arguments["limit"] = limit
    return arguments, priority


def _take_status(body: str) -> tuple[str | None, str]:
    if (match := _ALL_STATUSES.search(body)) is not None:
        return "all", body[: match.start()] + body[match.end() :]
    for pattern in _STATUS_FILTERS:
        if (match := pattern.search(body)) is not None:
            # One reading of status words for searches and updates ("inprogress" too).
            return status_from_word(match.group("s")), body[: match.start()] + body[match.end() :]
    return None, body


def _take_limit(body: str) -> tuple[int | None, str]:
    for pattern in _LIMITS:
        if (match := pattern.search(body)) is not None:
            limit = max(1, min(MAX_LIMIT, int(match.group("n"))))
            return limit, body[: match.start()] + body[match.end() :]
    return None, body


def _query(body: str) -> str:
    body = re.sub(r"\s+", " ", body).strip()
    anchor = _TICKETS_ANCHOR.search(body) or _VERB_ANCHOR.search(body)
    if anchor is None:
        return _tidy(_LEAD_IN.sub("", body, count=1))
    after = _tidy(_CONNECTOR.sub("", body[anchor.end() :], count=1))
    if after:
        return after
    return _tidy(_LEAD_IN.sub("", body[: anchor.start()], count=1))


def _tidy(query: str) -> str:
    query = _TAIL.sub("", " " + query.strip()).strip()
    query = re.sub(r"^(?:the|a|an|any|some)\s+", "", query, flags=_I)
    return query.strip(" \"'“”‘’,;:.?!")
