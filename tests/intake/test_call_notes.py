"""The offline intake's reading of call notes (llm/offline/call_notes.py): the blind set
evals/intake-notes.jsonl (frozen; written by someone who had not read the parser), each
note's caller, organisation, phone, e-mail and problem as the set expects them."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from deskpilot.llm.offline.call_notes import read_call

NOTES = Path(__file__).parents[2] / "evals" / "intake-notes.jsonl"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in NOTES.read_text(encoding="utf-8").splitlines() if line.strip()
]


def _digits(phone: str | None) -> str | None:
    return re.sub(r"\D", "", phone) if phone else None


def problems_of(case: dict[str, Any]) -> list[str]:
    """What the parser got wrong of one note ([] when it read it as the set expects)."""
    expect = case["expect"]
    note = read_call(case["text"])
    if note is None:
        return ["not read as call notes"]
    wrong: list[str] = []
    for field, got in (("caller_name", note.name), ("organization", note.organization)):
        want = expect.get(field)
        if (want or "").casefold() != (got or "").casefold():
            wrong.append(f"{field}: {got!r} != {want!r}")
    if _digits(expect.get("phone")) != _digits(note.phone):
        wrong.append(f"phone: {note.phone!r} != {expect.get('phone')!r}")
    if (expect.get("email") or "").casefold() != (note.email or "").casefold():
        wrong.append(f"email: {note.email!r} != {expect.get('email')!r}")
    words = expect.get("problem_words") or []
    if words and not any(w in note.title.casefold() for w in words):
        wrong.append(f"title {note.title!r} names none of {words}")
    return wrong


def test_the_blind_notes_are_read_as_the_set_expects() -> None:
    failures = {case["id"]: problems_of(case) for case in CASES}
    failures = {k: v for k, v in failures.items() if v}
    passed = len(CASES) - len(failures)
    print(f"\nintake notes read right: {passed}/{len(CASES)}")
    for case_id, wrong in failures.items():
        print(f"  {case_id}: {'; '.join(wrong)}")
    assert passed >= 30, f"{passed}/{len(CASES)} notes read right"


@pytest.mark.parametrize(
    "text",
    [
        "can you close 12 please",
        "create a ticket: printer on 3rd floor jams",
        "who has 27?",
        "the customer called about the VPN, any open tickets re vpn?",
        "raj on x2231 wants to know about 18, any news?",
        "Priya Shah (priya.shah@helpdesk.example.com) can take #12",
    ],
)
def test_requests_to_the_copilot_are_not_call_notes(text: str) -> None:
    assert read_call(text) is None
