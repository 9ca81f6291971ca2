"""Which numbers a sentence names as tickets (backend/deskpilot/services/ticket_refs.py): the rule
behind the chat's write scope. Sentences both ways, most written as support staff write."""

import tomllib
from pathlib import Path

import pytest

from deskpilot.services.tickets.refs import (
    MAX_TICKET_NUMBER,
    answered_ticket_numbers,
    explicit_ticket_numbers,
    ticket_numbers_in,
)

# The sentences are data, in a file of their own.
SENTENCES = tomllib.loads(Path(__file__).with_name("ticket_refs_sentences.toml").read_text())
NAMES_A_TICKET: list[tuple[str, list[int]]] = list(SENTENCES["names_a_ticket"].items())
NAMES_NO_TICKET: list[str] = SENTENCES["names_no_ticket"]


@pytest.mark.parametrize(("sentence", "numbers"), NAMES_A_TICKET)
def test_a_sentence_that_names_tickets(sentence: str, numbers: list[int]) -> None:
    assert ticket_numbers_in(sentence) == numbers


@pytest.mark.parametrize("sentence", NAMES_NO_TICKET)
def test_a_sentence_that_names_no_ticket(sentence: str) -> None:
    assert ticket_numbers_in(sentence) == []


def test_the_table_has_sixty_sentences_both_ways() -> None:
    assert len(NAMES_A_TICKET) >= 30 and len(NAMES_NO_TICKET) >= 30
    assert len(NAMES_A_TICKET) + len(NAMES_NO_TICKET) >= 60


@pytest.mark.parametrize(
    ("sentence", "explicit"),
    [
        ("close 47", []),
        ("close #47", [47]),
        ("close ticket 47 and 48", [47, 48]),
        ("set 8 to resolved and look at #9", [9]),
        ("add a note to 5", []),
    ],
)
def test_explicit_forms_are_told_apart_from_verb_objects(
    sentence: str, explicit: list[int]
) -> None:
    assert explicit_ticket_numbers(sentence) == explicit


@pytest.mark.parametrize(
    "sentence",
    [
        f"close {MAX_TICKET_NUMBER + 1}",
        f"ticket #{10**30}",
        "#0",
        "ticket " + "9" * 5000,  # int() of this many digits would raise
    ],
)
def test_numbers_a_ticket_cannot_have_name_no_ticket(sentence: str) -> None:
    assert ticket_numbers_in(sentence) == []


def test_the_largest_ticket_number_can_be_named() -> None:
    assert ticket_numbers_in(f"close #{MAX_TICKET_NUMBER}") == [MAX_TICKET_NUMBER]


@pytest.mark.parametrize(
    ("question", "answer", "named"),
    [
        ("Close #60?", "yes", [60]),
        ("Close #60 and add a note to #61: “done”?", "ok do it", [60, 61]),
        ("Which ticket do you mean (its number)?", "60", [60]),
        ("Which ticket do you mean (its number)?", "sorry, 47", [47]),
        ("Which ticket do you mean (its number)?", "on 77", [77]),
        # what an answer does not name
        ("Closed #60.", "yes", []),  # no question was asked
        ("Close #60?", "no", []),
        ("Close #60?", "yes but first tell me what 61 is about", []),
        ("Which ticket do you mean (its number)?", "5 users", []),
        ("Which ticket?", "it was about 40 people on the 3rd floor and more", []),
    ],
)
def test_an_answer_to_the_assistants_question_names_tickets(
    question: str, answer: str, named: list[int]
) -> None:
    assert answered_ticket_numbers(question, answer) == named
