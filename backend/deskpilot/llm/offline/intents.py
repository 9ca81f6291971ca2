"""One user message → a Plan: tool calls, or a text-only answer (a question among them).

`plan_reply(text, situation)` is a pure function. It reads the message once into tokens
(text.py) and entities (entities.py), then decides in this order:

1. an answer to the assistant's own question: "yes" runs the write it asked about, "60"
   or "becker" fills what was missing (follow_up.py)
2. conversation: greetings, thanks, help, how-to questions, "never mind"
3. create      "log a ticket…", "ticket for…", "…, tkt pls" (create_request.py)
4. update      status, priority, assignee, a note (changes.py): written only when the
               intent and the ticket are both clear, else asked first ("Close #60?")
5. search      "find…", "open tix re…", "the printer one" (search.py)
6. get         a ticket named to be read: "pull up 60", "who has 27", "#21", "it"
A negation ("dont close 60 yet") or a question ("is tkt 64 closed") turns a write into an
acknowledgement or a read; nothing is ever written from a question.
"""

from typing import Any, Final

from deskpilot.llm.offline import chat
from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.changes import Changes, read_changes
from deskpilot.llm.offline.chat import attached_plan
from deskpilot.llm.offline.clauses import clauses
from deskpilot.llm.offline.create_fields import (
    create_arguments,
    describes_a_problem,
    infer_category,
)
from deskpilot.llm.offline.create_request import CreateRequest, find_create
from deskpilot.llm.offline.entities import Mention, Numbers, desk_people, numbers_in, people_in
from deskpilot.llm.offline.follow_up import follow_up
from deskpilot.llm.offline.modifiers import (
    is_advice_question,
    is_hedged,
    is_question,
    is_request,
    negated_at,
    opening_words,
    reported,
)
from deskpilot.llm.offline.plan import Intent, Plan, PlannedCall, ToolName
from deskpilot.llm.offline.search import describes_a_ticket, is_search, search_arguments
from deskpilot.llm.offline.situation import Situation
from deskpilot.llm.offline.text import Message, tokenise
from deskpilot.llm.offline.update import plan_update, unsupported_in

_WRITE_WORDS: Final = (
    {p[0] for p in lx.STATUS_VERBS}
    | {p[0] for p in lx.RAISE_VERBS | lx.LOWER_VERBS}
    | lx.ASSIGN_VERBS
    | lx.words("change update touch edit")
)
_INTERJECTIONS: Final = lx.words("wait hmm hm oh ok okay actually sorry hold on no ah")
MAX_CALLS: Final = 20  # one turn never proposes more tool calls than this
_PLURAL_REFS: Final = lx.phrases(
    "them",
    "both",
    "all of them",
    "these",
    "those",
    "these two",
    "those two",
    "the attached",
    "attached tickets",
    "all attached",
    "the attached tickets",
    "both of them",
)
_SINGULAR_REFS: Final = lx.phrases(
    "it",
    "this",
    "that",
    "this one",
    "that one",
    "this ticket",
    "that ticket",
    "the ticket",
    "the same one",
    "here",
)


_DUPLICATE_WORDS: Final = lx.phrases(
    "duplicate", "duplicates", "a dupe", "same as", "similar", "any others like", "already logged"
)
_TITLE_STOP: Final = lx.words("the a an for in on at of to with and from new")


def _calls(name: ToolName, items: list[dict[str, Any]]) -> tuple[PlannedCall, ...]:
    return tuple(PlannedCall(name, arguments) for arguments in items[:MAX_CALLS])


def plan_reply(text: str, situation: Situation = Situation(), *, confirmed: bool = False) -> Plan:
    """The plan for `text`; the same message in the same situation is read once (the
    assistant reads it again to write the answer after the tool results)."""
    key = (text, confirmed, situation.key())
    plan = _PLANS.get(key)
    if plan is None:
        plan = _plan_reply(text, situation, confirmed)
        if len(_PLANS) >= _PLAN_CACHE:
            _PLANS.clear()  # a turn needs its plan twice, minutes apart at most
        _PLANS[key] = plan
    return plan


_PLAN_CACHE: Final = 256
_PLANS: dict[tuple[str, bool, str], Plan] = {}


def _plan_reply(text: str, situation: Situation, confirmed: bool) -> Plan:
    message = tokenise(text)
    if not message.tokens:
        return Plan("help")
    if situation.previous_request is not None and not confirmed:
        answered = follow_up(message, situation, plan_reply)
        if answered is not None:
            return answered
    return Reading(message, situation, confirmed).plan()


