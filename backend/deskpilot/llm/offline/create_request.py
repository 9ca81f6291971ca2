"""Is this a request for a new ticket, and where are its own words?

Four ways agents ask (lexicon.py has the words):
  a verb and a ticket noun      "log a ticket", "could you log this one as high", "set up a ticket"
  a ticket noun opening         "ticket for a new headset…", "urgent ticket pls - …", "new one for hr:"
  a request closing             "…, ticket pls", "…, new tkt", "…, log it", "…, log as urgent"
  a label opening               "p1 pls - card machine declining…", "p1, network: internet down"
What the ticket says is create_fields.py's job.
"""

from dataclasses import dataclass
from typing import Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.clauses import clauses, is_label, priority_of
from deskpilot.llm.offline.modifiers import negated_at
from deskpilot.llm.offline.text import Message
from deskpilot.services.tickets.ref_forms import FORMS
from deskpilot.services.tickets.typos import one_slip_apart

_OPENERS: Final = lx.words("new another fresh separate quick")
_LEADERS: Final = (
    _OPENERS
    | {w for p in lx.PRIORITY_WORDS for w in p}
    | lx.CATEGORY_NAMES
    | lx.PRIORITY_NOUNS
    | lx.words("a an please with heads up okay so hey")
)
_AFTER_NOUN: Final = lx.words("for about please with that re to : - , on regarding as under")
_PARTICIPLES: Final = lx.words("raised logged created opened filed made")
_NOUNS: Final = lx.words("ticket case incident request one")
_OPENING: Final = lx.words("please okay so hey hi can you could")
_CLOSING: Final = lx.words("new urgent ticket please one another fresh asap a")
_CLOSING_LEVELS: Final = lx.words("high low medium p1 p2 p3 p4 critical")


@dataclass(frozen=True)
class CreateRequest:
    first: int  # token indexes of the request's own words ("log a ticket")
    last: int
    sure: bool = True


def find_create(message: Message) -> CreateRequest | None:
    words = message.words
    tokens = message.tokens
    n = len(tokens)
    for i in range(n):
        if tokens[i].quoted or not (words[i] in lx.CREATE_VERBS or _slipped_verb(message, i)):
            continue
        if i > 0 and words[i - 1] in ("every", "all", "the", "any", "still", "are", "is"):
            continue  # "close every open ticket": "open" describes the tickets
        j = i + 1
        if j < n and words[j] in lx.CREATE_PARTICLES and words[i] in ("put", "write", "set"):
            j += 1
        end = _noun_after(message, j)
        if end is not None and not negated_at(message, i):
            return CreateRequest(i, end)
    said = _said_as_verb(message)
    if said is not None:
        return said
    start = _start_after_openers(message)
    if _plural_opening(message, start) or _ticket_four(message, start):
        return CreateRequest(start, start + 1)  # "new tix: badge printer…"
    end = _noun_after(message, start, leaders=True)
    if end is not None and _opens_an_issue(message, end) and not negated_at(message, end):
        return CreateRequest(start, end)
    closing = _closing_request(message)
    if closing is not None:
        return closing
    return _label_opening(message, start)


def _noun_after(message: Message, j: int, *, leaders: bool = False) -> int | None:
    """Index of a singular ticket noun ("ticket", "one") after fillers from j, if any."""
    words = message.words
    fillers = _LEADERS if leaders else lx.CREATE_FILLERS | _LEADERS
    k = j
    while k < len(words) and k - j <= 4 and words[k] in fillers and words[k] not in _NOUNS:
        k += 1
    if k >= len(words) or words[k] not in _NOUNS or message.tokens[k].quoted:
        return None
    following = words[k + 1] if k + 1 < len(words) else None
    if message.tokens[k + 1 : k + 2] and message.tokens[k + 1].kind == "number":
        return None  # "open ticket 12" is a look-up
    if following in ("no", "number", "#"):
        return None
    if words[k] == "one" and k == j and not leaders and following not in _AFTER_NOUN | {None}:
        return None  # "make one change"
    if following in _PARTICIPLES:
        return k + 1  # "need a tkt raised for …"
    return k


def _said_as_verb(message: Message) -> CreateRequest | None:
    """ "…, pls ticket it", "ticket that: …", "can u ticket that": the noun as a verb."""
    found = message.first_of(lx.NOUN_VERBS)
    if found is None or message.tokens[found[0]].quoted or negated_at(message, found[0]):
        return None
    return CreateRequest(found[0], found[0] + len(found[1]) - 1)


