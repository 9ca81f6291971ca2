"""What people call a ticket.

- A REST reference: a UUID, 47, or #47 (`parse_ticket_ref`).
- The tickets a sentence names (`ticket_numbers_in`): the one place that decides which
  numbers in text are tickets. The chat's write scope and the offline assistant use it.

A number names a ticket only in a form that makes it one, never because it merely appears
(the words of each form are in ref_forms.py):

    "#71"                              unless a place claims it ("room #3") or a unit
                                       follows it ("#1 priority")
    "ticket 71", "ticket #71",         after a ticket noun, unless a unit follows
    "ticket no. 71", "tkt 71"          ("a ticket 5 minutes ago")
    "close 71", "set 71 to resolved",  right after a ticket verb (or a typo of one, "reslove
    "pull up 60", "add that to 36"     31"), a verb and its particle, or a verb, "it" or
                                       "that" and a preposition, and only if the end, a
                                       punctuation mark or a follower comes after it
                                       ("close 3 laptops" names nothing)
    "add a note to 71", "who has 27",  after a two-word lead-in or "re", unless a unit
    "re: 42"                           follows
    "about 47,", "done w/ 14"          after a preposition, at the end of a clause only
    "60 can be resolved", "47: …",     opening a sentence or clause, followed by a verb or
    "fyi 3 is p1 now"                  a mark ("40 users can't log in" names nothing)
    "tickets 71, 72 and 73"            a list continues its first item's form

A list that ends in a quantity is a quantity ("update 2 or 3 laptops"): its bare numbers
back to the last explicit one are dropped. So "about 71 users", "a team of 73 people",
"from room 3 to 75", "Upgrade RAM to 16 GB" and "Update 3 laptops" name no ticket, nor does
a number standing alone ("47"): it is a ticket only when a question asked for one
(`answered_ticket_numbers`).
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

from deskpilot.core.errors import NotFound, ValidationFailed
from deskpilot.services.tickets.ref_forms import CONFIRMATIONS, FORMS
from deskpilot.services.tickets.typos import one_slip_apart

MAX_TICKET_NUMBER: Final = 2**63 - 1  # tickets.number is a PostgreSQL BIGINT


# How an item of a list was written: "hash" and "noun" are explicit; "lead" ("note to 5")
# is settled like them; "verb", "list", "clause" need a follower; "end" must end a clause.
Kind = Literal["hash", "noun", "lead", "verb", "list", "clause", "end"]
_EXPLICIT: Final = ("hash", "noun")
_TOKEN: Final = re.compile(
    # 1, 2: a number standing alone, "#71" or "71" (not "v2", "10.2", "5:30", "1,000", "5pm",
    # "16GB", "3rd", "5%", "ABC-123", "C#7")
    r"(?<![\w.,/:@$€£#\\-])(#\s?)?([0-9]+)(?![\w%°]|[.,:/-][0-9])"
    r"|([0-9]+)"  # 3: any other number
    r"|([^\W\d_]+(?:['-][^\W\d_]+)*)"  # 4: a word
    r"|([^\w\s])"  # 5: a mark
)
_GLUED_TICKET_HASH: Final = re.compile(r"\b(tickets?|tkts?|tix)#")
_DIGITS: Final = re.compile(r"[0-9]+")
_REACH: Final = 40  # characters read on each side of a number: the few words the forms need
_GAP: Final = "…"  # stands for the text between two windows


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """The stretches of text within _REACH of a number, merged, widened to whole words."""
    start = end = -1
    for match in _DIGITS.finditer(text):
        if match.start() - _REACH <= end:
            end = match.end() + _REACH
            continue
        if end >= 0:
            yield _whole_words(text, start, end)
        start, end = match.start() - _REACH, match.end() + _REACH
    if end >= 0:
        yield _whole_words(text, start, end)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    space = text.find(" ", end)
    return text.rfind(" ", 0, max(start, 0)) + 1, len(text) if space < 0 else space


def _ticket_number(digits: str) -> int | None:
    if len(digits) > 19 or not 1 <= int(digits) <= MAX_TICKET_NUMBER:
        return None
    return int(digits)


class _Tokens:
    """The words, marks and numbers near a text's numbers (only those can matter; reading
    only them keeps a long message cheap), lower case, in three parallel lists."""

    def __init__(self, text: str) -> None:
        text = " ".join(text.replace("’", "'").lower().split())
        text = _GLUED_TICKET_HASH.sub(r"\1 #", text)
        self.texts: list[str] = []  # a number's digits without "#"
        self.numbers: list[int | None] = []  # a standalone number that can be a ticket
        self.marked: list[bool] = []  # written "#N"
        self.first: int | None = None  # index of the text's first token, if it was read
        for start, end in _windows(text):
            if start == 0:
                self.first = len(self.texts)
            for hashed, digits, other, word, mark in _TOKEN.findall(text, start, end):
                self.texts.append(digits or other or word or mark)
                self.numbers.append(_ticket_number(digits) if digits else None)
                self.marked.append(bool(hashed))
            self.texts.append(_GAP)
            self.numbers.append(None)
            self.marked.append(False)

    def text(self, index: int) -> str | None:
        return self.texts[index] if 0 <= index < len(self.texts) else None


@dataclass(frozen=True)
class _Item:
    index: int  # of its token
    number: int
    kind: Kind


def _head(tokens: _Tokens, i: int) -> Kind | None:
    """How a number that starts a list is written, or None if it names no ticket."""
    before = tokens.texts[max(0, i - 3) : i]
    last = before[-1] if before else None
    if tokens.marked[i]:
        return None if last in FORMS.places else "hash"
    if last in FORMS.nouns or (last == "(" and before[-2:-1] and before[-2] in FORMS.nouns):
        return "noun"  # "ticket 71", "the mfa ticket (42)"
    if last == ".":
        before = before[:-1]  # "ticket no. 71"
    if (
        len(before) >= 2
        and before[-1] in FORMS.number_words
        and (
            before[-2] in FORMS.nouns or before[-2] in FORMS.particles or before[-2] in FORMS.verbs
        )
    ):
        return "noun"  # "ticket no. 71", "look up number 21"
    two = " ".join(before[-2:])
    if (
        two in FORMS.lead_ins
        or last in FORMS.markers
        or (last == ":" and before[-2:-1] and before[-2] in FORMS.markers)
    ):
        return "lead"  # "a note to 71", "re 77", "re: 42"
    if last in FORMS.places or last in FORMS.times:
        return None
    if last is not None and last in FORMS.verbs:
        return "verb"  # "close 71", "reslove 31"
    if len(before) >= 2 and last in FORMS.particles and before[-2] in FORMS.verbs:
        return "verb"  # "pull up 60", "close out 63"
    if last in FORMS.object_prepositions and _verb_and_object_before(tokens, i - 1):
        return "verb"  # "add that to 36", "note it on 18", "add this text to 33"
    if last in FORMS.prepositions or (last == "/" and before[-2:-1] == ["w"]):
        return "end"  # "about 47, printer jammed", "done w/ 14"
    if i == tokens.first or last in FORMS.clause_openers:
        return "clause"  # "60 can be resolved", "fyi 3 is p1 now"
    return None


def _verb_and_object_before(tokens: _Tokens, preposition: int) -> bool:
    """A verb, then one or two object words, ending right before `preposition`."""
    for size in (1, 2):
        objects = tokens.texts[max(0, preposition - size) : preposition]
        verb = tokens.text(preposition - size - 1)
        if (
            len(objects) == size
            and all(o in FORMS.objects for o in objects)
            and verb is not None
            and (verb in FORMS.verbs or verb in FORMS.object_verbs)
        ):
            return True
    return False


def _continues(tokens: _Tokens, previous: int, i: int) -> Kind | None:
    """How a number continues the list whose last item is at `previous`, or None."""
    between = tokens.texts[previous + 1 : i]
    noun = bool(between) and between[-1] in FORMS.nouns  # "71 and ticket 72"
    if noun:
        between = between[:-1]
    if tuple(between) not in FORMS.connectors:
        return None
    if tokens.marked[i]:
        return "hash"
    return "noun" if noun else "list"


def _is_follower(tokens: _Tokens, k: int) -> bool:
    """May this token come after a bare ticket number ("close 71 please")?"""
    token = tokens.text(k)
    if token is None:
        return True
    following = tokens.text(k + 1)
    if token in ("to", "from"):  # "change 12 to 14" is a range, not a ticket
        return following is None or not following[0].isdigit()
    if token == "in":
        return following == "progress" or (
            following is not None and one_slip_apart(following, "progress")
        )
    if token in ("a", "an"):  # "make 41 a p1"
        return following in FORMS.levels
    if token == "p":  # "make 57 p2" (read as "p", "2")
        after = tokens.text(k + 2)
        return following in ("1", "2", "3", "4") and after not in FORMS.units | FORMS.nouns
    if token in FORMS.units:
        return False
    if token in FORMS.followers and following in (FORMS.units - FORMS.levels) | FORMS.nouns:
        return False  # "close 3 open tickets": a quantity
    is_mark = not token[0].isalnum()
    return is_mark or token in FORMS.followers


def _states_a_level(tokens: _Tokens, k: int) -> bool:
    """ "ticket 18 prio urgent": "prio" names the ticket's priority, not a rank ("#1 priority")."""
    return tokens.text(k) in ("priority", "prio") and tokens.text(k + 1) in FORMS.levels