class Reading:
    """One message read against what the assistant knows."""

    def __init__(self, message: Message, situation: Situation, confirmed: bool) -> None:
        self.message = message
        self.situation = situation
        self.confirmed = confirmed
        self.numbers: Numbers = numbers_in(message)
        self.people = desk_people(situation.agents)
        self.mentions: list[Mention] = people_in(message, self.people)
        self.question = is_question(message)
        self.words = [t.word for t in message.unquoted]

    # -- the order of decisions ----------------------------------------------------------
    def plan(self) -> Plan:
        plan = chat.conversation(self)
        deciders = (self._unsupported, self._create, self._update, self._declined, self._search)
        for decide in (*deciders, self._get):
            if plan is not None:
                return plan
            plan = decide()
        return plan if plan is not None else self._fallback()

    # -- targets ---------------------------------------------------------------------------
    def targets(self) -> tuple[list[int], bool]:
        """The tickets the message is about and whether they are certain: numbers written as
        tickets; else "it"/"them" (the attached or recent ticket); else loose numbers
        ("40 i think"), which are not certain."""
        if self.numbers.tickets:
            return list(self.numbers.tickets), True
        if self.message.has(_PLURAL_REFS) and self.situation.attached:
            return list(self.situation.attached), True
        described = self._described_attached()
        if described:
            return described, True
        if self.message.has(_SINGULAR_REFS) or self._bare_command():
            implied = self.situation.implied()
            if implied:
                return implied, True
        if self.numbers.loose:
            return list(self.numbers.loose), False
        return [], False

    def _described_attached(self) -> list[int]:
        """ "close the calendar one": the attached ticket whose title has that word."""
        if len(self.situation.attached) < 2 or "one" not in self.words:
            return []
        words = set(self.words) - lx.words("the one a close resolve it this that")
        found = [
            n
            for n in self.situation.attached
            if words & set(str(self.situation.seen.get(n, {}).get("title", "")).lower().split())
        ]
        return found if len(found) == 1 else []

    def _bare_command(self) -> bool:
        """ "close", "add a note: …", "bump to high": a command naming no ticket at all."""
        return not self.numbers.tickets and not self.numbers.loose

    # -- what no tool can do ----------------------------------------------------------------
    def _unsupported(self) -> Plan | None:
        kinds = unsupported_in(self)
        if not kinds or find_create(self.message) is not None:
            return None
        if read_changes(self.message, self.mentions).any and kinds[0] not in (
            "bulk",
            "instructions",
        ):
            return None  # "close 45 and delete it": the close is done, the rest said
        return Plan("unsupported", missing=kinds[0])

    # -- create ------------------------------------------------------------------------------
    def _create(self) -> Plan | None:
        request = find_create(self.message)
        if request is None:
            return self._negated_create()
        if self.question and not is_request(self.message) and self._asks_about_existing():
            return None
        arguments = create_arguments(self.message, request)
        if arguments is None:
            return Plan("clarify", missing="details")
        return Plan("create", _calls("create_ticket", [arguments]))

    def _asks_about_existing(self) -> bool:
        return self.message.has(lx.phrases("is there a ticket", "is there one", "already"))

    def _negated_create(self) -> Plan | None:
        for i, word in enumerate(self.message.words):
            if word in ("ticket", "one", "logged", "log", "create", "open", "file") and negated_at(
                self.message, i
            ):
                if word == "one" and "log" not in self.message.words[max(0, i - 3) : i]:
                    continue
                if word == "open" and "ticket" not in self.message.words[i : i + 4]:
                    continue
                return Plan("declined", subject="ticket")
        if self.message.has(lx.phrases("no ticket", "not needed")) and not self.numbers.tickets:
            return Plan("declined", subject="ticket")
        return None

    # -- update ------------------------------------------------------------------------------
    def _update(self) -> Plan | None:
        changes = read_changes(self.message, self.mentions)
        if not changes.any:
            return None
        if not self.targets()[0] and is_search(self.message, has_ticket_numbers=False):
            return None  # "find tickets … that are closed", "show high priority tickets"
        return plan_update(self, changes)

    def negated(self, changes: Changes) -> bool:
        return any(negated_at(self.message, at) for at in changes.places())

    def unsure(self, changes: Changes) -> bool:
        stated = changes.status is not None and changes.status.stated
        return (
            is_hedged(self.message)
            or (stated and reported(self.message))
            or (changes.note is not None and not changes.note.sure)
        )

    def _declined(self) -> Plan | None:
        """ "wait don't reassign 12", "forget about 41 for now": a write said not to be made,
        or a ticket set aside, in a message that asks nothing else."""
        said = [c for c in clauses(self.message) if not set(c.words) <= _INTERJECTIONS]
        if len(said) != 1 or self._reads():
            return None
        targets = list(self.numbers.tickets or self.numbers.loose)
        words = opening_words(self.message)
        dismissed = any(tuple(words[: len(p)]) == p for p in lx.DISMISSALS)
        negated = any(
            w in _WRITE_WORDS and negated_at(self.message, i) for i, w in enumerate(self.words)
        )
        return (
            Plan("declined", subject=_refs(targets)) if targets and (dismissed or negated) else None
        )

    # -- search and get ------------------------------------------------------------------------
    def _search(self) -> Plan | None:
        has_numbers = bool(self.numbers.tickets)
        if is_search(self.message, has_ticket_numbers=has_numbers) or (
            not has_numbers
            and not self.numbers.loose
            and not (self.message.has(_SINGULAR_REFS) and self.situation.implied())
            and describes_a_ticket(self.message)
        ):
            if self._about_attached():
                return None
            arguments = search_arguments(self.message)
            level = lx.PRIORITY_WORDS.get(tuple(str(arguments["query"]).lower().split()))
            priorities = frozenset({level}) if level is not None else frozenset()
            if level is not None:
                arguments["query"] = level  # "list urgent tickets": the reply picks them out
            return Plan("search", _calls("search_tickets", [arguments]), priorities=priorities)
        return None

    def _about_attached(self) -> bool:
        return bool(self.situation.attached) and (
            self.message.has(_PLURAL_REFS) or "attached" in self.words
        )

    def _duplicates(self) -> Plan | None:
        """ "is this a duplicate of anything?": a search for the attached ticket's words."""
        if self.numbers.tickets or not self.message.has(_DUPLICATE_WORDS):
            return None
        implied = self.situation.implied()
        title = str(self.situation.seen.get(implied[0], {}).get("title", "")) if implied else ""
        if not title:
            return None
        words = [
            w for w in tokenise(title).tokens if w.kind == "word" and w.word not in _TITLE_STOP
        ]
        query = " ".join(title[w.start : w.end] for w in words[:2])
        return Plan("search", _calls("search_tickets", [{"query": query}])) if query else None

    def _get(self) -> Plan | None:
        duplicates = self._duplicates()
        if duplicates is not None:
            return duplicates
        numbered = self.numbers.tickets or self.numbers.loose
        if is_advice_question(self.message) and numbered:
            return Plan("advice", subject=_refs(numbered))
        if self.message.has(lx.VAGUE_ASKS):
            return Plan("clarify", missing="change", subject=_refs(self.targets()[0]))
        numbers = list(self.numbers.tickets) or self._loose_to_read()
        if numbers:
            return Plan("get", _calls("get_ticket", [{"ticket_id": n} for n in numbers]))
        attached = attached_plan(self)
        if attached is not None:
            return attached
        if self.message.has(_SINGULAR_REFS) and self._reads():
            implied = self.situation.implied()
            if implied:
                return Plan("get", _calls("get_ticket", [{"ticket_id": n} for n in implied]))
            return Plan("clarify", missing="ticket")
        return None

    def _loose_to_read(self) -> list[int]:
        """Loose numbers read as tickets: "60?", "whats 45 about", "can i see …, 40 i
        think"; not two bare numbers with nothing else ("12 14": asked which)."""
        loose = list(self.numbers.loose)
        if not loose:
            return []
        spoken = [t for t in self.message.unquoted if t.kind == "word"]
        if len(loose) > 1 and not spoken:
            return []
        if not spoken or self._reads() or self.question or len(loose) == 1:
            return loose if len(loose) == 1 or self._reads() else []
        return []

    def _reads(self) -> bool:
        return (
            self.question
            or any(self.message.find(p) is not None for p in lx.GET_VERBS)
            or bool(set(self.words) & lx.FIELD_WORDS)
        )

    # -- nothing recognised --------------------------------------------------------------------
    def _fallback(self) -> Plan:
        """A problem described without asking anything ("call from room 12 - projector bulb
        blown"): offer to log it, quoting the title; "yes" logs it."""
        looks = infer_category(self.words) is not None and not self.question
        if looks and describes_a_problem(self.words):
            arguments = create_arguments(self.message, CreateRequest(-1, -1))
            if arguments is not None:
                intent: Intent = "create" if self.confirmed else "confirm"
                return Plan(intent, _calls("create_ticket", [arguments]))
        return Plan("unknown", looks_like_issue=looks)


def _refs(numbers: tuple[int, ...] | list[int]) -> str:
    return ", ".join(f"#{n}" for n in numbers)
