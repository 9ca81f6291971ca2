"""Which contact a call note is about, and which open ticket the call is about.

A caller is the contact whose phone (its last 10 digits) or e-mail is the note's, else the
one contact whose name fits the note's: the same full name (accents, case and punctuation
aside: "kevin obrien" is Kevin O'Brien), or a first name alone, a first name and an
initial ("Sofia B"), a title and surname ("Mr. Patel"), when the organisation, if the note
names one, is theirs too ("acme" is Acme Corp). A note that says the problem is new
("new one", "different problem") is never a note on an existing ticket."""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from deskpilot.llm.offline.call_notes import CallNote

_TITLES: Final = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof)\.?\s+", re.IGNORECASE)
_NEW_PROBLEM: Final = re.compile(
    r"\b(?:new\s+(?:one|issue|problem|request)|different\s+(?:problem|issue|thing)"
    r"|another\s+(?:issue|problem|thing)|something\s+else|unrelated)\b",
    re.IGNORECASE,
)
ACTIVE: Final = ("open", "in_progress")


class _Done(Protocol):
    @property
    def arguments(self) -> dict[str, Any]: ...

    @property
    def data(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Found:
    number: int
    name: str
    organization: str | None
    phone: str | None
    email: str | None
    open_tickets: list[dict[str, Any]] = field(default_factory=list)

    def label(self) -> str:
        where = f"{self.organization}, " if self.organization else ""
        return f"Caller: {self.name} ({where}C-{self.number})"


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z ]+", "", plain.casefold()).strip()


def _words(name: str) -> list[str]:
    return [w for w in (_folded(p) for p in _TITLES.sub("", name).split()) if w]


def name_query(note: CallNote) -> str | None:
    """The name to look the caller up by (a title dropped)."""
    return _TITLES.sub("", note.name).strip(" .") or None if note.name else None


def first_name_query(note: CallNote) -> str | None:
    """A first name alone, for a second look when the full name found no one."""
    words = (name_query(note) or "").split()
    return words[0] if len(words) >= 2 else None


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")[-10:]


def _same_org(note: CallNote, organization: str | None) -> bool:
    if not note.organization or not organization:
        return True
    said, theirs = _folded(note.organization).split(), _folded(organization).split()
    return bool(said) and bool(theirs) and said[0] == theirs[0]


def _name_fits(note: CallNote, name: str) -> bool:
    said, theirs = _words(note.name or ""), _words(name)
    if not said or not theirs:
        return False
    if "".join(said) == "".join(theirs):
        return True
    if len(said) == 1:
        titled = bool(_TITLES.match(note.name or ""))
        return said[0] == (theirs[-1] if titled else theirs[0])
    if said[0] != theirs[0] or len(theirs) < 2:
        return False
    return len(said[-1]) == 1 and theirs[-1].startswith(said[-1])  # "Sofia B"


def _contacts(lookups: Sequence[_Done]) -> list[dict[str, Any]]:
    seen: dict[int, dict[str, Any]] = {}
    for done in lookups:
        for contact in done.data.get("contacts") or []:
            if isinstance(contact, dict) and isinstance(contact.get("number"), int):
                seen.setdefault(contact["number"], contact)
    return list(seen.values())


def _found(contact: dict[str, Any]) -> Found:
    return Found(
        number=contact["number"],
        name=str(contact.get("name") or ""),
        organization=contact.get("organization"),
        phone=contact.get("phone"),
        email=contact.get("email"),
        open_tickets=[t for t in contact.get("open_tickets") or [] if isinstance(t, dict)],
    )


def caller_in(note: CallNote, lookups: Sequence[_Done]) -> Found | None:
    """The contact the note is about, among those the look-ups returned, or None."""
    contacts = _contacts(lookups)
    phone = _digits(note.phone)
    if len(phone) >= 7:
        by_phone = [c for c in contacts if _digits(c.get("phone")) == phone]
        if len(by_phone) == 1:
            return _found(by_phone[0])
    if note.email:
        by_email = [
            c for c in contacts if str(c.get("email") or "").casefold() == note.email.casefold()
        ]
        if len(by_email) == 1:
            return _found(by_email[0])
    by_name = [
        c
        for c in contacts
        if _name_fits(note, str(c.get("name") or "")) and _same_org(note, c.get("organization"))
    ]
    return _found(by_name[0]) if len(by_name) == 1 else None


def duplicate_in(note: CallNote, similar: _Done, found: Found | None) -> dict[str, Any] | None:
    """The open ticket the call is about: the most alike one the duplicate check returned,
    else the caller's own open ticket about the same thing (_same_thing); none when the
    note says the problem is new."""
    if _NEW_PROBLEM.search(note.text):
        return None
    tickets = [
        t
        for t in similar.data.get("tickets") or []
        if isinstance(t, dict) and t.get("status") in ACTIVE and isinstance(t.get("number"), int)
    ]
    if tickets:
        return tickets[0]
    if found is None:
        return None
    said = _stems(note.problem or note.text) - _stems(f"{found.name} {found.organization or ''}")
    again = bool(_RECURS.search(note.text))
    fits = [
        (len(shared), t)
        for t in found.open_tickets
        if isinstance(t.get("number"), int)
        and _same_thing(shared := said & _stems(str(t.get("title") or "")), again)
    ]
    return max(fits, key=lambda f: f[0])[1] if fits else None


# A note that says the problem is back or goes on ("still", "again", "same as before",
# "re the … ticket", "close it"): one shared word with the caller's ticket is enough.
_RECURS: Final = re.compile(
    r"\b(?:still|again|same|keeps?|back|re\s+the|close\s+it|ongoing|persists?|anymore)\b",
    re.IGNORECASE,
)
# Things many problems share: alone, they do not make two problems one.
_THINGS: Final = frozenset(
    [
        "laptop",
        "desktop",
        "pc",
        "computer",
        "phone",
        "printer",
        "monitor",
        "screen",
        "keyboard",
        "mouse",
        "headset",
        "scanner",
        "dock",
        "tablet",
        "mobile",
        "device",
        "machine",
        "account",
        "email",
        "mail",
        "password",
        "login",
        "access",
        "file",
        "files",
        "new",
        "not",
        "no",
        "now",
        "one",
        "get",
        "got",
        "his",
        "her",
        "their",
        "the",
        "and",
        "for",
        "with",
        "from",
        "this",
        "that",
        "have",
        "has",
    ]
)
_STOP: Final = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "but",
        "it",
        "its",
        "it's",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "his",
        "her",
        "they",
        "them",
        "their",
        "this",
        "that",
        "these",
        "those",
        "as",
        "if",
        "so",
        "up",
        "out",
        "off",
        "into",
        "than",
        "then",
        "there",
        "here",
        "not",
        "no",
        "now",
        "just",
        "also",
        "very",
        "too",
        "can",
        "cant",
        "wont",
        "dont",
        "doesnt",
        "isnt",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "says",
        "said",
        "asks",
        "asked",
        "wants",
        "need",
        "needs",
        "like",
        "every",
        "time",
        "times",
        "day",
        "days",
        "today",
        "since",
    ]
)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2]:
        word = word[:-1]  # "jamm" → "jam"
    return word


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", _folded(text.replace("'", "")))
    return {_stem(w) for w in words if len(w) >= 3 and w not in _STOP}


def _same_thing(shared: set[str], again: bool) -> bool:
    """A word in common that is not a thing many problems share ("battery", "vpn",
    "jam"), or any word in common when the note says the problem is back."""
    specific = shared - {_stem(w) for w in _THINGS}
    return bool(specific) or (bool(shared) and again)
