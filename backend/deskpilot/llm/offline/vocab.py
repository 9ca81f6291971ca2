"""Word tables the offline assistant reads requests with.

Everything here is data: ordered (value, pattern) tables and small lookups over
them. Parsing lives in intents.py, reply writing in replies.py.
"""

import re
from collections.abc import Iterable
from typing import Final, Literal, TypeVar

Priority = Literal["low", "medium", "high", "urgent"]
Status = Literal["open", "in_progress", "resolved", "closed"]

_I = re.IGNORECASE
T = TypeVar("T")


def first_match(table: Iterable[tuple[T, re.Pattern[str]]], text: str) -> T | None:
    """The value of the first row whose pattern occurs in the text: every table is ordered."""
    return next((value for value, pattern in table if pattern.search(text)), None)


def words(text: str) -> frozenset[str]:
    """A word list written as one string: words("a b c") == {"a", "b", "c"}."""
    return frozenset(text.split())


# First match wins, so negations ("not urgent") are read before "urgent".
# Bare "high"/"low" count only next to priority words ("high CPU" is not a priority).
PRIORITY_PATTERNS: Final[tuple[tuple[Priority, re.Pattern[str]], ...]] = (
    (
        "low",
        re.compile(
            r"\bnot\s+(?:very\s+)?(?:urgent|critical|important)\b|\bno\s+rush\b|\bminor\b"
            r"|\blow[\s-]*prio(?:rity)?\b|\bprio(?:rity)?\s*[:=]?\s*low\b|\bwhenever\b"
            r"|\b(?:it'?s|is|as|make it|mark it)\s+low\b|\bnice to have\b|\bp4\b",
            _I,
        ),
    ),
    (
        "urgent",
        re.compile(
            r"\burgent(?:ly)?\b|\basap\b|\bas soon as possible\b|\bcritical\b|\bemergency\b"
            r"|\bdown for (?:every(?:one|body)|all)\b|\bevery(?:one|body) is down\b"
            r"|\bnobody can work\b|\bimmediately\b|\bp1\b|\bsev(?:erity)?[\s-]?1\b",
            _I,
        ),
    ),
    (
        "high",
        re.compile(
            r"\bhigh[\s-]*prio(?:rity)?\b|\bprio(?:rity)?\s*[:=]?\s*high\b|\bimportant\b"
            r"|\b(?:it'?s|is|as|make it|mark it)\s+(?:very\s+)?high\b|\bp2\b",
            _I,
        ),
    ),
    ("medium", re.compile(r"\bmedium\b|\bnormal[\s-]*prio(?:rity)?\b|\bp3\b", _I)),
)

# "which of them are high?" filters attached tickets; "high" takes in urgent ones too.
PRIORITY_FILTERS: Final[tuple[tuple[frozenset[Priority], re.Pattern[str]], ...]] = (
    (frozenset({"urgent"}), re.compile(r"\burgent\b|\bcritical\b", _I)),
    (frozenset({"high", "urgent"}), re.compile(r"\bhigh\b|\bimportant\b", _I)),
    (frozenset({"low"}), re.compile(r"\blow\b|\bminor\b", _I)),
    (frozenset({"medium"}), re.compile(r"\bmedium\b|\bnormal\b", _I)),
)

# A search query that is only a priority word ("list urgent tickets") searches for that word.
PRIORITY_QUERIES: Final[tuple[tuple[Priority, re.Pattern[str]], ...]] = (
    ("urgent", re.compile(r"urgent|critical", _I)),
    ("high", re.compile(r"high(?:[\s-]priority)?|important", _I)),
    ("low", re.compile(r"low(?:[\s-]priority)?", _I)),
    ("medium", re.compile(r"medium(?:[\s-]priority)?", _I)),
)

# Words that may make up a clause that only states a priority ("it's urgent").
PRIORITY_ONLY_WORDS: Final[frozenset[str]] = words(
    "urgent urgently asap critical emergency high low medium normal important minor whenever "
    "not no rush prio priority p1 p2 p3 p4 it it's its is this this's that's thats very super "
    "really quite extremely pretty please mark make set as to a the level and"
)
PRIORITY_WORDS: Final[frozenset[str]] = words(
    "urgent urgently asap critical emergency high low medium important minor whenever rush"
)

