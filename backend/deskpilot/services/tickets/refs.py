"""What people call a ticket.

- A REST reference: a UUID, 47, or #47 (`parse_ticket_ref`).
- The tickets a sentence names (`ticket_numbers_in`): the one place that decides which
  numbers in text are tickets. The chat's write scope and the offline assistant use it.

A number names a ticket only in an explicit form, never because it merely appears:

    "#71"                              unless a place claims it ("room #3") or a unit
                                       follows it ("#1 priority")
    "ticket 71", "ticket #71",         after a ticket noun, unless a unit follows
    "ticket no. 71", "tkt 71"          ("a ticket 5 minutes ago")
    "close 71", "set 71 to resolved",  right after a ticket verb or lead-in, and only if
    "add a note to 71"                 the end, a punctuation mark or a follower comes
                                       after it ("close 3 laptops" names nothing)
    "tickets 71, 72 and 73"            a list continues its first item's form

A list that ends in a quantity is a quantity ("update 2 or 3 laptops"): its bare numbers
back to the last explicit one are dropped. So "about 71 users", "a team of 73 people",
"from room 3 to 75", "Upgrade RAM to 16 GB" and "Update 3 laptops" name no ticket.
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

from deskpilot.core.errors import NotFound, ValidationFailed

MAX_TICKET_NUMBER: Final = 2**63 - 1  # tickets.number is a PostgreSQL BIGINT


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class TicketForms:
    """The words of the forms above; all lower case."""

    nouns: frozenset[str]  # "ticket 71"
    number_words: frozenset[str]  # "ticket no. 71"
    verbs: frozenset[str]  # "close 71": a verb whose object is a ticket
    lead_ins: frozenset[str]  # "a note to 71": two words, then the ticket
    connectors: frozenset[tuple[str, ...]]  # "71, 72 and 73"
    followers: frozenset[str]  # what may come after a bare ticket number
    units: frozenset[str]  # after a number: it is a quantity ("71 users", "16 GB")
    places: frozenset[str]  # before "#N": it is a place or another kind of number


FORMS: Final = TicketForms(
    nouns=_words("ticket tickets tkt tkts tix"),
    number_words=_words("no nr num number"),
    verbs=_words(
        "close closing reopen re-open reopening resolve resolving update updating mark set "
        "move escalate assign reassign change"
    ),
    lead_ins=frozenset(
        {
            *("note to", "notes to", "note on", "notes on", "note for"),
            *("comment on", "comment to", "status of"),
        }
    ),
    connectors=frozenset({(",",), ("and",), ("&",), ("or",), ("/",), ("+",), (",", "and")}),
    followers=_words(
        # "close 71 as duplicate", "set 71 to resolved", "move 9 back to open"
        "to as back and or & "
        # "close 71 please", "reopen 12 because ...", "resolve 22, it's fixed"
        "please pls now asap today tomorrow then too again also for because since with "
        "so but if when once after before without saying "
        "it its it's is was are were has have had needs need still that which "
        # statuses: "mark 71 resolved" ("in progress" is read as two words, see below)
        "open opened closed resolved done fixed solved complete completed pending duplicate"
    ),
    units=_words(
        # people
        "users user people persons person staff employees employee agents agent customers "
        "customer members member colleagues guests visitors callers accounts account seats "
        "licenses licences license licence "
        # things
        "laptops laptop pcs pc computers computer desktops desktop machines machine monitors "
        "monitor screens screen printers printer phones phone devices device tablets tablet "
        "servers server vms cables keyboards keyboard mice mouse drives drive disks chairs desks "
        "tickets items item emails email messages calls attempts tries times x pages "
        # sizes, rates, money
        "gb mb kb tb gib mib gig gigs bytes bits ghz mhz gbps mbps cores inch inches cm mm "
        "kg percent percentage pct % ° € $ £ euros euro dollars dollar usd eur gbp k "
        # time
        "ms sec secs second seconds min mins minute minutes h hr hrs hour hours day days "
        "week weeks month months year years am pm "
        # places and ranks
        "floor floors room rooms priority prio of more others out"
    ),
    places=_words(
        "room rooms floor floors level building bldg ext extension x desk seat bay row rack "
        "port line suite apt unit store site office order invoice po serial asset model part "
        "account version v step page item error code vlan channel phone tel station pin"
    ),
)

Kind = Literal["hash", "noun", "verb", "list"]  # how an item of a list was written
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
        for start, end in _windows(text):
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
    if tokens.marked[i]:
        return None if before[-1:] and before[-1] in FORMS.places else "hash"
    if before[-1:] and before[-1] in FORMS.nouns:
        return "noun"
    if before[-1:] == ["."]:
        before = before[:-1]  # "ticket no. 71"
    if len(before) >= 2 and before[-1] in FORMS.number_words and before[-2] in FORMS.nouns:
        return "noun"
    if tokens.text(i - 1) in FORMS.verbs:
        return "verb"
    if " ".join(tokens.texts[max(0, i - 2) : i]) in FORMS.lead_ins:
        return "verb"
    return None


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
    if token in ("to", "from"):  # "change 12 to 14" is a range, not a ticket
        following = tokens.text(k + 1)
        return following is None or not following[0].isdigit()
    if token == "in":
        return tokens.text(k + 1) == "progress"
    if token in FORMS.units:
        return False
    is_mark = not token[0].isalnum()
    return is_mark or token in FORMS.followers


def _settle(tokens: _Tokens, run: list[_Item]) -> list[_Item]:
    """The items of a list that name tickets, judged by what follows its last item."""
    if not run:
        return []
    last = run[-1]
    after = last.index + 1
    if last.kind in _EXPLICIT:
        fine = tokens.text(after) not in FORMS.units
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
