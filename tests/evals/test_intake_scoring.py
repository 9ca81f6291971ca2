"""evals/intake.py: the intake notes file is read as a set of its own (the frozen file as
written) and a turn is scored on the caller and the action."""

from pathlib import Path

from deskpilot.evals.intake import IntakeCase, is_intake_file, load_intake, score_intake
from deskpilot.evals.scoring import Observation, ObservedCall

EVALS = Path(__file__).parents[2] / "evals"


def observed(*calls: tuple[str, dict[str, object]]) -> Observation:
    return Observation(calls=tuple(ObservedCall(n, a) for n, a in calls), reply="", writes=())


def test_the_intake_file_is_told_from_the_tool_sets() -> None:
    assert is_intake_file(EVALS / "intake-notes.jsonl")
    assert not is_intake_file(EVALS / "cases.jsonl")
    cases = load_intake(EVALS / "intake-notes.jsonl")
    assert len(cases) == 36 and all(isinstance(c, IntakeCase) for c in cases)


def case(duplicate: int | None, contact: str | None) -> IntakeCase:
    [first] = load_intake(EVALS / "intake-notes.jsonl")[:1]
    assert isinstance(first, IntakeCase)
    return IntakeCase(
        id="t",
        cls="intake",
        turns=first.turns,
        contact=contact,
        duplicate=duplicate,
        problem_words=("printer",),
    )


def test_a_note_on_the_duplicate_for_the_known_caller_passes() -> None:
    turn = observed(
        ("find_contact", {"query": "+1 555 010 2030"}),
        ("find_similar_tickets", {"title": "Printer jams", "contact_id": 1}),
        ("update_ticket", {"ticket_id": 47, "notes": "again"}),
        ("log_call", {"contact_id": 1, "ticket_id": 47, "summary": "s"}),
    )
    assert score_intake(case(47, "c1"), turn, 1).passed
    assert not score_intake(case(47, "c1"), turn, 2).passed  # another caller
    assert not score_intake(case(None, "c1"), turn, 1).passed  # a new ticket was due


def test_an_unknown_caller_needs_adding_and_a_new_ticket_its_title() -> None:
    turn = observed(
        ("create_contact", {"name": "Hannah Reyes"}),
        ("create_ticket", {"title": "Printer on 2 jams", "description": "d"}),
        ("log_call", {"summary": "s"}),
    )
    assert score_intake(case(None, None), turn, None).passed
    untitled = observed(*((c.name, c.arguments) for c in turn.calls if c.name != "log_call"))
    assert score_intake(case(None, None), untitled, None).problems == ("no log_call",)
