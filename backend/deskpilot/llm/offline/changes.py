"""The changes a message asks of a ticket: status, priority, assignee, a note.

Each reader looks at the tokens outside the note's own text (a note may say anything) and
outside quotes, and returns what it found with the token where it found it, so that a
negation or a question can be checked at that place:

  status    "close 7", "mark 58 done", "set 23 to wip", "57 fixed", "#53 can be closed"
  priority  "bump 23 to urgent", "make 41 a p1", "18 is critical now", "escalate 12" (+1)
  assignee  "assign 23 to priya", "can jose take 57", "i'll take 41", "68 -> josé"
  note      "add a note to 18: …", "note on 29 - …", "…, add that to 36", "47: …" (notes.py)
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.clauses import STRONG_PRIORITIES
from deskpilot.llm.offline.entities import Mention
from deskpilot.llm.offline.notes import Note, find_note
from deskpilot.llm.offline.text import Message
from deskpilot.services.tickets.ref_forms import FORMS

_STATUS_REACH: Final = 8  # tokens from a set-verb to its status word


@dataclass(frozen=True)
class Found:
    value: str
    at: int  # token index of the word that asked for it
    stated: bool = False  # said as a fact ("57 fixed"), not asked with a verb ("close 57")


@dataclass
class Person:
    mention: Mention | None  # a desk agent, settled or not
    at: int
    me: bool = False
    team: str | None = None  # "the network team"
    unknown: str | None = None  # a name that is no agent ("sarah")
    unassign: bool = False


@dataclass
class Changes:
    status: Found | None = None
    not_a_status: Found | None = None  # "on hold"
    priority: Found | None = None
    relative: int = 0  # +1 "escalate 12", -1 "lower prio on 3": no level given
    relative_at: int = -1
    person: Person | None = None
    note: Note | None = None
    excluded: set[int] = field(default_factory=set)  # token indexes of note text

    @property
    def any(self) -> bool:
        return bool(
            self.status or self.priority or self.relative or self.person or self.note
            or self.not_a_status
        )  # fmt: skip

    def places(self) -> list[int]:
        found = [f.at for f in (self.status, self.priority, self.not_a_status) if f]
        found += [p.at for p in (self.person, self.note) if p]
        return found + ([self.relative_at] if self.relative else [])


def read_changes(
    message: Message, mentions: list[Mention], first: int = 0, last: int | None = None
) -> Changes:
    """The changes asked in tokens first..last."""
    last = len(message.tokens) - 1 if last is None else last
    changes = Changes()
    changes.note = find_note(message, first, last)
    if changes.note is not None:
        changes.excluded = set(range(changes.note.first, changes.note.last + 1))
    usable = [
        i
        for i in range(first, last + 1)
        if i not in changes.excluded and not message.tokens[i].quoted
    ]
    changes.status, changes.not_a_status = _status(message, usable)
    changes.priority, changes.relative, changes.relative_at = _priority(message, usable)
    changes.person = _person(message, usable, mentions)
    return changes


def read_gapped(
    message: Message, mentions: list[Mention], first: int, last: int, like: Changes
) -> Changes:
    """The changes of a stretch whose verb was left out because the one before has it:
    "assign 3 to marco and 4 to jose", "set 3 to high and 4 to low": the values alone, of
    the kinds the stretch before asked."""
    changes = Changes()
    usable = [i for i in range(first, last + 1) if not message.tokens[i].quoted]
    if like.person is not None:
        mention = next((m for m in mentions if first <= m.first <= last), None)
        if mention is not None:
            changes.person = Person(mention, mention.first)
    if like.priority is not None:
        found = _first_in(message, usable, lx.PRIORITY_WORDS)
        if found is not None:
            changes.priority = Found(lx.PRIORITY_WORDS[found[1]], found[0])
    if like.status is not None:
        found = _first_in(message, usable, lx.STATUS_WORDS)
        if found is not None:
            changes.status = Found(lx.STATUS_WORDS[found[1]], found[0])
    return changes


def _phrase_at(message: Message, usable: list[int] | set[int], phrase: lx.Phrase) -> int | None:
    allowed = usable if isinstance(usable, set) else set(usable)
    n = len(phrase)
    for i in message.find_all(phrase):
        if all(i + k in allowed for k in range(n)):
            return i
    return None


def _first_in(
    message: Message,
    usable: list[int] | set[int],
    table: Mapping[lx.Phrase, str] | frozenset[lx.Phrase],
) -> tuple[int, lx.Phrase] | None:
    best: tuple[int, lx.Phrase] | None = None
    allowed = usable if isinstance(usable, set) else set(usable)
    for phrase in table:
        i = _phrase_at(message, allowed, phrase)
        if i is not None and (best is None or (i, -len(phrase)) < (best[0], -len(best[1]))):
            best = (i, phrase)
    return best


# -- status ---------------------------------------------------------------------------------


def _status(message: Message, usable: list[int]) -> tuple[Found | None, Found | None]:
    words = message.words
    hold = _first_in(message, usable, lx.NOT_A_STATUS)
    verb = _first_in(message, usable, lx.STATUS_VERBS)
    if verb is not None and words[verb[0]] == "open" and verb[1] == ("open",):
        verb = None  # "open" alone is a look-up or a create, not a status
    for i in usable:
        if words[i] in lx.SET_VERBS or (
            words[i] == "back" and i + 1 < len(words) and words[i + 1] == "to"
        ):
            after = [k for k in usable if i < k <= i + _STATUS_REACH]
            found = _first_in(message, after, lx.STATUS_WORDS)
            if found is not None and (hold is None or hold[0] > found[0]):
                return Found(lx.STATUS_WORDS[found[1]], i), None
    if verb is not None:
        return Found(lx.STATUS_VERBS[verb[1]], verb[0]), None
    stated = _stated_status(message, usable)
    if stated is not None:
        return stated, None
    if hold is not None:
        return None, Found(" ".join(hold[1]), hold[0])
    return None, None


_SUBJECT_REACH: Final = 6


def _status_phrase_at(message: Message, k: int, allowed: set[int]) -> tuple[int, lx.Status] | None:
    """The longest status phrase starting at token k."""
    words = message.words
    best: tuple[int, lx.Status] | None = None
    for phrase, status in lx.STATUS_WORDS.items():
        n = len(phrase)
        fits = tuple(words[k : k + n]) == phrase and all(k + j in allowed for j in range(n))
        if fits and (best is None or n > best[0]):
            best = (n, status)
    return best


_SUBJECT_LINKS: Final = lx.words("is are was s now - , can be been all good just so both one")


def _stated_status(message: Message, usable: list[int]) -> Found | None:
    """ "57 fixed", "1 is finished", "45's sorted", "#53 can be closed", "52 can go",
    "it's working now", "done w/ 14": a ticket and a status word with only links between."""
    words = message.words
    allowed = set(usable)
    for i in usable:
        token = message.tokens[i]
        is_subject = token.kind == "number" or words[i] in ("it", "its", "this", "that", "ticket")
        if not is_subject:
            continue
        k = i + 1
        while k < i + _SUBJECT_REACH and k in allowed:
            found = _status_phrase_at(message, k, allowed)
            if found is not None:
                if found[1] != "open":
                    return Found(found[1], k, stated=True)
                break
            if words[k] not in _SUBJECT_LINKS and words[k] != "'s":
                break
            k += 1
    first = usable[0] if usable else None
    if (
        first is not None
        and words[first] in ("done", "finished")
        and "with" in words[first : first + 3]
    ):
        return Found("resolved", first, stated=True)  # "done w/ 14"
    return None


# -- priority -------------------------------------------------------------------------------


def _priority(message: Message, usable: list[int]) -> tuple[Found | None, int, int]:
    words = message.words
    raise_at = _first_in(message, usable, lx.RAISE_VERBS)
    lower_at = _first_in(message, usable, lx.LOWER_VERBS)
    context = {
        i
        for i in usable
        if words[i] in lx.PRIORITY_NOUNS | lx.SET_VERBS | {"to", "is", "now", "on", "a", "be"}
    }
    if raise_at:
        context.add(raise_at[0])
    if lower_at:
        context.add(lower_at[0])
    stated: list[Found] = []
    allowed = set(usable)
    for phrase, value in lx.PRIORITY_WORDS.items():
        n = len(phrase)
        for i in message.find_all(phrase):
            if i not in allowed:
                continue
            near = set(range(i - 3, i + n + 2)) & context
            strong = phrase in STRONG_PRIORITIES
            if (
                near
                or (strong and len(phrase) == 1 and words[i].startswith("p"))
                or (strong and _labels_a_ticket(message, i))
            ):
                stated.append(Found(value, i))
    if stated:
        return max(stated, key=lambda f: f.at), 0, -1  # "low is fine… actually make it medium"
    if raise_at is not None:
        return None, +1, raise_at[0]
    if lower_at is not None:
        return None, -1, lower_at[0]
    return None, 0, -1


def _labels_a_ticket(message: Message, i: int) -> bool:
    """ "urgent on 66", "tkt 18 prio urgent": a strong level next to a ticket number."""
    near = message.tokens[max(0, i - 3) : i + 4]
    return any(t.kind == "number" for t in near)


# -- assignee -------------------------------------------------------------------------------


def _person(message: Message, usable: list[int], mentions: list[Mention]) -> Person | None:
    words = message.words
    allowed = set(usable)
    found: Person | None = None
    for i in usable:
        word = words[i]
        if word in lx.ASSIGN_VERBS or word in ("put", "move"):
            person = _person_after(message, i, allowed, mentions, via_put=word in ("put", "move"))
            if person is not None:
                found = person  # the last one wins: "take priya off 18, give it to aisha"
        elif word in lx.TAKE_VERBS or (
            word == "should" and i + 1 < len(words) and words[i + 1] == "own"
        ):
            person = _subject_before(message, i, mentions) or _imperative_take(message, i)
            if person is not None and _ticket_after(message, i):
                found = person
        elif word == "->":
            mention = _mention_at(mentions, i + 1)
            if mention is not None:
                found = Person(mention, i)
    return found


_AWAY: Final = lx.words("off away out from back")


def _imperative_take(message: Message, verb: int) -> Person | None:
    """ "take 68", "pls grab 31 and …": a take verb opening a clause is the agent's own."""
    before = [
        t.word
        for t in message.tokens[:verb]
        if t.kind != "mark" and t.word not in lx.words("please okay ok so and then i will")
    ]
    after = message.words[verb + 1 : verb + 3]
    if before or not after or (after[1:2] and after[1] in FORMS.units | _AWAY):
        return None  # "take 3 laptops to room 5", "take 12 off my list"
    return Person(None, verb, me=True)


