"""Searching: is this a search, and for what, with which status and how many?

A search is asked with a search verb ("find", "search", "look for", "pull up tix"), with
tickets in the plural and no ticket number ("open tix re email migration", "phone tickets
that got resolved"), or with a ticket described instead of numbered ("the printer one",
"what's the status of the Citrix ticket?"). Filters may come anywhere: "search closed
tickets for docking station", "first 5 open ones about vpn", "tickets w/ 'badge' in them,
closed or not". The tool has no priority filter: "list urgent tickets" searches the word.
"""

from typing import Any, Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.clauses import clauses
from deskpilot.llm.offline.text import Message

MAX_LIMIT: Final = 50
MAX_QUERY_WORDS: Final = 4
_VERBS: Final = lx.phrases(
    "search",
    "search for",
    "find",
    "find me",
    "look for",
    "look up",
    "lookup",
    "grep",
    "query",
    "list",
)
_PLURAL: Final = lx.words("tickets cases incidents ones issues")
_SINGULAR: Final = lx.words("ticket one case incident issue")
_CONNECTORS: Final = lx.words(
    "about mentioning regarding concerning re for with involving containing matching from by "
    "like on titled called named mention mentions"
)
_STOP: Final = lx.words(
    "a an the any anything all some our my me i we you us of in on at to is are was were be "
    "been do does did there that which who whos what whats how many much please pls can could "
    "would will just only still currently now right rn today this week wk yet already ever "
    "stuff things thing one ones ticket tickets case cases issue issues incident incidents "
    "find search look lookup list show give get pull up let know tell status latest going "
    "where it its assigned open closed resolved progress in_progress wip new got get have has "
    "anything else oldest newest recent most top first last max maximum at most limit results "
    "result hits or not whatever their regardless any and with w about re for mentioning "
    "regarding called say says said says see pulled being worked item items note notes comment "
    "comments inprogress in-progress wip priority prio other others similar like including"
)


def is_search(message: Message, *, has_ticket_numbers: bool) -> bool:
    if message.first_of(_VERBS) is not None and not has_ticket_numbers:
        return True
    words = [t.word for t in message.unquoted]
    plural = any(w in _PLURAL for w in words)
    if plural and not has_ticket_numbers:
        return not _create_or_attached(words)
    if message.has(lx.SEARCH_PHRASES):
        return not has_ticket_numbers
    return False


def _create_or_attached(words: list[str]) -> bool:
    return "attached" in words or any(
        w in ("create", "log", "raise", "file") and "new" in words for w in words
    )


def describes_a_ticket(message: Message) -> bool:
    """ "the printer one", "the Citrix ticket", "that tkt": a ticket named by what it is
    about, with some word saying what (not "the ticket" alone)."""
    words = [t.word for t in message.unquoted]
    for i, word in enumerate(words):
        if word in _SINGULAR and i > 0:
            before = words[max(0, i - 3) : i]
            if (
                before
                and before[-1] not in ("a", "an", "new", "another", "this", "ticket")
                and any(w not in _STOP and w not in lx.TICKET_NOUNS for w in before)
            ):
                return True
            if before and before[-1] in ("the", "that") and query_words(message):
                return True
    return False


def search_arguments(message: Message) -> dict[str, Any]:
    arguments: dict[str, Any] = {"query": query_text(message)}
    status = _status(message)
    if status is not None:
        arguments["status"] = status
    limit = _limit(message)
    if limit is not None:
        arguments["limit"] = limit
    return arguments


def _status(message: Message) -> str | None:
    if message.has(lx.ALL_STATUSES):
        return "all"
    words = [t.word for t in message.unquoted]
    best: tuple[int, str] | None = None
    for phrase, status in lx.STATUS_WORDS.items():
        if phrase in (("new",), ("done",), ("sorted",), ("complete",), ("close",), ("resolve",)):
            continue
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) == phrase and (best is None or i < best[0]):
                best = (i, status)
    return best[1] if best else None


