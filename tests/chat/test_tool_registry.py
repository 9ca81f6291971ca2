"""The tool registry says, per tool, what used to be spread over the code: the label the
page shows while a call runs, whether the tool only reads, whether its tickets are only
found (the reply then refers to them only when it names them), and how a write proposes."""

import json

import pytest

from deskpilot.llm.types import ToolCall
from deskpilot.services.chat.tools import TOOLS, finds, tool_label


def label(name: str, arguments: object) -> str:
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return tool_label(ToolCall(id="call_1", name=name, arguments=raw))


@pytest.mark.parametrize(
    ("name", "arguments", "expected"),
    [
        ("search_tickets", {"query": "printer jam"}, "Searching tickets for “printer jam”…"),
        ("search_tickets", {"query": "x" * 80}, f"Searching tickets for “{'x' * 60}”…"),
        ("get_ticket", {"ticket_id": 47}, "Reading ticket #47…"),
        ("update_ticket", {"ticket_id": 3, "status": "closed"}, "Updating ticket #3…"),
        ("create_ticket", {"title": "VPN down", "description": "d"}, "Creating ticket “VPN down”…"),
        ("get_ticket", "not json", "Reading a ticket…"),
        ("get_ticket", [1, 2], "Reading a ticket…"),
        ("create_ticket", "??", "Creating a ticket…"),
        ("create_ticket", '{"title": "VPN\ndown",}', "Creating ticket “VPN down”…"),
        ("find_contact", {"query": "+1 555 010 2030"}, "Looking up caller “+1 555 010 2030”…"),
        ("find_contact", {}, "Looking up a caller…"),
        ("create_contact", {"name": "Maria Lopez"}, "Adding caller “Maria Lopez”…"),
        (
            "find_similar_tickets",
            {"title": "Printer jams"},
            "Checking for tickets like “Printer jams”…",
        ),
        ("log_call", {"contact_id": 12, "summary": "s"}, "Logging the call with C-12…"),
        ("log_call", {"summary": "s"}, "Logging the call…"),
        ("delete_everything", {}, "Running delete_everything…"),
        ("y" * 50, {}, f"Running {'y' * 40}…"),
    ],
)
def test_each_tool_labels_its_own_calls(name: str, arguments: object, expected: str) -> None:
    assert label(name, arguments) == expected


def test_only_the_reading_tools_are_read_only() -> None:
    assert {name for name, tool in TOOLS.items() if tool.read_only} == {
        "get_ticket",
        "search_tickets",
        "find_contact",
        "find_similar_tickets",
    }


def test_only_the_look_ups_find_tickets_and_search_reads_on_the_turns_connection() -> None:
    assert [name for name in TOOLS if finds(name)] == [
        "search_tickets",
        "find_contact",
        "find_similar_tickets",
    ]
    assert [name for name, tool in TOOLS.items() if tool.on_turn_connection] == ["search_tickets"]
    assert not finds("no_such_tool")


def test_every_write_tool_can_propose_and_no_reading_tool_does() -> None:
    """DESKPILOT_CHAT_APPROVAL covers every write tool, those added later included: a tool
    with a preview (chat/proposals), which the executor runs instead of the handler, is a
    write tool, and one without is read-only."""
    assert {name for name, tool in TOOLS.items() if tool.preview is not None} == {
        "create_ticket",
        "update_ticket",
        "create_contact",
        "log_call",
    }