def _ticket_after(message: Message, i: int) -> bool:
    return any(
        t.kind == "number" or t.word in ("it", "this") for t in message.tokens[i + 1 : i + 4]
    )


def _mention_at(mentions: list[Mention], i: int) -> Mention | None:
    return next((m for m in mentions if m.first == i), None)


def _person_after(
    message: Message, verb: int, allowed: set[int], mentions: list[Mention], *, via_put: bool
) -> Person | None:
    """The person after "to"/"with"/"on" following an assign verb ("assign 23 to priya",
    "put lindqvist on 68", "put it w/ tom lindqvist", "move 10 to marco's queue")."""
    words = message.words
    end = min(len(words), verb + 9)
    if via_put:
        mention = _mention_at(mentions, verb + 1)
        if mention is not None:
            return Person(mention, verb)  # "put lindqvist on 68"
        if words[verb + 1 : verb + 3] in (["me", "on"], ["myself", "on"]):
            return Person(None, verb, me=True)  # "put me on 31"
    for k in range(verb + 1, end):
        if k not in allowed or words[k] not in ("to", "with", "w/"):
            continue
        if words[k] == "to" and k > 0 and words[k - 1] == "from":
            continue
        target = k + 1
        while target < len(words) and words[target] in ("the", "our", "a"):
            target += 1
        if target >= len(words):
            return None
        mention = _mention_at(mentions, target)
        following = words[target : target + 4]
        if any(w in lx.TEAM_WORDS for w in following):
            if mention is not None and words[mention.last + 1 : mention.last + 2] == ["'s"]:
                return Person(mention, verb)  # "marco's queue": Marco
            team = message.span(target, min(len(words) - 1, target + 2))
            if via_put and words[verb] == "put":
                return None  # "put it in the queue": no team named
            return Person(None, verb, team=team)  # "move 66 to the desktop team queue"
        if mention is not None:
            return Person(mention, verb)
        if words[target] in ("me", "myself"):
            return Person(None, verb, me=True)
        if via_put:
            return None
        name = message.tokens[target]
        if name.kind == "word" and name.word not in _NOT_PEOPLE and not name.quoted:
            return Person(None, verb, unknown=message.span(target, target))
        return None
    return None


_NOT_PEOPLE: Final = (
    lx.words("anyone anybody someone somebody nobody it them him her us you open closed")
    | {w for p in lx.PRIORITY_WORDS for w in p}
    | {w for p in lx.STATUS_WORDS for w in p}
    | lx.PRIORITY_NOUNS
)


def _subject_before(message: Message, verb: int, mentions: list[Mention]) -> Person | None:
    """ "can jose take 57", "tom becker should own 48", "i will take 41"."""
    words = message.words
    if (verb >= 2 and words[verb - 2 : verb] == ["i", "will"]) or words[verb - 1 : verb] == ["i"]:
        return Person(None, verb, me=True)
    for mention in mentions:
        if mention.last in (verb - 1, verb - 2) and mention.last < verb:
            return Person(mention, verb)
    return None
