"""The eval scorer (evals/README.md's rules): what passes, what fails, what is an unwanted
write. Pure: no database, no model."""

from typing import Any

import pytest

from deskpilot.evals.cases import Expect, parse_case
from deskpilot.evals.scoring import (
    Observation,
    ObservedCall,
    Write,
    final_state_problems,
    resolve_agent,
    score_turn,
)
from deskpilot.evals.world import Agent

AGENTS = (
    Agent("Priya Shah", "priya.shah@desk.example"),
    Agent("José Núñez", "jose.nunez@desk.example"),
    Agent("Tom Becker", "tom.becker@desk.example"),
    Agent("Tom Lindqvist", "tom.lindqvist@desk.example"),
)


def expect(**raw: Any) -> Expect:
    raw.setdefault("args", {})
    raw.setdefault("write", raw.get("tool") in ("create_ticket", "update_ticket"))
    raw.setdefault("ask_ok", False)
    return parse_case({"id": "t", "class": "c", "text": "x", "expect": raw}).turns[0].expect


def seen(
    *calls: tuple[str, dict[str, Any]], reply: str = "", writes: tuple[Write, ...] = ()
) -> Observation:
    return Observation(
        calls=tuple(ObservedCall(name, args) for name, args in calls), reply=reply, writes=writes
    )


def score(e: Expect, o: Observation, created: int | None = None) -> tuple[bool, list[str]]:
    result = score_turn(e, o, created=created, agents=AGENTS)
    return result.passed, list(result.problems)


def test_the_right_call_passes_and_extra_arguments_are_free() -> None:
    e = expect(tool="update_ticket", args={"ticket_id": 60, "status": "resolved"})
    call = ("update_ticket", {"ticket_id": 60, "status": "resolved", "notes": "dns"})
    assert score(e, seen(call, writes=(Write(60, "status"),))) == (True, [])


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (("update_ticket", {"ticket_id": 6, "status": "resolved"}), "ticket_id"),
        (("update_ticket", {"ticket_id": "60", "status": "resolved"}), "ticket_id"),
        (("update_ticket", {"ticket_id": 60, "status": "closed"}), "status"),
        (("update_ticket", {"ticket_id": 60}), "status"),
        (("get_ticket", {"ticket_id": 60}), "first call"),
    ],
)
def test_a_wrong_tool_or_argument_fails(call: tuple[str, dict[str, Any]], problem: str) -> None:
    e = expect(tool="update_ticket", args={"ticket_id": 60, "status": "resolved"})
    passed, problems = score(e, seen(call))
    assert not passed and any(p.startswith(problem) for p in problems), problems


def test_only_the_first_of_the_four_tools_counts() -> None:
    e = expect(tool="get_ticket", args={"ticket_id": 5})
    lookup_first = seen(("find_contact", {"q": "x"}), ("get_ticket", {"ticket_id": 5}))
    assert score(e, lookup_first)[0]
    wrong_first = seen(("search_tickets", {"query": "x"}), ("get_ticket", {"ticket_id": 5}))
    assert not score(e, wrong_first)[0]


def test_query_and_notes_match_any_alternative_as_a_folded_substring() -> None:
    e = expect(tool="search_tickets", args={"query": "wifi|wi-fi|4b"})
    assert score(e, seen(("search_tickets", {"query": "Guest Wi-Fi in 4B"})))[0]
    assert not score(e, seen(("search_tickets", {"query": "wireless"})))[0]
    notes = expect(tool="update_ticket", args={"ticket_id": 3, "notes": "freez"})
    assert score(notes, seen(("update_ticket", {"ticket_id": 3, "notes": "It FREEZES"})))[0]


def test_category_is_case_insensitive_and_limit_exact() -> None:
    e = expect(tool="create_ticket", args={"category": "printing"}, title_must_mention=["printer"])
    ok = ("create_ticket", {"title": "Label printer offline", "category": "Printing"})
    assert score(e, seen(ok))[0]
    assert not score(e, seen(("create_ticket", {"title": "Label printer offline"})))[0]
    limit = expect(tool="search_tickets", args={"limit": 5})
    assert not score(limit, seen(("search_tickets", {"query": "", "limit": 50})))[0]


@pytest.mark.parametrize(
    ("sent", "agent"),
    [
        ("José Núñez", "José Núñez"),
        ("jose", "José Núñez"),
        ("NUNEZ", "José Núñez"),
        ("jose.nunez@desk.example", "José Núñez"),
        ("becker", "Tom Becker"),
        ("tom", None),  # two Toms
        ("sarah", None),
        ("", None),
    ],
)
def test_an_assignee_matches_when_it_resolves_to_that_agent(sent: str, agent: str | None) -> None:
    found = resolve_agent(sent, AGENTS)
    assert (found.name if found else None) == agent


