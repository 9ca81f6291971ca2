"""Typed entities, recognised before any intent so that each number is claimed once.

A number is a ticket when services/tickets/refs.py (the one module that decides, shared
with the chat's write scope) says the sentence names it. Otherwise it is a quantity ("3
machines", "40 users"), a time ("at 3", "since 10"), a code or place ("error 550", "ext
4412", "room 12") — or, failing all of these, a loose number ("can i see the scanner one,
40 i think"), which may be read as a ticket to look it up but is never written to without
asking. People are the desk's agents, by name, surname or e-mail.
"""

import functools
import re
from dataclasses import dataclass, field
from typing import Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.text import Message, Token
from deskpilot.services.tickets.assignees import Person, fold, match_people
from deskpilot.services.tickets.ref_forms import FORMS
from deskpilot.services.tickets.refs import ticket_numbers_in
from deskpilot.services.tickets.typos import Vocabulary

_EMAIL: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_QUANTITY_WORDS: Final = (FORMS.units - lx.words("priority prio more others out")) | lx.words(
    "mailboxes mailbox interns licences licenses pcs macs ppl boxes rooms sites offices "
    "folders files"
)


@dataclass(frozen=True)
class Numbers:
    tickets: tuple[int, ...]  # named as tickets, in order
    loose: tuple[int, ...]  # not claimed by anything: maybe a ticket, to read only
    claimed: dict[int, str] = field(default_factory=dict)  # token index → what it is


def _masked(message: Message) -> str:
    """The source with quoted text blanked: a ticket named inside quotes is text."""
    chars = list(message.source)
    for token in message.tokens:
        if token.quoted:
            chars[token.start : token.end] = " " * (token.end - token.start)
    return "".join(chars)


def _claim(message: Message, i: int) -> str | None:
    words = message.words
    before = words[i - 1] if i > 0 else ""
    after = words[i + 1 : i + 3]
    if before in FORMS.places:
        return "code" if before in ("error", "err", "code") else "place"
    if before in FORMS.times:
        return "time"
    if any(w in _QUANTITY_WORDS for w in after[:1]) or (
        len(after) == 2 and after[1] in _QUANTITY_WORDS and after[0].isalpha()
    ):
        return "quantity"
    if after[:1] == ["of"] or after[:1] == ["%"]:
        return "quantity"
    number = message.tokens[i].number or 0
    if 400 <= number <= 599 and (before in _CODE_BEFORE or (after[:1] and after[0] in _CODE_AFTER)):
        return "code"  # "still getting 403 on the crm", "a 404 page"
    return None


_CODE_BEFORE: Final = lx.words("getting get got gives giving shows showing returns http a an")
_CODE_AFTER: Final = lx.words("error errors page forbidden")


def numbers_in(message: Message) -> Numbers:
    named = ticket_numbers_in(_masked(message))
    strict: list[int] = []
    loose: list[int] = []
    claimed: dict[int, str] = {}
    for i, token in enumerate(message.tokens):
        if token.kind != "number" or token.number is None or token.quoted:
            continue
        if token.hashed or token.number in named or _led_in(message, i):
            if token.number not in strict:
                strict.append(token.number)
            continue
        kind = _claim(message, i)
        if kind is not None:
            claimed[i] = kind
        elif token.number > 0 and token.number not in loose:
            loose.append(token.number)
    return Numbers(tuple(strict), tuple(n for n in loose if n not in strict), claimed)


def _led_in(message: Message, i: int) -> bool:
    """ "add nte to 12": a lead-in ("note to") once shorthand and slips are read, which
    refs.py, reading the text as written, cannot see."""
    before = " ".join(message.words[max(0, i - 2) : i])
    after = message.words[i + 1 : i + 2]
    return before in FORMS.lead_ins and not (after and after[0] in FORMS.units)


# -- people ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    first: int  # token indexes, inclusive
    last: int
    people: tuple[Person, ...]  # one: settled; several: ambiguous; none: unknown
    written: str

    @property
    def settled(self) -> Person | None:
        return self.people[0] if len(self.people) == 1 else None


def desk_people(agents: tuple[dict[str, str], ...]) -> list[Person]:
    return [Person(a.get("email", a["name"]), a["name"], a.get("email", "")) for a in agents]


@functools.lru_cache(maxsize=8)
def _name_words(names: tuple[str, ...]) -> Vocabulary:
    return Vocabulary({w for name in names for w in re.findall(r"[^\W\d_]+", fold(name))})


def people_in(message: Message, people: list[Person]) -> list[Mention]:
    """Agents the message names, in order: "priya", "tom becker", "nunez", an e-mail."""
    if not people:
        return []
    found: list[Mention] = []
    emails = [(m.start(), m.end(), m.group(0)) for m in _EMAIL.finditer(message.source)]
    vocabulary = _name_words(tuple(p.name for p in people))
    tokens = message.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        email = next((e for e in emails if e[0] <= token.start < e[1]), None)
        if email is not None:
            last = max(j for j in range(i, len(tokens)) if tokens[j].start < email[1])
            found.append(Mention(i, last, tuple(match_people(email[2], people)), email[2]))
            i = last + 1
            continue
        name = _name_at(tokens, i, vocabulary)
        if name is None:
            i += 1
            continue
        pair = _name_at(tokens, i + 1, vocabulary) if i + 1 < len(tokens) else None
        if pair is not None:
            both = match_people(f"{name} {pair}", people)
            if both:
                found.append(Mention(i, i + 1, tuple(both), message.span(i, i + 1)))
                i += 2
                continue
        found.append(Mention(i, i, tuple(match_people(name, people)), token.word))
        i += 1
    return found


def _name_at(tokens: list[Token], i: int, vocabulary: Vocabulary) -> str | None:
    token = tokens[i]
    if token.kind != "word" or token.quoted:
        return None
    word = fold(token.word)
    if word in vocabulary.words:
        return word
    if word in _NOT_NAMES or len(word) < 4:
        return None
    return vocabulary.correct(word)  # "pryia" → "priya"


# Words of requests that are one slip from a first name or surname ("ben" and "been").
_NOT_NAMES: Final = lx.words(
    "been seen then than when them thee tame time tome tomb toms mark marked park back "
    "team take taken marco's about above"
)