def _plural_opening(message: Message, start: int) -> bool:
    """ "new tix: …": an opener, the plural noun, then a colon or dash."""
    words = message.words
    return (
        words[start : start + 2] in (["new", "tickets"], ["new", "ticket"])
        and start + 2 < len(words)
        and words[start + 2] in (":", "-")
    )


def _slipped_verb(message: Message, i: int) -> bool:
    """ "crate ticket for …": a slip of a create verb (a real word, so never corrected)
    opening the message right before a ticket noun."""
    words = message.words
    return (
        i == 0
        and words[1:2] == ["ticket"]
        and any(one_slip_apart(words[0], verb) for verb in lx.CREATE_VERBS if len(verb) > 3)
    )


def _ticket_four(message: Message, start: int) -> bool:
    """ "ticket 4 li wei: laptop fan loud": "4" for "for" (text-speak), then who it is for and
    a colon or dash; "ticket 4 is fixed: …" names ticket 4."""
    tokens, words = message.tokens, message.words
    if words[start : start + 1] != ["ticket"] or start + 3 >= len(tokens):
        return False
    if tokens[start + 1].number != 4 or tokens[start + 1].hashed:
        return False
    for k in range(start + 2, min(start + 6, len(tokens))):
        if words[k] in (":", "-"):
            return k > start + 2
        if tokens[k].kind != "word" or words[k] in FORMS.followers | FORMS.subject_followers:
            return False
    return False


def _start_after_openers(message: Message) -> int:
    words = message.words
    i = 0
    while i < len(words) and words[i] in lx.words("okay so hey hi heads up also and"):
        i += 1
    while i < len(words) and message.tokens[i].kind == "mark":
        i += 1
    return i


def _opens_an_issue(message: Message, noun: int) -> bool:
    """ "ticket for …", "urgent ticket pls - …", "new one for hr: …", "ticket pls, low prio: …"."""
    following = message.words[noun + 1 : noun + 3]
    if following and set(message.words[:noun]) & _OPENERS:
        return True  # "new ticket under facilities - …": "new" says it all
    if not following:
        return message.words[noun] != "one" and noun > 0  # "new tkt" alone: ask what about
    return following[0] in _AFTER_NOUN or (
        following[0] in ("please", "pls") and (len(following) == 1 or following[1] in _AFTER_NOUN)
    )


def _closing_request(message: Message) -> CreateRequest | None:
    """ "…, ticket pls", "…, new tkt", "…, log it", "…, log as urgent", "need this logged:"."""
    words = message.words
    spoken = [i for i, t in enumerate(message.tokens) if t.kind != "mark" and not t.quoted]
    if not spoken:
        return None
    last_clause = clauses(message)[-1] if clauses(message) else None
    if last_clause is not None and last_clause.first > 0:
        said = [w for w in last_clause.words]
        if (
            said
            and all(w in _CLOSING or w in lx.PRIORITY_NOUNS or w in _CLOSING_LEVELS for w in said)
            and any(w in ("ticket", "one") for w in said)
            and not negated_at(message, last_clause.first)
        ):
            return CreateRequest(last_clause.first, last_clause.last)
    for i in spoken:
        if words[i] not in lx.LOG_VERBS:
            continue
        nxt = words[i + 1 : i + 3]
        prev = words[i - 1] if i > 0 else ""
        numbered = message.tokens[i + 2 : i + 3] and message.tokens[i + 2].kind == "number"
        if nxt[:1] in ([":"], ["-"]) and all(w in _OPENING for w in words[:i]) and not numbered:
            return CreateRequest(i, i)  # "log: …", "pls log - …"
        if (
            nxt[:1] in (["it"], ["this"])
            or nxt[:1] == ["as"]
            or (prev in ("this", "it") and words[i] in ("logged", "filed", "raised"))
        ):
            end = i + (1 if nxt[:1] in (["it"], ["this"]) else 0)
            if not negated_at(message, i):
                return CreateRequest(i - (1 if prev in ("this", "it") else 0), end)
    return None


def _label_opening(message: Message, start: int) -> CreateRequest | None:
    """ "p1 pls - card machine…", "p1, network: internet down": a priority label, then the
    issue after a colon or dash."""
    for boundary in range(start, min(start + 6, len(message.tokens))):
        token = message.tokens[boundary]
        if token.kind == "mark" and token.word in (":", "-"):
            label = tuple(w for w in message.words[start:boundary] if w not in (",",))
            if label and is_label(label) and priority_of(label) is not None:
                return CreateRequest(start, boundary, sure=True)
            return None
    return None
