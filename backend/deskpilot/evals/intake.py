"""evals/intake-notes.jsonl (issue 15) as a set `deskpilot eval` scores: each note is one
turn, run with writes proposed (the grouped card), scored on the caller and the action.

- caller: a known caller's contact number is what the turn's calls name (find_similar_tickets,
  create_ticket or log_call's contact_id) and no create_contact is made; an unknown caller
  gets a create_contact.
- action: the open ticket the call is about gets the note (update_ticket with notes on it)
  and no new ticket is made; otherwise a new ticket whose title names the problem.
- and the call is logged (log_call).
The file stays as written (frozen): its rows are read into IntakeCases here."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deskpilot.evals.cases import Call, Case, Expect, Turn
from deskpilot.evals.scoring import Observation, TurnScore


@dataclass(frozen=True)
class IntakeCase(Case):
    contact: str | None = None  # the world's key ("c1"), None: a caller to add
    duplicate: int | None = None  # the open ticket the call is about
    problem_words: tuple[str, ...] = ()


def is_intake_file(path: Path) -> bool:
    """A file of intake notes: its rows' expectations name a contact, not a tool."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            expect = json.loads(line).get("expect") or {}
            return "contact" in expect and "tool" not in expect
    return False


def load_intake(path: Path) -> list[Case]:
    cases: list[Case] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw: dict[str, Any] = json.loads(line)
        expect = raw["expect"]
        duplicate = expect.get("is_existing_issue_of")
        call = (
            Call("update_ticket", {"ticket_id": duplicate})
            if duplicate is not None
            else Call("create_ticket", {})
        )
        cls = "intake_" + ("known" if expect.get("contact") else "new") + "_caller"
        cases.append(
            IntakeCase(
                id=str(raw["id"]),
                cls=cls,
                turns=(
                    Turn(text=str(raw["text"]), expect=Expect(call=call, write=True, ask_ok=False)),
                ),
                source=path.name,
                contact=expect.get("contact"),
                duplicate=duplicate,
                problem_words=tuple(expect.get("problem_words") or ()),
            )
        )
    return cases


def score_intake(case: IntakeCase, observation: Observation, number: int | None) -> TurnScore:
    """`number`: the expected caller's contact number (None for a caller to add)."""
    calls = observation.calls
    named = {
        c.arguments.get("contact_id")
        for c in calls
        if c.name in ("find_similar_tickets", "create_ticket", "log_call")
    }
    made = {c.name for c in calls}
    problems: list[str] = []
    if observation.failure:
        problems.append(f"failed: {observation.failure}")
    if number is not None and (number not in named or "create_contact" in made):
        problems.append(f"caller: expected C-{number}, calls named {sorted(map(str, named))}")
    if number is None and "create_contact" not in made:
        problems.append("caller: no create_contact for a caller the desk does not know")
    notes = [c for c in calls if c.name == "update_ticket" and c.arguments.get("notes")]
    creates = [c for c in calls if c.name == "create_ticket"]
    if case.duplicate is not None:
        if [c.arguments.get("ticket_id") for c in notes] != [case.duplicate] or creates:
            problems.append(f"action: expected a note on #{case.duplicate}")
    elif notes or not creates:
        problems.append("action: expected a new ticket")
    elif case.problem_words and not any(
        w in str(creates[0].arguments.get("title", "")).casefold() for w in case.problem_words
    ):
        problems.append(f"title names none of {list(case.problem_words)}")
    if "log_call" not in made:
        problems.append("no log_call")
    first = observation.first_call
    return TurnScore(
        passed=not problems,
        first_tool=first.name if first else None,
        problems=tuple(problems),
    )
