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
from dataclasses import dataclass
from typing import Final, Literal

from backend.core.errors import NotFound, ValidationFailed

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
    r"(?P<number>#\s?[0-9]+|[0-9]+)|(?P<word>[^\W\d_]+(?:['-][^\W\d_]+)*)|(?P<mark>[^\w\s])"
)
_GLUED_TICKET_HASH: Final = re.compile(r"\b(tickets?|tkts?|tix)#", re.IGNORECASE)


@dataclass(frozen=True)
class _Token:
    text: str  # lower case; a number's digits without "#"
    start: int
    end: int
    number: int | None = None  # a standalone number that can be a ticket
    marked: bool = False  # written "#N"


@dataclass(frozen=True)
class _Item:
    index: int  # of its token
    number: int
    kind: Kind


def _standalone_number(text: str, start: int, end: int, digits: str) -> int | None:
    """The number, if it stands alone: not "v2", "10.2", "5:30", "1,000", "5pm", "16GB",
    "3rd", "5%", "ABC-123", and within the range a ticket number can have."""
    before = text[start - 1] if start else " "
    after = text[end : end + 2]
    if before.isalnum() or before in "._/-:,@$€£#\\":
        return None
    if after[:1].isalnum() or (after[:1] != "" and after[:1] in "%°_"):
        return None
    if len(after) == 2 and after[0] in ".,:/-" and after[1].isdigit():
        return None
    if len(digits) > 19 or not 1 <= int(digits) <= MAX_TICKET_NUMBER:
        return None
    return int(digits)


def _tokens(text: str) -> list[_Token]:
    text = _GLUED_TICKET_HASH.sub(r"\1 #", text.replace("’", "'"))
    tokens = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if (raw := match.group("number")) is not None:
            digits = raw.lstrip("#").lstrip()
            number = _standalone_number(text, start, end, digits)
            tokens.append(_Token(digits, start, end, number, raw.startswith("#")))
        else:
            tokens.append(_Token(match.group(0).lower(), start, end))
    return tokens


def _text(tokens: list[_Token], index: int) -> str | None:
    return tokens[index].text if 0 <= index < len(tokens) else None


def _head(tokens: list[_Token], i: int) -> Kind | None:
    """How a number that starts a list is written, or None if it names no ticket."""
    before = [t.text for t in tokens[max(0, i - 3) : i]]
    if tokens[i].marked:
        return None if before[-1:] and before[-1] in FORMS.places else "hash"
    if before[-1:] and before[-1] in FORMS.nouns:
        return "noun"
    if before[-1:] == ["."]:
        before = before[:-1]  # "ticket no. 71"
    if len(before) >= 2 and before[-1] in FORMS.number_words and before[-2] in FORMS.nouns:
        return "noun"
    if i > 0 and tokens[i - 1].text in FORMS.verbs:
        return "verb"
    if " ".join(t.text for t in tokens[max(0, i - 2) : i]) in FORMS.lead_ins:
        return "verb"
    return None


def _continues(tokens: list[_Token], previous: int, i: int) -> Kind | None:
    """How a number continues the list whose last item is at `previous`, or None."""
    between = [t.text for t in tokens[previous + 1 : i]]
    noun = bool(between) and between[-1] in FORMS.nouns  # "71 and ticket 72"
    if noun:
        between = between[:-1]
    if tuple(between) not in FORMS.connectors:
        return None
    if tokens[i].marked:
        return "hash"
    return "noun" if noun else "list"


def _is_follower(tokens: list[_Token], k: int) -> bool:
    """May this token come after a bare ticket number ("close 71 please")?"""
    if k >= len(tokens):
        return True
    token = tokens[k]
    if token.text in ("to", "from"):  # "change 12 to 14" is a range, not a ticket
        return tokens[k + 1].number is None if k + 1 < len(tokens) else True
    if token.text == "in":
        return _text(tokens, k + 1) == "progress"
    if token.text in FORMS.units:
        return False
    is_mark = not token.text[:1].isalnum()
    return is_mark or token.text in FORMS.followers


def _settle(tokens: list[_Token], run: list[_Item]) -> list[_Item]:
    """The items of a list that name tickets, judged by what follows its last item."""
    if not run:
        return []
    last = run[-1]
    after = last.index + 1
    if last.kind in _EXPLICIT:
        fine = _text(tokens, after) not in FORMS.units
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
    tokens = _tokens(text)
    runs: list[list[_Item]] = []
    run: list[_Item] = []
    for i, token in enumerate(tokens):
        if token.number is None:
            continue
        kind = _continues(tokens, run[-1].index, i) if run else None
        if kind is not None:
            run.append(_Item(i, token.number, kind))
            continue
        runs.append(run)
        kind = _head(tokens, i)
        run = [_Item(i, token.number, kind)] if kind is not None else []
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
