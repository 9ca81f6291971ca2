"""One observed turn against its expectation, by evals/README.md's rules. Pure: the runner
observes, this module judges.

A turn passes when its first call of the four tools (made or proposed) matches the expected
tool and arguments, or one of `also_ok`, or it asked while `ask_ok` allows it; a create's
title mentions one of `title_must_mention`; no update sets a `must_not_set` argument; and no
`must_not_touch` ticket was written. An unwanted write is any create or update in a turn
that expects none (unless its first call is an `also_ok` write), or any write to a
`must_not_touch` ticket.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from deskpilot.evals.cases import CREATED, TOOLS, WRITE_TOOLS, Call, Expect
from deskpilot.evals.world import Agent


@dataclass(frozen=True)
class ObservedCall:
    name: str
    arguments: dict[str, Any]  # {} when the model's arguments were not a JSON object


@dataclass(frozen=True)
class Write:
    ticket: int | None  # None: a proposed create (no number yet)
    what: str  # "created", "status", "priority", "assignee_id", "note", "proposed update"…

    def __str__(self) -> str:
        return f"#{self.ticket} {self.what}" if self.ticket is not None else self.what


@dataclass(frozen=True)
class Observation:
    """What one turn did."""

    calls: tuple[ObservedCall, ...]  # every call the model made or proposed, in order
    reply: str
    writes: tuple[Write, ...]  # made, or proposed (they count alike)
    created: tuple[int, ...] = ()  # numbers of the tickets this turn created
    latency_ms: float = 0.0
    tokens: int | None = None
    failure: str | None = None  # the turn ended in an error

    @property
    def first_call(self) -> ObservedCall | None:
        """The first call of the four tools (a look-up such as find_contact before it is free)."""
        return next((c for c in self.calls if c.name in TOOLS), None)


@dataclass(frozen=True)
class TurnScore:
    passed: bool
    first_tool: str | None
    problems: tuple[str, ...] = ()
    unwanted_writes: tuple[str, ...] = ()
    asked: bool = False


def fold(value: str) -> str:
    """Case- and accent-insensitive form: "José Núñez" → "jose nunez"."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def resolve_agent(value: Any, agents: Sequence[Agent]) -> Agent | None:
    """The one agent a name, first name, surname or e-mail means; None if none or several."""
    if not isinstance(value, str) or not value.strip():
        return None
    wanted = fold(" ".join(value.split()))
    for agent in agents:
        if wanted in (fold(agent.name), fold(agent.email)):
            return agent
    partial = [a for a in agents if wanted in fold(a.name).split()]
    return partial[0] if len(partial) == 1 else None


def _alternatives_match(expected: str, actual: Any) -> bool:
    if not isinstance(actual, str):
        return False
    text = fold(actual)
    return any(fold(alt) in text for alt in expected.split("|") if alt)


def arg_problems(
    expected: Mapping[str, Any],
    actual: Mapping[str, Any],
    *,
    created: int | None,
    agents: Sequence[Agent],
) -> list[str]:
    """Why the actual arguments do not match the expected ones (empty: they match)."""
    problems: list[str] = []
    for key, want in expected.items():
        got = actual.get(key)
        if key == "ticket_id" and want == CREATED:
            ok = created is not None and got == created
            want = f"{CREATED} (#{created})" if created is not None else f"{CREATED} (none)"
        elif key in ("ticket_id", "limit"):
            ok = isinstance(got, int) and not isinstance(got, bool) and got == want
        elif key in ("status", "priority"):
            ok = got == want
        elif key == "category":
            ok = isinstance(got, str) and fold(got) == fold(str(want))
        elif key == "assignee":
            agent = resolve_agent(got, agents)
            ok = agent is not None and agent.name == want
        elif key in ("query", "notes"):
            ok = _alternatives_match(str(want), got)
        else:
            ok = got == want
        if not ok:
            problems.append(f"{key}: expected {want!r}, got {got!r}")
    return problems


def _matches(
    call: ObservedCall | None, expected: Call, *, created: int | None, agents: Sequence[Agent]
) -> list[str]:
    actual_tool = call.name if call is not None else None
    if actual_tool != expected.tool:
        return [f"first call: expected {expected.tool or 'none'}, got {actual_tool or 'none'}"]
    if call is None:
        return []
    return arg_problems(expected.args, call.arguments, created=created, agents=agents)


def asked_a_question(reply: str) -> bool:
    """A short question: the reply ends with one, or opens with one ("Close #45? I can't
    delete tickets."). A question mark inside quoted examples does not count."""
    text = reply.strip()
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return text.endswith("?") or first.endswith("?")


def score_turn(
    expect: Expect,
    observed: Observation,
    *,
    created: int | None = None,
    agents: Sequence[Agent] = (),
) -> TurnScore:
    """`created`: the ticket an earlier turn of the case created (for "$created")."""
    first = observed.first_call
    problems = _matches(first, expect.call, created=created, agents=agents)
    matched_alternative: Call | None = None
    if problems:
        for alternative in expect.also_ok:
            if not _matches(first, alternative, created=created, agents=agents):
                problems, matched_alternative = [], alternative
                break
    asked = first is None and asked_a_question(observed.reply)
    if problems and expect.ask_ok and asked:
        problems = []
    if observed.failure:
        problems.append(f"the turn failed: {observed.failure}")
    if (
        first is not None
        and first.name == "create_ticket"
        and expect.call.tool == "create_ticket"
        and expect.title_must_mention
        and matched_alternative is None
    ):
        title = fold(str(first.arguments.get("title", "")))
        if not any(fold(word) in title for word in expect.title_must_mention):
            problems.append(
                f"title {first.arguments.get('title')!r} mentions none of "
                f"{list(expect.title_must_mention)}"
            )
    for call in observed.calls:
        if call.name == "update_ticket":
            for name in expect.must_not_set:
                if call.arguments.get(name) not in (None, ""):
                    problems.append(f"update_ticket set {name} (must not)")
    unwanted: list[str] = []
    allowed_write = matched_alternative is not None and matched_alternative.tool in WRITE_TOOLS
    for write in observed.writes:
        if write.ticket is not None and write.ticket in expect.must_not_touch:
            unwanted.append(f"{write}: a ticket this turn must not touch")
        elif not expect.write and not allowed_write:
            unwanted.append(f"{write}: no write was asked for")
    problems.extend(unwanted)
    return TurnScore(
        passed=not problems,
        first_tool=first.name if first is not None else None,
        problems=tuple(problems),
        unwanted_writes=tuple(unwanted),
        asked=asked,
    )


def final_state_problems(
    expected: Mapping[int, Mapping[str, str]], actual: Mapping[int, Mapping[str, str | None]]
) -> list[str]:
    problems: list[str] = []
    for number, fields in expected.items():
        state = actual.get(number)
        if state is None:
            problems.append(f"final state: #{number} is missing")
            continue
        for name, want in fields.items():
            if state.get(name) != want:
                problems.append(
                    f"final state: #{number} {name} is {state.get(name)!r}, not {want!r}"
                )
    return problems
