"""Issue 18's classes of phrasing, one table each (offline_classes.toml, phrasings written for
these tests), and the conversations around them: a question that quotes the write, "yes"
doing it, an answer filling in what was missing. Pure: no database, no network."""

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from deskpilot.llm.offline import OfflineAssistant
from deskpilot.llm.offline.intents import plan_reply
from deskpilot.llm.offline.situation import Situation
from deskpilot.llm.types import ConversationContext, Message, ModelTurn, ToolCall
from tests.llm.test_offline_assistant import TOOLS, schema_problems

AGENTS = tuple(
    {"name": name, "email": email}
    for name, email in (
        ("Dana Kim", "dana.kim@desk.example"),
        ("Tom Becker", "tom.becker@desk.example"),
        ("Tom Lindqvist", "tom.lindqvist@desk.example"),
        ("Marco Rossi", "marco.rossi@desk.example"),
        ("José Núñez", "jose.nunez@desk.example"),
        ("Aisha Bello", "aisha.bello@desk.example"),
    )
)
DESK = ConversationContext(user_name="Dana Kim", today="2026-12-07", agents=AGENTS)
CLASSES: dict[str, dict[str, dict[str, Any]]] = tomllib.loads(
    Path(__file__).with_name("offline_classes.toml").read_text()
)
CASES = [(cls, text, want) for cls, table in CLASSES.items() for text, want in table.items()]


def respond(messages: list[Message], context: ConversationContext = DESK) -> ModelTurn:
    turn = OfflineAssistant().respond(messages=messages, tools=TOOLS, context=context)
    for call in turn.tool_calls:
        assert schema_problems(call) == [], call
    return turn


def calls(turn: ModelTurn) -> list[tuple[str, dict[str, Any]]]:
    return [(c.name, json.loads(c.arguments)) for c in turn.tool_calls]


def written(turn: ModelTurn) -> set[int]:
    return {args["ticket_id"] for name, args in calls(turn) if name == "update_ticket"}


def test_every_class_of_issue_18_has_phrasings() -> None:
    assert set(CLASSES) == {
        "shorthand",
        "create_without_verb",
        "numbers_not_tickets",
        "negation",
        "field_questions",
        "filters_after_noun",
        "status_in_everyday_words",
        "priority_and_assignment",
        "compound",
        "titles",
        "typos",
        "too_vague_to_log",
        "refusals",
    }
    assert all(len(table) >= 4 for table in CLASSES.values())


@pytest.mark.parametrize(("cls", "text", "want"), CASES, ids=[f"{c}: {t}" for c, t, _ in CASES])
def test_phrasing(cls: str, text: str, want: dict[str, Any]) -> None:
    turn = respond([Message(role="user", content=text)])
    made = calls(turn)
    if want["tool"] in ("none", "ask"):
        assert made == [], made
        if want["tool"] == "ask":
            assert turn.text.rstrip().endswith("?"), turn.text
    else:
        assert made, turn.text
        name, args = made[0]
        assert name == want["tool"]
        for key, value in want.get("args", {}).items():
            assert args.get(key) == value, (key, args)
        for key in want.get("unset", []):
            assert key not in args, (key, args)
        if "title" in want:
            assert any(word in args["title"].lower() for word in want["title"]), args["title"]
    assert not written(turn) & set(want.get("not_written", [])), made
    if "says" in want:
        assert want["says"].lower() in turn.text.lower(), turn.text


# -- write only when sure: the question quotes the write, "yes" does it --------------------


def conversation(*said: str, context: ConversationContext = DESK) -> ModelTurn:
    """Each user message answered in turn (text answers only); the last answer returned."""
    messages: list[Message] = []
    turn = ModelTurn(text="")
    for text in said:
        messages.append(Message(role="user", content=text))
        turn = respond(messages, context)
        messages.append(Message(role="assistant", content=turn.text, tool_calls=turn.tool_calls))
        if turn.tool_calls:
            messages.extend(_results(turn.tool_calls))
            final = respond(messages, context)
            messages.append(Message(role="assistant", content=final.text))
    return turn


def _results(tool_calls: tuple[ToolCall, ...]) -> list[Message]:
    results = []
    for call in tool_calls:
        args = json.loads(call.arguments)
        number = args.get("ticket_id", 90)
        ticket = {
            "number": number,
            "title": f"Ticket {number}",
            "status": "open",
            "priority": "high",
        }
        results.append(
            Message(
                role="tool",
                content=json.dumps({"ticket": ticket}),
                tool_call_id=call.id,
                tool_name=call.name,
            )
        )
    return results


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("i reckon 44 can be closed", "Close #44?"),
        ("caller says it's working again", "Resolve #12?"),
        ("12: swapped the toner, test print fine", "Add a note to #12: “swapped the toner"),
        ("the projector in the board room keeps flickering", "Log a ticket “Projector"),
    ],
)
def test_unsure_writes_are_asked_quoting_the_write_and_yes_does_them(
    text: str, question: str
) -> None:
    attached = ConversationContext(
        user_name="Dana Kim",
        today="2026-12-07",
        agents=AGENTS,
        attached_tickets=({"number": 12, "title": "Printer streaks", "priority": "low"},),
    )
    asked = conversation(text, context=attached)
    assert asked.tool_calls == () and asked.text.startswith(question), asked.text
    done = conversation(text, "yes", context=attached)
    assert done.tool_calls, done.text
    assert conversation(text, "no", context=attached).tool_calls == ()


