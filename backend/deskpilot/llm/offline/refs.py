"""Finding which tickets a sentence is about: "#47", "ticket 12", "3 and 4", "it", "them".

Which numbers are written as tickets is decided in backend/deskpilot/services/ticket_refs.py (shared
with the chat's write scope); this module adds what only a reader of requests needs: bare
numbers in questions ("tell me about 12") and pronouns.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from deskpilot.llm.offline.vocab import words
from deskpilot.services.tickets.refs import FORMS, explicit_ticket_numbers

_I = re.IGNORECASE

# A bare number is a ticket only if it is not a quantity ("5 tickets") or a place ("floor 3").
_BARE_NUMBER: Final = re.compile(r"(?<![\w#.,:/-])(\d{1,7})\b(?![.,:/%-]?\w)")
_NOT_AFTER: Final = FORMS.places | words(
    "top last first latest limit since until at before after by in windows max up"
)
_NOT_BEFORE: Final = FORMS.units | words("results hits")

SINGULAR_PRONOUN: Final = re.compile(
    r"\b(?:it|this(?:\s+(?:one|ticket|case))?|that(?:\s+(?:one|ticket|case))?"
    r"|the\s+(?:ticket|case|same\s+(?:one|ticket)))\b",
    _I,
)
# "these"/"those" point at tickets alone or before a verb or "tickets" ("these printers" do not).
_PRONOUN_FOLLOWERS = (
    "tickets|ones|two|three|four|five|are|is|was|were|have|has|had|need|needs|should|could|can"
    "|will|would|do|does|did|still|all|in|on|from|that|which|who|with|to|for|please|and|or"
)
PLURAL_REF: Final = re.compile(
    r"\b(?:them|both|all\s+of\s+(?:them|these|those)"
    rf"|(?:these|those)(?!\s+(?!(?:{_PRONOUN_FOLLOWERS})\b)[a-z])"
    r"|(?:all\s+)?(?:the\s+)?attached(?:\s+(?:tickets|ones))?)\b",
    _I,
)


@dataclass(frozen=True)
class TicketRefs:
    """What the server knows that a sentence may point at."""

    attached: tuple[int, ...] = ()  # numbers of the tickets attached to the chat
    recent: int | None = None  # the one ticket the previous exchange was about

    def implied(self) -> list[int]:
        """The ticket "it" means: the only attached ticket, else the recent one."""
        if len(self.attached) == 1:
            return [self.attached[0]]
        return [self.recent] if self.recent is not None else []


def _unique(numbers: Iterable[int]) -> list[int]:
    seen: dict[int, None] = {}
    for n in numbers:
        if n > 0:
            seen.setdefault(n, None)
    return list(seen)


def strong_refs(text: str) -> list[int]:
    """Numbers marked as tickets: "#47", "ticket 12", "tickets 3, 4 and 5", "#3 and #4"."""
    return explicit_ticket_numbers(text)


def bare_refs(text: str) -> list[int]:
    """Plain numbers that read as ticket numbers ("close 47", "tell me about 12")."""
    found: list[int] = []
    for match in _BARE_NUMBER.finditer(text):
        before = re.findall(r"[a-z]+", text[max(0, match.start() - 40) : match.start()].lower())
        after = re.findall(r"[a-z]+", text[match.end() : match.end() + 40].lower())
        if before and before[-1] in _NOT_AFTER:
            continue
        if after and after[0] in _NOT_BEFORE:
            continue
        found.append(int(match.group(1)))
    return _unique(found)


def ticket_refs(text: str, *, allow_bare: bool) -> list[int]:
    strong = strong_refs(text)
    if strong or not allow_bare:
        return strong
    return bare_refs(text)


def numbers_in_text(text: str) -> list[int]:
    """Every "#N" in a text (used on assistant replies, which always write tickets as #N)."""
    return _unique(int(n) for n in re.findall(r"#(\d+)\b", text))