# Category inference: each keyword found scores one point; ties go to the earlier row.
CATEGORY_KEYWORDS: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    (
        "billing",
        re.compile(
            r"\b(?:invoices?|refunds?|refunded|charges?|charged|overcharged|billing|billed"
            r"|payments?|paid|subscriptions?|receipts?|credit card|pricing)\b",
            _I,
        ),
    ),
    (
        "account",
        re.compile(
            r"\b(?:passwords?|log\s?in|login|logon|sign\s?in|signin|locked out|lockout"
            r"|2fa|mfa|two[\s-]factor|access|permissions?|accounts?|sso|username)\b",
            _I,
        ),
    ),
    (
        "email",
        re.compile(
            r"\b(?:e-?mails?|mailbox(?:es)?|outlook|inbox|spam|distribution list)\b",
            _I,
        ),
    ),
    (
        "network",
        re.compile(
            r"\b(?:vpn|wi-?fi|wireless|internet|network|dns|outages?|connection|connectivity"
            r"|connect|router|firewall|ethernet|proxy|bandwidth|latency)\b",
            _I,
        ),
    ),
    (
        "hardware",
        re.compile(
            r"\b(?:printers?|laptops?|monitors?|screens?|keyboards?|mouse|phones?|headsets?"
            r"|docking station|dock|desktop|computer|pc|scanner|battery|charger|webcam"
            r"|projector|hardware)\b",
            _I,
        ),
    ),
    (
        "software",
        re.compile(
            r"\b(?:install(?:ed|ing|ation)?|crash(?:es|ed|ing)?|updates?|upgrade|excel"
            r"|powerpoint|teams|zoom|slack|apps?|application|software|license|browser"
            r"|chrome|bug)\b",
            _I,
        ),
    ),
)

# Status names as people say them, for "mark #12 as …" and for search filters.
STATUS_WORDS: Final[tuple[tuple[Status, str], ...]] = (
    ("in_progress", r"in[\s_-]?progress|ongoing|being worked on|started|working"),
    ("resolved", r"resolved|solved|fixed|done|complete(?:d)?"),
    ("closed", r"closed"),
    ("open", r"re-?opened|open|new"),
)
STATUS_ALTERNATION: Final[str] = "|".join(pattern for _, pattern in STATUS_WORDS)

# "which of them are unresolved?" filters attached tickets.
STATUS_FILTERS: Final[tuple[tuple[frozenset[Status], re.Pattern[str]], ...]] = (
    (
        frozenset({"open", "in_progress"}),
        re.compile(
            r"\bunresolved\b|\bstill\s+open\b|\bnot\s+(?:yet\s+)?(?:resolved|closed|done)\b", _I
        ),
    ),
    (frozenset({"in_progress"}), re.compile(r"\bin[\s_-]?progress\b|\bbeing\s+worked\s+on\b", _I)),
    (frozenset({"open"}), re.compile(r"\bopen\b", _I)),
    (frozenset({"resolved"}), re.compile(r"\bresolved\b|\bfixed\b|\bsolved\b", _I)),
    (frozenset({"closed"}), re.compile(r"\bclosed\b", _I)),
)

STATUS_LABELS: Final[dict[str, str]] = {
    "open": "open",
    "in_progress": "in progress",
    "resolved": "resolved",
    "closed": "closed",
    "all": "any status",
}


def status_from_word(word: str) -> Status | None:
    """Map a spoken status ("in progress", "fixed", "reopened") to its enum value."""
    for status, pattern in STATUS_WORDS:
        if re.fullmatch(pattern, word.strip(), _I):
            return status
    return None


def detect_priority(text: str) -> Priority | None:
    return first_match(PRIORITY_PATTERNS, text)


def detect_category(text: str) -> str | None:
    best: str | None = None
    best_score = 0
    for category, pattern in CATEGORY_KEYWORDS:
        score = len({m.group(0).lower() for m in pattern.finditer(text)})
        if score > best_score:
            best, best_score = category, score
    return best


def is_priority_only(clause: str) -> bool:
    """True for clauses like "it's urgent" or "low priority please" that carry no content."""
    words = re.findall(r"[a-z0-9']+", clause.lower())
    return (
        bool(words)
        and all(w in PRIORITY_ONLY_WORDS for w in words)
        and any(w in PRIORITY_WORDS for w in words)
    )