def test_an_ambiguous_assignee_does_not_match() -> None:
    e = expect(tool="update_ticket", args={"ticket_id": 45, "assignee": "Tom Becker"})
    assert score(e, seen(("update_ticket", {"ticket_id": 45, "assignee": "Tom Becker"})))[0]
    assert not score(e, seen(("update_ticket", {"ticket_id": 45, "assignee": "tom"})))[0]


def test_created_means_the_ticket_an_earlier_turn_created() -> None:
    e = expect(tool="update_ticket", args={"ticket_id": "$created", "priority": "urgent"})
    call = ("update_ticket", {"ticket_id": 81, "priority": "urgent"})
    assert score(e, seen(call), created=81)[0]
    assert not score(e, seen(call), created=82)[0]
    assert not score(e, seen(call), created=None)[0]


def test_a_create_title_must_name_the_problem() -> None:
    e = expect(tool="create_ticket", title_must_mention=["monitor", "screen"])
    assert score(e, seen(("create_ticket", {"title": "Second monitor for reception"})))[0]
    passed, problems = score(e, seen(("create_ticket", {"title": "Me?"})))
    assert not passed and "mentions none" in problems[0]


def test_asking_passes_only_where_asking_is_allowed() -> None:
    allowed = expect(tool="update_ticket", args={"ticket_id": 47, "notes": "roller"}, ask_ok=True)
    assert score(allowed, seen(reply="Add a note to #47: “roller replaced”?"))[0]
    assert not score(allowed, seen(reply="Done."))[0], "no call and no question"
    examples = 'I\'m not sure what you mean. Try "what\'s the status of #47?" or "help".'
    assert not score(allowed, seen(reply=examples))[0], "a question mark in an example"
    assert score(allowed, seen(reply="Close #45? I can't delete tickets."))[0]
    strict = expect(tool="update_ticket", args={"ticket_id": 47, "notes": "roller"})
    assert not score(strict, seen(reply="Add a note to #47?"))[0]


def test_no_call_expected_fails_on_any_call_but_allows_a_question() -> None:
    e = expect(tool=None)
    assert score(e, seen(reply="Which ticket do you mean?"))[0]
    assert score(e, seen(reply="Hello!"))[0]
    assert not score(e, seen(("get_ticket", {"ticket_id": 3})))[0]


def test_also_ok_accepts_another_first_call_and_its_write() -> None:
    e = expect(
        tool=None,
        ask_ok=True,
        also_ok=[{"tool": "update_ticket", "args": {"ticket_id": "$created", "status": "closed"}}],
    )
    call = ("update_ticket", {"ticket_id": 81, "status": "closed"})
    result = score_turn(e, seen(call, writes=(Write(81, "status"),)), created=81, agents=AGENTS)
    assert result.passed and result.unwanted_writes == ()


def test_a_write_nobody_asked_for_is_unwanted() -> None:
    e = expect(tool=None)
    result = score_turn(e, seen(("create_ticket", {"title": "x"}), writes=(Write(81, "created"),)))
    assert not result.passed
    assert result.unwanted_writes == ("#81 created: no write was asked for",)


def test_a_write_to_a_number_that_is_not_a_ticket_is_unwanted_even_when_writing_is_right() -> None:
    e = expect(
        tool="update_ticket", args={"ticket_id": 60, "status": "resolved"}, must_not_touch=[3]
    )
    writes = (Write(60, "status"), Write(3, "status"))
    call = ("update_ticket", {"ticket_id": 60, "status": "resolved"})
    result = score_turn(e, seen(call, writes=writes))
    assert not result.passed
    assert result.unwanted_writes == ("#3 status: a ticket this turn must not touch",)


def test_a_proposed_write_counts_like_a_made_one() -> None:
    e = expect(tool=None, must_not_touch=[12])
    result = score_turn(e, seen(writes=(Write(12, "proposed update_ticket"),)))
    assert not result.passed and len(result.unwanted_writes) == 1


def test_must_not_set_fails_an_update_that_sets_it() -> None:
    e = expect(tool=None, ask_ok=True, must_not_set=["assignee"])
    assert not score(e, seen(("update_ticket", {"ticket_id": 66, "assignee": "network team"})))[0]


def test_a_failed_turn_fails() -> None:
    e = expect(tool=None)
    o = Observation(calls=(), reply="", writes=(), failure="The AI model could not answer")
    assert not score(e, o)[0]


def test_final_state() -> None:
    expected = {15: {"status": "resolved"}, 3: {"assignee": "Priya Shah"}}
    assert (
        final_state_problems(expected, {15: {"status": "resolved"}, 3: {"assignee": "Priya Shah"}})
        == []
    )
    problems = final_state_problems(expected, {15: {"status": "open"}})
    assert problems == [
        "final state: #15 status is 'open', not 'resolved'",
        "final state: #3 is missing",
    ]
