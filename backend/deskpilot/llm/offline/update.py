"""Reading "close #7 and note that …" into a status change and a note."""

import re
from dataclasses import dataclass
from typing import Final

from deskpilot.llm.offline.vocab import (
    STATUS_ALTERNATION,
    Status,
    first_match,
    status_from_word,
)

_I = re.IGNORECASE
_TARGET = (
    r"(?:ticket\s+)?(?:#\s?\d+|\d+|it|this(?:\s+(?:one|ticket))?|that(?:\s+(?:one|ticket))?"
    r"|the\s+ticket|them|these|those|both|all\s+of\s+them)"
)
NOTE_MARKER: Final = re.compile(
    r"(?:\b(?:and\s+|then\s+)?(?:add(?:ing)?|leave|put|write|post|append)\s+"
    r"(?:a\s+|an\s+|the\s+|this\s+|another\s+)?(?:(?:internal|quick|short|private)\s+)?"
    r"(?:note|comment)s?\b"
    r"|\b(?:and\s+|then\s+)?(?:note|noting|comment)\b(?:\s+(?:down|that))?"
    r"|\bwith\s+(?:a\s+|the\s+)?(?:note|comment)\b)"
    rf"(?P<target>\s+(?:to|on|for|in)\s+{_TARGET}\b)?"
    r"\s*(?:[:\-–—,]|\bsaying\b|\bthat\s+says\b|\bwhich\s+says\b|\bthat\b)?\s*"
    r"(?P<text>.*)$",
    _I | re.DOTALL,
)

# First match wins; the explicit "set/mark … to/as <status>" form reads the status word.
_EXPLICIT = re.compile(
    r"\b(?:set|change|move|put|switch|update|turn)\b.{0,60}?\b(?:to|into|as)\s+(?:status\s+)?"
    rf"(?:back\s+to\s+)?(?P<s>{STATUS_ALTERNATION})\b"
    rf"|\b(?:mark|flag)\b.{{0,60}}?\s(?:as\s+)?(?P<m>{STATUS_ALTERNATION})\b",
    _I,
)
STATUS_VERBS: Final[tuple[tuple[Status, re.Pattern[str]], ...]] = (
    ("open", re.compile(r"\bre-?open\b", _I)),
    (
        "in_progress",
        re.compile(
            r"\b(?:start(?:ed)?|begin|began)\s+(?:working|work)\s+on\b|\bpick(?:ing)?\s+up\b"
            r"|\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:now\s+)?working\s+on\b|\btake\s+over\b"
            r"|\b(?:put|set|move|mark|switch)\b.{0,60}?\bin[\s_-]?progress\b",
            _I,
        ),
    ),
    ("closed", re.compile(r"\bclose(?:\s+out)?\b", _I)),
    ("resolved", re.compile(r"\b(?:resolve|solve)\b", _I)),
)
_QUESTION: Final = re.compile(
    r"^(?:which|what|how|why|when|who|whose|is|are|was|were|should|do|does|did|any|has|have"
    r"|can\s+i|may\s+i|could\s+i)\b",
    _I,
)
# What may remain of the command when the target is implied: "close", "add a note".
_BARE_COMMAND: Final = re.compile(
    r"^(?:please|pls|now|also|and|then|ok|okay|just|go\s+ahead\s+and|can\s+you|could\s+you|[\s,.!])*$",
    _I,
)


@dataclass(frozen=True)
class UpdateRequest:
    command: str  # the text without the note ("close #7 and"), where targets are named
    status: Status | None
    notes: str | None  # None: no note asked for; "": a note asked for without its text

    @property
    def implied_target(self) -> bool:
        """True when no ticket is named and the command is bare ("close", "add a note")."""
        rest = _strip_commands(self.command)
        return _BARE_COMMAND.match(rest) is not None


def find_update_request(text: str) -> UpdateRequest | None:
    if _QUESTION.match(text):
        return None
    command, notes = text, None
    if (marker := NOTE_MARKER.search(text)) is not None:
        command = text[: marker.start()] + (marker.group("target") or "")
        notes = marker.group("text").strip().strip("\"'“”‘’").strip()
    status = find_status(command)
    if status is None and notes is None:
        return None
    return UpdateRequest(command=command, status=status, notes=notes)


def find_status(command: str) -> Status | None:
    if (match := _EXPLICIT.search(command)) is not None:
        return status_from_word(match.group("s") or match.group("m"))
    return first_match(STATUS_VERBS, command)


def _strip_commands(command: str) -> str:
    rest = _EXPLICIT.sub(" ", command)
    for _, pattern in STATUS_VERBS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(
        r"\b(?:add(?:ing)?|leave|put|write|post|append)\s+(?:a\s+|an\s+|the\s+)?(?:note|comment)s?\b",
        " ",
        rest,
        flags=_I,
    )
    return re.sub(r"\s+", " ", rest).strip()