def _ends_clause(tokens: _Tokens, k: int) -> bool:
    token = tokens.text(k)
    return (
        token is None
        or token == _GAP
        or token in FORMS.closing_words
        or (not token[0].isalnum() and token not in ("%", "°", "$", "€", "£"))
    )


def _opens_clause(tokens: _Tokens, k: int) -> bool:
    token = tokens.text(k)
    if token is None or token == _GAP:
        return False
    if token == "'" and tokens.text(k + 1) == "s":
        return True  # "45's sorted"
    return token in FORMS.subject_followers or (
        token in FORMS.followers and _is_follower(tokens, k)
    )


def _settle(tokens: _Tokens, run: list[_Item]) -> list[_Item]:
    """The items of a list that name tickets, judged by what follows its last item."""
    if not run:
        return []
    last = run[-1]
    after = last.index + 1
    if last.kind in _EXPLICIT or last.kind == "lead":
        fine = tokens.text(after) not in FORMS.units or _states_a_level(tokens, after)
    elif last.kind == "end":
        fine = _ends_clause(tokens, after)
    elif run[0].kind == "clause":
        fine = _opens_clause(tokens, after)  # "60 can …", "24 and 25 can both be closed"
    else:
        fine = _is_follower(tokens, after)
    if fine:
        return run
    kept = run[:-1]
    while kept and kept[-1].kind not in _EXPLICIT:
        kept.pop()  # "update 2 or 3 laptops": the whole list is a quantity
    return kept


