"""Every word the offline assistant understands, read from lexicon.toml (one data file, read
top to bottom: "tkt" is in [shorthand], "p1" in [priorities.words], "no need" in
[modifiers]). This module only gives the words their types.

Words are canonical tokens: text.py lower-cases the message, drops apostrophes ("don't" →
"dont"), expands shorthand ("tkt" → "ticket", "w/" → "with"), corrects a typing slip in a
word of the lexicon ("reslove" → "resolve", services/tickets/typos.py) and reads number
words ("forty-seven" → 47). A phrase is a tuple of such words.
"""

import tomllib
from collections.abc import Iterable
from importlib.resources import files
from typing import Any, Final, Literal, cast, get_args

Status = Literal["open", "in_progress", "resolved", "closed"]
Priority = Literal["low", "medium", "high", "urgent"]
PRIORITY_ORDER: Final[tuple[Priority, ...]] = ("low", "medium", "high", "urgent")
STATUS_LABELS: Final[dict[str, str]] = {
    "open": "open", "in_progress": "in progress", "resolved": "resolved", "closed": "closed",
    "all": "any status",
}  # fmt: skip
Phrase = tuple[str, ...]


def phrases(*texts: str) -> frozenset[Phrase]:
    return frozenset(tuple(text.split()) for text in texts)


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DATA: Final[dict[str, Any]] = tomllib.loads(
    files("deskpilot.llm.offline").joinpath("lexicon.toml").read_text(encoding="utf-8")
)


def _words(items: Iterable[str]) -> frozenset[str]:
    return frozenset(items)


def _phrases(items: Iterable[str]) -> frozenset[Phrase]:
    return phrases(*items)


def _status(value: str) -> Status:
    if value not in get_args(Status):
        raise ValueError(f"lexicon.toml: {value!r} is not a status")
    return cast(Status, value)


def _priority(value: str) -> Priority:
    if value not in get_args(Priority):
        raise ValueError(f"lexicon.toml: {value!r} is not a priority")
    return cast(Priority, value)


def _statuses(table: dict[str, list[str]]) -> dict[Phrase, Status]:
    return {p: _status(status) for status, texts in table.items() for p in phrases(*texts)}


_statuses_data, _priorities_data = _DATA["statuses"], _DATA["priorities"]
_reading, _modifiers, _conversation = _DATA["reading"], _DATA["modifiers"], _DATA["conversation"]

# -- how agents abbreviate, and numbers in words ---------------------------------------------
SHORTHAND: Final[dict[str, str]] = dict(_DATA["shorthand"])
NUMBER_WORDS: Final[dict[str, int]] = dict(_DATA["number_words"])
SMALL_NUMBER_WORDS: Final = _words(w for w, n in NUMBER_WORDS.items() if n < 10)
TICKET_NOUNS: Final = _words(_DATA["tickets"]["nouns"])

# -- statuses --------------------------------------------------------------------------------
STATUS_WORDS: Final[dict[Phrase, Status]] = _statuses(_statuses_data["words"])
STATUS_VERBS: Final[dict[Phrase, Status]] = _statuses(_statuses_data["verbs"])
SET_VERBS: Final = _words(_statuses_data["set_verbs"])
NOT_A_STATUS: Final = _phrases(_statuses_data["not_a_status"])

# -- priorities ------------------------------------------------------------------------------
PRIORITY_WORDS: Final[dict[Phrase, Priority]] = {
    p: _priority(level)
    for level, texts in _priorities_data["words"].items()
    for p in phrases(*texts)
}
WEAK_PRIORITY_WORDS: Final = _words(_priorities_data["weak"])
PRIORITY_NOUNS: Final = _words(_priorities_data["nouns"])
RAISE_VERBS: Final = _phrases(_priorities_data["raise"])
LOWER_VERBS: Final = _phrases(_priorities_data["lower"])

# -- assignment, notes, creating -------------------------------------------------------------
ASSIGN_VERBS: Final = _words(_DATA["assignment"]["verbs"])
TAKE_VERBS: Final = _words(_DATA["assignment"]["take_verbs"])
TEAM_WORDS: Final = _words(_DATA["assignment"]["team_words"])
NOTE_NOUNS: Final = _words(_DATA["notes"]["nouns"])
NOTE_VERBS: Final = _words(_DATA["notes"]["verbs"])
CREATE_VERBS: Final = _words(_DATA["create"]["verbs"])
CREATE_PARTICLES: Final = _words(_DATA["create"]["particles"])
CREATE_FILLERS: Final = _words(_DATA["create"]["fillers"])
LOG_VERBS: Final = _words(_DATA["create"]["log_verbs"])
NOUN_VERBS: Final = _phrases(_DATA["create"]["noun_verbs"])

# -- reading and searching -------------------------------------------------------------------
GET_VERBS: Final = _phrases(_reading["get_verbs"])
SEARCH_VERBS: Final = _phrases(_reading["search_verbs"])
FIELD_WORDS: Final = _words(_reading["field_words"])
LIMIT_WORDS: Final = _phrases(_reading["limit_words"])
LIMIT_AFTER: Final = _phrases(_reading["limit_after"])
SEARCH_PHRASES: Final = _phrases(_reading["search_phrases"])
ALL_STATUSES: Final = _phrases(_reading["all_statuses"])

# -- modifiers -------------------------------------------------------------------------------
NEGATIONS: Final = _phrases(_modifiers["negations"])
CANCELLATIONS: Final = _phrases(_modifiers["cancellations"])
DISMISSALS: Final = _phrases(_modifiers["dismissals"])
QUESTION_STARTS: Final = _words(_modifiers["question_starts"])
REQUEST_STARTS: Final = _phrases(_modifiers["request_starts"])
HEDGES: Final = _phrases(_modifiers["hedges"])
CONFIRMATIONS: Final = _phrases(_modifiers["confirmations"])

# -- what no tool does, conversation, categories ---------------------------------------------
UNSUPPORTED: Final[dict[str, frozenset[Phrase]]] = {
    kind: _phrases(texts) for kind, texts in _DATA["unsupported"].items()
}
GREETINGS: Final = _words(_conversation["greetings"])
THANKS: Final = _phrases(_conversation["thanks"])
HELP_WORDS: Final = _phrases(_conversation["help"])
HOW_TO_STARTS: Final = _phrases(_conversation["how_to"])
SMALLTALK: Final = _phrases(_conversation["smalltalk"])
VAGUE_ASKS: Final = _phrases(_conversation["vague_asks"])
CATEGORY_NAMES: Final = _words(_DATA["categories"]["names"])
CATEGORY_HINTS: Final[dict[str, frozenset[str]]] = {
    category: _words(hints) for category, hints in _DATA["categories"]["hints"].items()
}

# -- whether a new ticket's issue says what is wrong or wanted ----------------------------
PROBLEM_WORDS: Final = _words(_DATA["create"]["problem_words"])
VAGUE_ISSUES: Final = _phrases(_DATA["create"]["vague_issues"])
