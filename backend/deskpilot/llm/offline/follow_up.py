"""Replies that only make sense after the previous exchange.

After a question of the assistant's:
  "yes"                 → the write it asked about ("Close #60?")
  "log it", "ticket it" → the ticket it offered to log ("Log a ticket “…”?")
  "no", "cancel"        → nothing
  "60", "on 77"         → the ticket that was missing ("Which ticket do you mean?")
  "becker", "aisha"     → the person that was missing or unclear
  "printer in hr …"     → what the ticket is about ("What is the ticket about?")
  "urgent"              → the priority that was missing ("Which priority for #12?")
After any answer:
  "and 22", "sorry, 47" → the same look-up for another ticket
  "top 3 only"          → the same search, filtered
The previous message is read again, from scratch, with the answer put in; nothing is kept
between turns but the conversation itself.
"""

import re
from typing import Final, Protocol

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.create_fields import create_arguments
from deskpilot.llm.offline.create_request import find_create
from deskpilot.llm.offline.entities import desk_people, numbers_in, people_in
from deskpilot.llm.offline.plan import Plan, PlannedCall
from deskpilot.llm.offline.search import search_arguments
from deskpilot.llm.offline.situation import Situation
from deskpilot.llm.offline.text import Message

_ANSWER_FILLERS: Final = lx.words(
    "sorry i meant mean oops and also then ok okay so what how about on the number ticket it "
    "is its to for with please actually no wait make"
)
_MAX_ANSWER_WORDS: Final = 8


class Replan(Protocol):
    """intents.plan_reply: the previous message read again (passed in, not imported: it
    calls this module)."""

    def __call__(self, text: str, situation: Situation, *, confirmed: bool = False) -> Plan: ...


def follow_up(message: Message, situation: Situation, plan_reply: Replan) -> Plan | None:
    previous_text = situation.previous_request or ""
    before = situation.without_previous()
    words = tuple(w for w in message.words if w not in (",", ".", "!"))
    if situation.asked:
        if words in lx.CONFIRMATIONS:
            confirmed = plan_reply(previous_text, before, confirmed=True)
            return confirmed if confirmed.calls else None
        if words in lx.phrases("no", "nope", "nah", "no thanks", "cancel", "dont", "never mind"):
            return Plan("cancelled")
        asked = plan_reply(previous_text, before)
        if _offered_create(asked) and _bare_create(message):
            return plan_reply(previous_text, before, confirmed=True)  # "pls ticket it"
        filled = _fill(message, asked, previous_text, before, plan_reply)
        if filled is not None:
            return filled
    return _again(message, previous_text, before, plan_reply)


def _offered_create(asked: Plan) -> bool:
    """The assistant offered to log the message ("Log a ticket “…”?")."""
    return asked.intent == "confirm" and any(c.name == "create_ticket" for c in asked.calls)


def _bare_create(message: Message) -> bool:
    """ "log it", "pls ticket it": a create that says nothing of its own."""
    request = find_create(message)
    return request is not None and create_arguments(message, request) is None


def _fill(
    message: Message, asked: Plan, previous_text: str, before: Situation, plan_reply: Replan
) -> Plan | None:
    if len(message.words) > _MAX_ANSWER_WORDS and asked.missing not in ("details", "note"):
        return None
    numbers = numbers_in(message)
    found = list(numbers.tickets) or list(numbers.loose)
    if asked.intent == "clarify" and asked.missing == "ticket" and len(found) == 1:
        return plan_reply(previous_text, _with_recent(before, found[0]))
    if asked.intent == "clarify" and asked.missing == "person":
        mentions = people_in(message, desk_people(before.agents))
        settled = [m.settled for m in mentions if m.settled is not None]
        if len(settled) == 1 and asked.subject:
            text = _replace(previous_text, asked.subject, settled[0].name)
            return plan_reply(text, before)
    if asked.intent == "unsupported" and asked.missing == "team":
        mentions = people_in(message, desk_people(before.agents))
        settled = [m.settled for m in mentions if m.settled is not None]
        if len(settled) == 1 and asked.subject:
            return plan_reply(_replace(previous_text, asked.subject, settled[0].name), before)
    if asked.intent == "clarify" and asked.missing == "details":
        return plan_reply(f"{previous_text.rstrip(' ?.!')}: {_answer_text(message)}", before)
    if asked.intent == "clarify" and asked.missing == "note":
        return plan_reply(f"{previous_text.rstrip(' ?.!')}: {message.source}", before)
    if asked.intent == "clarify" and asked.missing == "priority":
        level = [w for w in message.words if (w,) in lx.PRIORITY_WORDS]
        if level:
            return plan_reply(f"{previous_text} to {level[0]}", before)
    return None


def _again(
    message: Message, previous_text: str, before: Situation, plan_reply: Replan
) -> Plan | None:
    """ "and 22" after "summarize 21"; "top 3 only" after a search. The previous message is
    read again only when this one could be such a reply (most messages are not)."""
    if len(message.words) > _MAX_ANSWER_WORDS:
        return None
    spoken = [t for t in message.tokens if t.kind == "word" and t.word not in _ANSWER_FILLERS]
    numbers = numbers_in(message)
    found = list(numbers.tickets) or list(numbers.loose)
    only_refs = bool(found) and not spoken
    only_filters = all(
        t.kind == "mark" or t.kind == "number" or t.word in _FILTER_WORDS for t in message.tokens
    )
    if not only_refs and not only_filters:
        return None
    previous = plan_reply(previous_text, before)
    if only_refs:
        if previous.intent == "get":
            return Plan("get", tuple(PlannedCall("get_ticket", {"ticket_id": n}) for n in found))
        if previous.intent in ("update", "confirm") and previous.calls:
            changes = {k: v for k, v in previous.calls[0].arguments.items() if k != "ticket_id"}
            calls = tuple(PlannedCall("update_ticket", {"ticket_id": n, **changes}) for n in found)
            return Plan("confirm", calls)  # the same change on another ticket: asked first
    if only_filters and previous.intent == "search" and previous.calls:
        filters = search_arguments(message)
        if filters.get("limit") or filters.get("status"):
            arguments = {
                **previous.calls[0].arguments,
                **{k: v for k, v in filters.items() if k != "query"},
            }
            return Plan("search", (PlannedCall("search_tickets", arguments),))
    return None


_FILTER_WORDS: Final = lx.words(
    "top first last just only max most recent latest newest open closed resolved in progress "
    "wip the show me give ones results tickets please and of them any status all"
)


def _with_recent(situation: Situation, number: int) -> Situation:
    return Situation(
        attached=(),
        recent=number,
        seen=situation.seen,
        agents=situation.agents,
        user_name=situation.user_name,
    )


def _replace(text: str, written: str, name: str) -> str:
    pattern = re.compile(re.escape(written), re.IGNORECASE)
    return pattern.sub(name, text, count=1) if pattern.search(text) else f"{text} {name}"


def _answer_text(message: Message) -> str:
    text = message.source.strip()
    return re.sub(r"^(?:sure|ok|okay|yes|yeah|yep)\b[\s,:;-]*", "", text, flags=re.IGNORECASE)