def _mentions(text: str) -> list[tuple[int, bool]]:
    """(number, explicit) for each ticket the text names, in order of appearance."""
    tokens = _Tokens(text)
    runs: list[list[_Item]] = []
    run: list[_Item] = []
    for i, number in enumerate(tokens.numbers):
        if number is None:
            continue
        kind = _continues(tokens, run[-1].index, i) if run else None
        if kind is not None:
            run.append(_Item(i, number, kind))
            continue
        runs.append(run)
        kind = _head(tokens, i)
        run = [_Item(i, number, kind)] if kind is not None else []
    runs.append(run)
    found: list[tuple[int, bool]] = []
    for items in runs:
        explicit_list = bool(items) and items[0].kind in _EXPLICIT
        found.extend(
            (item.number, explicit_list or item.kind in _EXPLICIT)
            for item in _settle(tokens, items)
        )
    return found


def _unique(numbers: list[int]) -> list[int]:
    return list(dict.fromkeys(numbers))


def ticket_numbers_in(text: str) -> list[int]:
    """Every ticket number the text names, in order, each once."""
    return _unique([number for number, _ in _mentions(text)])


def explicit_ticket_numbers(text: str) -> list[int]:
    """The numbers written as tickets ("#71", "ticket 71", "tickets 3 and 4"), not those
    that are tickets only as a verb's object ("close 71")."""
    return _unique([number for number, explicit in _mentions(text) if explicit])


_ANSWER_WORDS: Final = 6  # an answer to "which ticket?" is short: "60", "sorry, 47"
_HASH: Final = re.compile(r"#([0-9]{1,19})\b")


def answered_ticket_numbers(question: str, answer: str) -> list[int]:
    """Tickets an answer names through the question it answers: "yes" to "Close #60?"
    names #60; "60" or "sorry, 47" to "Which ticket do you mean?" names 60 or 47."""
    if "?" not in question:
        return []
    said = " ".join(re.findall(r"[\w']+", answer.lower()))
    if said in CONFIRMATIONS:
        return _unique([n for n in map(int, _HASH.findall(question)) if n <= MAX_TICKET_NUMBER])
    if len(said.split()) > _ANSWER_WORDS:
        return []
    tokens = _Tokens(answer)
    return _unique(
        [
            number
            for i, number in enumerate(tokens.numbers)
            if number is not None and tokens.text(i + 1) not in FORMS.units
        ]
    )


# -- REST references ----------------------------------------------------------------------
_NUMBER = re.compile(r"^#?([0-9]+)$")


def ticket_not_found(parsed: uuid.UUID | int) -> NotFound:
    return NotFound(f"Ticket {f'#{parsed}' if isinstance(parsed, int) else parsed} not found")


def _checked_number(number: int, field: str) -> int:
    if number < 1:
        raise ValidationFailed.for_field(field, "ticket numbers start at 1")
    if number > MAX_TICKET_NUMBER:
        raise ValidationFailed.for_field(
            field, f"ticket numbers go up to {MAX_TICKET_NUMBER}, this one is larger"
        )
    return number


def parse_ticket_ref(ref: str | int | uuid.UUID, *, field: str = "ticket") -> uuid.UUID | int:
    if isinstance(ref, uuid.UUID):
        return ref
    if isinstance(ref, int) and not isinstance(ref, bool):
        return _checked_number(ref, field)
    text = str(ref).strip()
    match = _NUMBER.match(text)
    if match:
        digits = match.group(1).lstrip("0") or "0"
        if len(digits) > len(str(MAX_TICKET_NUMBER)):  # int() of thousands of digits raises
            return _checked_number(MAX_TICKET_NUMBER + 1, field)
        return _checked_number(int(digits), field)
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationFailed.for_field(
            field, f"'{text[:40]}' is neither a ticket number nor a ticket id"
        ) from None