def _limit(message: Message) -> int | None:
    tokens = message.tokens
    words = message.words
    for i, token in enumerate(tokens):
        if token.kind != "number" or token.number is None or token.quoted:
            continue
        before = tuple(words[max(0, i - 2) : i])
        after = words[i + 1 : i + 4]
        limited = (
            any(before[-len(p) :] == p for p in lx.LIMIT_WORDS)
            or any(tuple(after[: len(p)]) == p for p in lx.LIMIT_AFTER)
            or _right_after_verb(message, i)  # "list 3 open hardware tickets"
        ) or (
            bool(after)
            and (
                after[0] in _PLURAL
                or (after[0] in _LIMIT_ADJECTIVES and len(after) > 1 and after[1] in _PLURAL)
                or (len(after) > 2 and after[0] == "in" and after[2] in _PLURAL)
            )
        )
        if limited:
            return max(1, min(MAX_LIMIT, token.number))
    return None


def _right_after_verb(message: Message, i: int) -> bool:
    found = message.first_of(_VERBS)
    return found is not None and found[0] + len(found[1]) == i


def query_words(message: Message) -> list[int]:
    """Token indexes of the words worth searching for."""
    tokens = message.tokens
    quoted = [i for i, t in enumerate(tokens) if t.quoted and t.kind != "mark"]
    if quoted:
        return quoted
    candidates: list[list[int]] = []
    for clause in clauses(message):
        idx = list(range(clause.first, clause.last + 1))
        after_connector: list[int] = []
        for k, i in enumerate(idx):
            if message.words[i] in _CONNECTORS and k + 1 < len(idx):
                after_connector = [j for j in idx[k + 1 :] if _worth(message, j)]
                if after_connector:
                    break
        if after_connector:
            candidates.insert(0, after_connector)
        else:
            kept = [i for i in idx if _worth(message, i)]
            if kept:
                candidates.append(kept)
    return candidates[0][:MAX_QUERY_WORDS] if candidates else []


def _worth(message: Message, i: int) -> bool:
    token = message.tokens[i]
    if token.kind == "mark":
        return False
    word = token.word
    if token.kind == "number":
        after = message.words[i + 1 : i + 3]
        before = message.words[max(0, i - 2) : i]
        if before[-1:] == ["like"]:
            return False  # "other tickets like 29": a ticket to compare with, not a word
        limit_like = (
            bool(set(before) & _LIMIT_BEFORE)
            or bool(after and after[0] in _LIMIT_AFTER)
            or _right_after_verb(message, i)
        )
        return not limit_like and not (after[:1] and after[0] in ("open", "closed", "resolved"))
    return word not in _STOP


_LIMIT_ADJECTIVES: Final = lx.words(
    "open closed resolved recent newest latest oldest last new most"
)
_LIMIT_BEFORE: Final = lx.words("top first last max maximum most just only limit latest newest")
_LIMIT_AFTER: Final = _PLURAL | {p[0] for p in lx.LIMIT_AFTER}


def query_text(message: Message) -> str:
    """The words to search for, as written: from the first to the last chosen word when
    they stand together ("printer on floor 3"), else the chosen words alone."""
    indexes = query_words(message)
    if not indexes:
        return ""
    if indexes == list(range(indexes[0], indexes[-1] + 1)) or _only_small_words_between(
        message, indexes
    ):
        text = message.source[message.tokens[indexes[0]].start : message.tokens[indexes[-1]].end]
    else:
        text = " ".join(
            message.source[message.tokens[i].start : message.tokens[i].end] for i in indexes
        )
    return text.strip(" '\"")


_SMALL: Final = lx.words("on in at of the a an for to")


def _only_small_words_between(message: Message, indexes: list[int]) -> bool:
    between = set(range(indexes[0], indexes[-1] + 1)) - set(indexes)
    return all(message.words[i] in _SMALL and message.tokens[i].kind == "word" for i in between)
