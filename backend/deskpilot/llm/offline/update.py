"""From the changes a message asks (changes.py) to update_ticket calls, a question, or a
plain answer. Written only when sure: the change and the ticket are both clear, nothing is
hedged ("i think 58 can go"), reported ("caller says it's working") or loose ("can i see
the scanner one, 40"); otherwise the write is quoted back as a question ("Close #58?")."""

import dataclasses
from typing import TYPE_CHECKING, Any, Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.changes import Changes, Person, read_changes, read_gapped
from deskpilot.llm.offline.modifiers import is_advice_question, negated_at
from deskpilot.llm.offline.plan import Plan, PlannedCall

if TYPE_CHECKING:
    from deskpilot.llm.offline.intents import Reading

_READ_AFTER: Final = lx.words("just only but instead")


def plan_update(reading: "Reading", changes: Changes) -> Plan | None:
    message = reading.message
    kept = _without_negated(reading, changes)
    if kept is not None:
        changes = kept  # "dont close 60 yet, just add a note: …": the note only
    elif reading.negated(changes):
        if _reads_afterwards(reading):
            return None  # "don't change anything, just tell me who has 3"
        return Plan("declined", subject=_refs(reading.targets()[0]))
    if is_advice_question(message):
        return Plan("advice", subject=_refs(reading.targets()[0]))
    if reading.question:
        return None  # "is tkt 64 closed", "did anyone add a note to 48": read, never write
    cannot = unsupported_in(reading)
    targets, certain = reading.targets()
    outside = _outside_note(reading, changes, targets)
    if outside:
        targets = outside  # "close #9, note: duplicate of #8": #8 is the note's text
    blocked = _objects_of_unsupported(reading)
    if blocked and [n for n in targets if n not in blocked]:
        targets = [n for n in targets if n not in blocked]  # "resolve 19 and merge it with 22"
    segments = _per_ticket(reading) if len(targets) > 1 else None
    asides: list[str] = [f"cannot:{kind}" for kind in cannot]
    if segments is not None:
        items = []
        for number, own in segments:
            arguments, problem = _arguments(reading, own, number, asides)
            if problem is not None:
                return problem
            items.append(arguments)
    else:
        if not targets:
            if reading.message.has(lx.phrases("attached", "the attached")):
                return Plan("no_attached")
            return Plan("clarify", missing="ticket")
        items = []
        for number in targets:
            arguments, problem = _arguments(reading, changes, number, asides)
            if problem is not None:
                return problem
            items.append(arguments)
    items = [a for a in items if len(a) > 1]
    if not items:
        return _nothing_to_do(changes, asides, targets)
    calls = tuple(PlannedCall("update_ticket", a) for a in items[:20])
    sure = certain and not reading.unsure(changes)
    if not sure and not reading.confirmed:
        return Plan("confirm", calls, asides=tuple(asides))
    return Plan("update", calls, asides=tuple(asides))


def _without_negated(reading: "Reading", changes: Changes) -> Changes | None:
    """The changes left when some, not all, are negated; None when none or all are."""
    message = reading.message
    kept = dataclasses.replace(changes)
    for name in ("status", "priority", "not_a_status", "person", "note"):
        found = getattr(kept, name)
        if found is not None and negated_at(message, found.at):
            setattr(kept, name, None)
    if kept.relative and negated_at(message, kept.relative_at):
        kept.relative, kept.relative_at = 0, -1
    if kept.places() == changes.places() or not kept.any:
        return None
    return kept


def _outside_note(reading: "Reading", changes: Changes, targets: list[int]) -> list[int]:
    """The targets written outside the note's own text, if any are."""
    if not changes.excluded or len(targets) < 2:
        return []
    inside = {
        t.number for i, t in enumerate(reading.message.tokens) if i in changes.excluded and t.number
    }
    outside = {
        t.number
        for i, t in enumerate(reading.message.tokens)
        if i not in changes.excluded and t.number
    }
    return [n for n in targets if n in outside or n not in inside]


def _objects_of_unsupported(reading: "Reading") -> set[int]:
    """Tickets named after a request no tool serves, in its clause ("merge it with 22")."""
    message = reading.message
    blocked: set[int] = set()
    for phrases in lx.UNSUPPORTED.values():
        for phrase in phrases:
            for at in message.find_all(phrase):
                for token in message.tokens[at + 1 :]:
                    if token.kind == "mark" and token.word in (",", ";", ".", "!", "?"):
                        break
                    if token.kind == "number" and token.number is not None:
                        blocked.add(token.number)
    return blocked


def _reads_afterwards(reading: "Reading") -> bool:
    words = reading.message.words
    return any(w in _READ_AFTER for w in words) and bool(set(words) & (lx.FIELD_WORDS | {"tell"}))


def _refs(numbers: list[int]) -> str:
    return ", ".join(f"#{n}" for n in numbers)


_WRITE_VERBS: Final = lx.words(
    "close resolve reopen assign reassign give set mark change move bump escalate update "
    "delete remove"
)