@pytest.mark.parametrize(
    ("first", "answer", "expected"),
    [
        ("close it", "44", ("update_ticket", {"ticket_id": 44, "status": "closed"})),
        ("add a note saying the user called back", "on 31", ("update_ticket", {"ticket_id": 31})),
        (
            "assign 19 to tom",
            "lindqvist",
            ("update_ticket", {"ticket_id": 19, "assignee": "Tom Lindqvist"}),
        ),
        (
            "assign 22 to zoe",
            "sorry, i meant aisha",
            ("update_ticket", {"ticket_id": 22, "assignee": "Aisha Bello"}),
        ),
        (
            "give 31 to the printing team",
            "ok then marco",
            ("update_ticket", {"ticket_id": 31, "assignee": "Marco Rossi"}),
        ),
        ("log a ticket", "scanner in hr jams on every page", ("create_ticket", {})),
        ("escalate 31", "urgent", ("update_ticket", {"ticket_id": 31, "priority": "urgent"})),
    ],
)
def test_an_answer_fills_in_what_was_missing(
    first: str, answer: str, expected: tuple[str, dict[str, Any]]
) -> None:
    asked = conversation(first)
    assert asked.tool_calls == () and "?" in asked.text, asked.text
    [(name, args), *_] = calls(conversation(first, answer))
    assert name == expected[0]
    assert args.items() >= expected[1].items()


@pytest.mark.parametrize("answer", ["pls ticket it", "log it", "ticket that"])
def test_a_bare_create_answers_the_offer_to_log(answer: str) -> None:
    offered = "the badge reader at the side door keeps beeping"
    assert conversation(offered).text.startswith("Log a ticket")
    [(name, args)] = calls(conversation(offered, answer))
    assert name == "create_ticket" and "badge" in args["title"].lower()


def test_it_means_the_ticket_just_read_and_a_relative_change_uses_what_was_read() -> None:
    [(name, args)] = calls(conversation("what's the prio on 31", "bump it"))
    assert (name, args) == ("update_ticket", {"ticket_id": 31, "priority": "urgent"})


def test_and_another_number_repeats_a_look_up_but_asks_before_repeating_a_write() -> None:
    assert calls(conversation("summarize 21", "and 22")) == [("get_ticket", {"ticket_id": 22})]
    again = conversation("close 21", "and 22")
    assert again.tool_calls == () and again.text.startswith("Close #22?")


def test_a_team_with_another_change_does_the_change_and_says_plainly_about_the_team() -> None:
    plan = plan_reply("give 22 to the network team and make it high", Situation(agents=AGENTS))
    assert plan.intent == "update" and "assignee" not in plan.calls[0].arguments
    reply = conversation("give 22 to the network team and make it high")
    assert reply.tool_calls
    messages = [
        Message(role="user", content="give 22 to the network team and make it high"),
        Message(role="assistant", tool_calls=reply.tool_calls),
        *_results(reply.tool_calls),
    ]
    assert "can't assign to a team" in respond(messages).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "bump 31 to urgent and close 44",
            [
                ("update_ticket", {"ticket_id": 31, "priority": "urgent"}),
                ("update_ticket", {"ticket_id": 44, "status": "closed"}),
            ],
        ),
        (
            "give 31 to marco and 44 to aisha",
            [
                ("update_ticket", {"ticket_id": 31, "assignee": "Marco Rossi"}),
                ("update_ticket", {"ticket_id": 44, "assignee": "Aisha Bello"}),
            ],
        ),
        (
            "resolve 31, and 44 is wip now",
            [
                ("update_ticket", {"ticket_id": 31, "status": "resolved"}),
                ("update_ticket", {"ticket_id": 44, "status": "in_progress"}),
            ],
        ),
        (
            "close 31 and 44",
            [
                ("update_ticket", {"ticket_id": 31, "status": "closed"}),
                ("update_ticket", {"ticket_id": 44, "status": "closed"}),
            ],
        ),
    ],
)
def test_two_tickets_each_get_the_change_of_their_own_stretch(
    text: str, expected: list[tuple[str, dict[str, Any]]]
) -> None:
    assert calls(respond([Message(role="user", content=text)])) == expected
