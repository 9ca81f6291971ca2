"""Words a helpdesk writes for the same thing, for the duplicate check (similar.py).

Agents and callers name one problem in different words: "wifi" and "Wi-Fi", "drops" and
"disconnects", "logon" and "sign in", "rm" for room. A telling word of a new ticket also
matches the other words of its group (as spellings, OR'ed in the query), and a new ticket
writing two words of one group counts them once. Groups are matched by English stem, so
"dropping" is in the group of "drop". General helpdesk vocabulary, not any one desk's;
a word belongs to one group at most (the first).
"""

from collections.abc import Iterable

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Text

from deskpilot.core.db import Reader

GROUPS: tuple[tuple[str, ...], ...] = (
    # connections
    ("wifi", "wi-fi", "wireless", "wlan"),
    ("disconnect", "drop", "dropout"),
    ("internet", "connectivity"),
    ("ethernet", "wired", "lan"),
    # signing in
    ("login", "logon", "signin", "sign"),
    ("password", "passcode", "pwd"),
    ("mfa", "2fa", "two-factor", "otp", "authenticator"),
    ("forbidden", "denied", "403"),
    ("lockout", "locked"),
    # failing
    ("freeze", "frozen", "hang", "unresponsive"),
    ("crash", "crashes"),
    ("slow", "sluggish", "laggy", "crawling"),
    ("broken", "dead", "snapped", "broke"),
    ("jam", "jammed", "jamming"),
    # things
    ("laptop", "notebook"),
    ("pc", "computer", "workstation"),
    ("monitor", "display", "screen"),
    ("printer", "print", "printing"),
    ("scanner", "scan", "scanning"),
    ("phone", "telephone", "handset"),
    ("extension", "ext"),
    ("email", "e-mail", "mail"),
    ("sms", "text"),
    ("badge", "card"),
    ("charge", "charging", "charger"),
    ("backup", "back-up"),
    # places and times
    ("room", "rm"),
    ("floor", "fl"),
    ("3rd", "third"),
    ("minutes", "mins", "min"),
    ("door", "entrance"),
)

_STEMS = text(
    "SELECT w, (tsvector_to_array(to_tsvector('english', w)))[1] "
    "FROM unnest(CAST(:words AS text[])) AS w"
).bindparams(bindparam("words", type_=ARRAY(Text)))

_by_stem: dict[str, int] | None = None


async def _groups_by_stem(db: Reader) -> dict[str, int]:
    """Each group word's English stem → its group's index (asked once per process)."""
    global _by_stem
    if _by_stem is None:
        words = [word for group in GROUPS for word in group]
        stems = dict((await db.execute(_STEMS, {"words": words})).all())
        found: dict[str, int] = {}
        for index, group in enumerate(GROUPS):
            for word in group:
                for key in (word, stems.get(word)):
                    if key:
                        found.setdefault(key, index)
        _by_stem = found
    return _by_stem


async def synonym_groups(db: Reader, stems: Iterable[tuple[str, str]]) -> dict[str, int]:
    """word → its group's index, for the (word, stem) pairs that are in a group."""
    by_stem = await _groups_by_stem(db)
    groups: dict[str, int] = {}
    for word, stem in stems:
        index = by_stem.get(word, by_stem.get(stem))
        if index is not None:
            groups[word] = index
    return groups


def synonyms_of(group: int, word: str) -> tuple[str, ...]:
    return tuple(w for w in GROUPS[group] if w != word)