def unsupported_in(reading: "Reading") -> list[str]:
    found = []
    for kind, phrases in lx.UNSUPPORTED.items():
        if kind == "bulk" and not set(reading.message.words) & _WRITE_VERBS:
            continue  # "list all tickets" is a search
        for phrase in phrases:
            at = reading.message.find(phrase)
            if at is not None and not negated_at(reading.message, at):
                found.append(kind)
                break
    return found


def _per_ticket(reading: "Reading") -> list[tuple[int, Changes]] | None:
    """ "61 to medium and 58 to high": each ticket with the changes of its own stretch,
    when every stretch asks for one; else None (the same changes for every ticket)."""
    tokens = reading.message.tokens
    starts = [
        i
        for i, t in enumerate(tokens)
        if t.kind == "number" and t.number in reading.numbers.tickets and not t.quoted
    ]
    if len(starts) < 2:
        return None
    segments: list[tuple[int, Changes]] = []
    # a stretch ends at the last "and" or comma before the next ticket: "bump 12 to urgent |
    # and close 14", "resolve 57, | and 61 is wip now"; the first starts with the message
    cuts = [0] + [_last_break(reading, starts[k], starts[k + 1]) for k in range(len(starts) - 1)]
    for k, start in enumerate(starts):
        end = cuts[k + 1] - 1 if k + 1 < len(starts) else len(tokens) - 1
        own = read_changes(reading.message, reading.mentions, cuts[k], end)
        if not own.any and segments:
            own = read_gapped(reading.message, reading.mentions, cuts[k], end, segments[-1][1])
        if not own.any:
            return None
        number = tokens[start].number
        assert number is not None
        segments.append((number, own))
    return segments


def _last_break(reading: "Reading", after: int, before: int) -> int:
    """Index of the first token after the last break between two tickets (or `after` + 1)."""
    breaks = [
        i
        for i in range(after + 1, before)
        if reading.message.words[i] in (",", ";", "and", "then", "&")
    ]
    return breaks[-1] + 1 if breaks else after + 1


def _arguments(
    reading: "Reading", changes: Changes, number: int, asides: list[str]
) -> tuple[dict[str, Any], Plan | None]:
    arguments: dict[str, Any] = {"ticket_id": number}
    if changes.status is not None:
        arguments["status"] = changes.status.value
    elif changes.not_a_status is not None:
        asides.append(f"not_a_status:{changes.not_a_status.value}")
    priority = _priority(reading, changes, number)
    if isinstance(priority, Plan):
        return arguments, priority
    if priority is not None:
        arguments["priority"] = priority
    person = _assignee(reading, changes.person, asides)
    if isinstance(person, Plan):
        return arguments, person
    if person is not None:
        arguments["assignee"] = person
    if changes.note is not None:
        text = changes.note.text or _referred_text(reading, changes.note.refers, number)
        if not text:
            if len(arguments) == 1:
                return arguments, Plan("clarify", missing="note", subject=f"#{number}")
        else:
            arguments["notes"] = text
    return arguments, None


def _referred_text(reading: "Reading", refers: bool, number: int) -> str:
    """ "yeah just add it to 27 instead" (after creating #81): the note is #81's issue."""
    situation = reading.situation
    if not refers or situation.recent in (None, number):
        return ""
    assert situation.recent is not None
    ticket = situation.seen.get(situation.recent, {})
    said = str(ticket.get("description") or ticket.get("title") or "")
    return f"From #{situation.recent}: {said}" if said else ""


def _priority(reading: "Reading", changes: Changes, number: int) -> str | Plan | None:
    if changes.priority is not None:
        return changes.priority.value
    if not changes.relative:
        return None
    current = reading.situation.seen.get(number, {}).get("priority")
    if current in lx.PRIORITY_ORDER:
        index = lx.PRIORITY_ORDER.index(current) + changes.relative
        return lx.PRIORITY_ORDER[max(0, min(len(lx.PRIORITY_ORDER) - 1, index))]
    return Plan("clarify", missing="priority", subject=f"#{number}")


def _assignee(reading: "Reading", person: Person | None, asides: list[str]) -> str | Plan | None:
    if person is None:
        return None
    if person.me:
        return reading.situation.user_name or "me"
    if person.team is not None:
        asides.append(f"team:{person.team}")
        return None
    if person.unknown is not None:
        names = tuple(p.name for p in reading.people)
        return Plan("clarify", missing="person", subject=person.unknown, options=names)
    if person.mention is None:
        return None
    settled = person.mention.settled
    if settled is not None:
        return settled.name
    if not person.mention.people:
        names = tuple(p.name for p in reading.people)
        return Plan("clarify", missing="person", subject=person.mention.written, options=names)
    options = tuple(p.name for p in person.mention.people)
    return Plan("clarify", missing="person", subject=person.mention.written, options=options)


def _nothing_to_do(changes: Changes, asides: list[str], targets: list[int]) -> Plan:
    """Every asked change is one the tools cannot make: say so plainly."""
    for aside in asides:
        kind, _, subject = aside.partition(":")
        if kind == "team":
            return Plan("unsupported", missing="team", subject=subject)
        if kind == "not_a_status":
            return Plan("unsupported", missing="status", subject=subject)
        if kind == "cannot":
            return Plan("unsupported", missing=subject)
    return Plan("clarify", missing="ticket" if not targets else "change", subject=_refs(targets))
