"""A new ticket's fields from the message that asks for it (create_request.py finds the
request): the issue is the text after the request, or before it when the request closes
the message; None when it does not say what is wrong or wanted ("log a ticket for it")."""

import itertools
from typing import Any, Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.clauses import (
    STRONG_PRIORITIES,
    Clause,
    category_of,
    clauses,
    is_courtesy,
    is_label,
    priority_of,
)
from deskpilot.llm.offline.create_request import CreateRequest
from deskpilot.llm.offline.issue_title import capitalise, issue_title
from deskpilot.llm.offline.text import Message


def create_arguments(message: Message, request: CreateRequest) -> dict[str, Any] | None:
    """create_ticket arguments, or None when the message does not say what the issue is."""
    body = _issue_clauses(message, request)
    if not body:
        return None
    texts = [c.text(message) for c in body]
    if _vague(body):
        return None
    described = message.source[
        message.tokens[body[0].first].start : message.tokens[body[-1].last].end
    ]
    arguments: dict[str, Any] = {
        "title": issue_title(message, body),
        "description": _sentence(described if texts else ""),
    }
    unquoted = [t.word for t in message.tokens if not t.quoted]
    priority = _priority(message, unquoted)
    if priority is not None:
        arguments["priority"] = priority
    category = category_of(unquoted) or _label_category(message) or infer_category(unquoted)
    if category is not None:
        arguments["category"] = category
    return arguments


def _priority(message: Message, words: list[str]) -> lx.Priority | None:
    """A label clause ("high prio", "p1 pls"), else a strong word anywhere ("urgent",
    "asap", "not urgent"), else "high"/"low" next to "priority", "as", "ticket"."""
    for clause in clauses(message):
        if is_label(clause.words) and (found := priority_of(clause.words)) is not None:
            return found
    strong = priority_of(words, STRONG_PRIORITIES)
    if strong is not None:
        return strong
    for i, word in enumerate(words):
        near = set(words[max(0, i - 2) : i + 3])
        if word in lx.WEAK_PRIORITY_WORDS and near & (lx.PRIORITY_NOUNS | _NEAR_WEAK):
            return priority_of([word])
    return None


_NEAR_WEAK: Final = lx.words("as ticket one request tkt")


def _label_category(message: Message) -> str | None:
    for clause in clauses(message):
        if is_label(clause.words):
            found = [w for w in clause.words if w in lx.CATEGORY_NAMES]
            if found:
                return found[0]
    return None


def describes_a_problem(words: list[str]) -> bool:
    return bool(set(words) & lx.PROBLEM_WORDS - lx.words("new need needs wants request install"))


def infer_category(words: list[str]) -> str | None:
    """The category the issue's words point to most (ties: the earlier row)."""
    best, score = None, 0
    said = set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}
    for category, hints in lx.CATEGORY_HINTS.items():
        hits = len(said & hints)
        if hits > score:
            best, score = category, hits
    return best


def _issue_clauses(message: Message, request: CreateRequest) -> list[Clause]:
    """The clauses that describe the issue: after the request if it says anything, else
    before it; never the request itself, a label ("high prio") or a courtesy."""
    after = [c for c in clauses(message, request.last + 1) if _content(message, c)]
    before = [c for c in clauses(message, 0, request.first - 1) if _content(message, c)]
    chosen = after or before
    # a second request ends the issue: "…being frozen and assign it to tom"
    return [_until_another_request(message, c) for c in chosen if c.words]


def _content(message: Message, clause: Clause) -> bool:
    words = tuple(w for w in clause.words if w not in ("for", "about", "that", "to", "with"))
    return (
        bool(words)
        and not is_label(words)
        and not is_courtesy(words)
        and not (
            len(words) <= 2
            and all(w in lx.CREATE_FILLERS | {"pls", "please", "it", "as"} for w in words)
        )
    )


_SECOND_REQUEST: Final = lx.words("assign give close resolve escalate bump mark")


def _until_another_request(message: Message, clause: Clause) -> Clause:
    words = clause.words
    for k in range(1, len(words) - 1):
        if words[k] == "and" and words[k + 1] in _SECOND_REQUEST:
            return Clause(clause.first, clause.first + k - 1, words[:k])
    return clause


def _vague(body: list[Clause]) -> bool:
    words = tuple(
        w for c in body for w in c.words if w not in ("can", "you", "please", "log", "it")
    )
    if not words or any(words[: len(v)] == v and len(words) <= len(v) + 2 for v in lx.VAGUE_ISSUES):
        return True
    return not _names_a_problem(words)


_PLACEHOLDERS: Final = lx.words("thing things stuff")
_SMALL_WORDS: Final = lx.words("a an the for about to with on of my our his her their")


def _names_a_problem(words: tuple[str, ...]) -> bool:
    """ "the printer thing", "dana pls": a person or a placeholder, nothing that is wrong or
    wanted; asked about rather than logged."""
    hints = {w for h in lx.CATEGORY_HINTS.values() for w in h}
    said = [w for w in words if w not in _SMALL_WORDS and w.isalnum()]
    problem = bool(set(said) & lx.PROBLEM_WORDS)
    if set(said) & _PLACEHOLDERS and not problem:
        return False
    return problem or bool(set(said) & hints) or len(said) > 2


def _sentence(text: str) -> str:
    text = capitalise(text.strip(" ,;:-"))
    return text if text[-1:] in ".!?…" else text + "."
