"""Messages that are conversation rather than requests (greetings, thanks, help, how-to,
"never mind"), and questions about the attached tickets."""

from typing import TYPE_CHECKING, Final

from deskpilot.llm.offline import lexicon as lx
from deskpilot.llm.offline.modifiers import negated_at, opening_words
from deskpilot.llm.offline.plan import Plan, PlannedCall

if TYPE_CHECKING:
    from deskpilot.llm.offline.intents import Reading

_FILLERS: Final = lx.words("okay so hey oh ah hmm well actually just then and also please")
_LEAVE_ALONE: Final = lx.words(
    "touch change do leave note assign assigning escalate bump close resolve reopen mark"
)


def _said(reading: "Reading") -> tuple[str, ...]:
    words = [w for w in opening_words(reading.message) if w not in ("?", "!", ".", ",")]
    while words and words[-1] in _FILLERS:
        words.pop()
    return tuple(words)


def conversation(reading: "Reading") -> Plan | None:
    message = reading.message
    said = _said(reading)
    has_tickets = bool(reading.numbers.tickets)
    if not said:
        return Plan("smalltalk") if message.tokens else Plan("help")
    if said in lx.CANCELLATIONS or _starts_cancelling(reading, said):
        return Plan("cancelled")
    if _leave_alone(reading):
        numbers = reading.numbers.tickets or reading.numbers.loose
        return Plan("declined", subject=", ".join(f"#{n}" for n in numbers))
    if has_tickets or reading.numbers.loose:
        return None
    if said[0] in lx.GREETINGS and len(said) <= 4:
        return Plan("greeting")
    if any(said[: len(p)] == p for p in lx.THANKS) and len(said) <= 6:
        return Plan("thanks")
    if said in lx.HELP_WORDS or any(said[: len(p)] == p for p in lx.HELP_WORDS):
        return Plan("help")
    if any(said[: len(p)] == p for p in lx.HOW_TO_STARTS) or (reading.question and "mean" in said):
        return Plan("howto", subject=_howto_subject(said))
    if said in lx.SMALLTALK or (len(said) <= 3 and said[0] in {w for p in lx.SMALLTALK for w in p}):
        return Plan("smalltalk")
    return None


def _starts_cancelling(reading: "Reading", said: tuple[str, ...]) -> bool:
    """ "never mind, wrong chat", "actually scrap that, dont create it", "ignore my last msg"."""
    for phrase in lx.CANCELLATIONS:
        if len(phrase) >= 2 and said[: len(phrase)] == phrase and not reading.numbers.tickets:
            return True
    return said[:2] in (("scrap", "that"), ("forget", "it"), ("ignore", "that"))


def _leave_alone(reading: "Reading") -> bool:
    """ "don't touch 63", "don't change anything else on it": nothing to do."""
    words = reading.message.words
    if "leave" in words and reading.message.has(lx.phrases("as is", "alone", "as it is")):
        return True  # "leave 19 as is"
    return any(
        word in _LEAVE_ALONE
        and negated_at(reading.message, i)
        and (
            reading.numbers.tickets
            or reading.numbers.loose
            or "anything" in words[i : i + 3]
            or "it" in words[i : i + 4]
        )
        for i, word in enumerate(words)
    ) and not any(w in ("just", "tell", "show") for w in words)


def _howto_subject(said: tuple[str, ...]) -> str:
    if "attach" in said:
        return "attach"
    if {"resolved", "closed"} <= set(said) or "difference" in said:
        return "statuses"
    if set(said) & _TICKET_ACTIONS:
        return "tickets"  # "how do I close a ticket?": what to say to me
    return "other"


_TICKET_ACTIONS: Final = lx.words(
    "ticket tickets close resolve reopen assign create log note search find escalate priority"
)


# -- the attached tickets ---------------------------------------------------------------

_TOPIC: Final = lx.phrases(
    "attached",
    "summarize",
    "summarise",
    "summary",
    "compare",
    "which of these",
    "which of them",
    "which one",
    "the status",
    "the latest",
    "anything new",
    "going on",
    "anything i need",
    "duplicate",
    "caller",
    "who is the caller",
    "sorted",
    "more urgent",
    "these two",
    "this one",
    "here",
    "this",
    "it",
)
_PRIORITY_FILTERS: Final[tuple[tuple[frozenset[lx.Priority], frozenset[str]], ...]] = (
    (frozenset({"urgent"}), lx.words("urgent critical")),
    (frozenset({"high", "urgent"}), lx.words("high important")),
    (frozenset({"low"}), lx.words("low minor")),
    (frozenset({"medium"}), lx.words("medium normal")),
)
_STATUS_FILTERS: Final[tuple[tuple[frozenset[lx.Status], lx.Phrase], ...]] = (
    (frozenset({"open", "in_progress"}), ("unresolved",)),
    (frozenset({"open", "in_progress"}), ("still", "open")),
    (frozenset({"in_progress"}), ("in", "progress")),
    (frozenset({"open"}), ("open",)),
    (frozenset({"resolved"}), ("resolved",)),
    (frozenset({"closed"}), ("closed",)),
)


def attached_plan(reading: "Reading") -> Plan | None:
    """A read of every attached ticket for "summarize the attached tickets", "which of
    them are urgent?", "what's going on with this one"; "no tickets attached" if none."""
    message = reading.message
    about = message.has(_TOPIC) or message.has(
        lx.phrases("them", "these", "those", "both", "all of them")
    )
    if not about:
        return None
    attached = reading.situation.attached
    if not attached:
        if "attached" in message.words or message.has(lx.phrases("them", "these", "both")):
            return Plan("no_attached")
        return None
    words = set(reading.words)
    priorities: frozenset[lx.Priority] = next(
        (value for value, hints in _PRIORITY_FILTERS if words & hints), frozenset()
    )
    statuses: frozenset[lx.Status] = next(
        (value for value, phrase in _STATUS_FILTERS if message.find(phrase) is not None),
        frozenset(),
    )
    calls = tuple(PlannedCall("get_ticket", {"ticket_id": n}) for n in attached)
    if len(attached) == 1 and not priorities and not statuses:
        return Plan("get", calls)
    return Plan("attached", calls, priorities=priorities, statuses=statuses)
