"""The offline assistant: phrasings → exact tool calls, tool results → replies, streaming.

Pure Python: no database, no network. Every proposed call is checked against the JSON
schemas of spec §3 (copied here from the spec, so the test checks the spec, not our code),
plus update_ticket's optional priority and assignee that seams.md allows beyond it.
"""

import json
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from deskpilot.llm.offline import OfflineAssistant
from deskpilot.llm.offline.assistant import text_chunks
from deskpilot.llm.offline.intents import plan_reply
from deskpilot.llm.offline.situation import Situation
from deskpilot.llm.offline.title import session_title
from deskpilot.llm.types import (
    ConversationContext,
    Message,
    ModelEvent,
    ModelTurn,
    TextDelta,
    ToolCall,
    ToolSpec,
    Usage,
)

# ---- spec §3 schemas and a small checker -------------------------------------------

SPEC_TOOLS: dict[str, dict[str, Any]] = {
    "create_ticket": {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "priority": {"type": "string", "enum": ["low", "medium", "high", "urgent"]},
            "category": {"type": "string"},
        },
        "required": ["title", "description"],
    },
    "get_ticket": {
        "type": "object",
        "properties": {"ticket_id": {"type": "integer"}},
        "required": ["ticket_id"],
    },
    "update_ticket": {
        "type": "object",
        "properties": {
            "ticket_id": {"type": "integer"},
            "status": {"type": "string", "enum": ["open", "in_progress", "resolved", "closed"]},
            "notes": {"type": "string"},
            # beyond spec §3 (seams.md, "Tools"): optional, sent to every provider
            "priority": {"type": "string", "enum": ["low", "medium", "high", "urgent"]},
            "assignee": {"type": "string"},
        },
        "required": ["ticket_id"],
    },
    "search_tickets": {
        "type": "object",
        "properties": {
            "query": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["open", "in_progress", "resolved", "closed", "all"],
            },
            "limit": {"type": "integer", "default": 10},
        },
        "required": ["query"],
    },
}
TOOLS = tuple(ToolSpec(name=n, description=n, parameters=p) for n, p in SPEC_TOOLS.items())
_TYPES: dict[str, type] = {"string": str, "integer": int}


def schema_problems(call: ToolCall) -> list[str]:
    """Everything wrong with a call: unknown tool, bad JSON, extra/missing fields, types, enums."""
    schema = SPEC_TOOLS.get(call.name)
    if schema is None:
        return [f"unknown tool {call.name!r}"]
    try:
        args = json.loads(call.arguments)
    except json.JSONDecodeError as exc:
        return [f"invalid JSON: {exc}"]
    if not isinstance(args, dict):
        return ["arguments are not an object"]
    props: dict[str, Any] = schema["properties"]
    problems = [f"extra field {k!r}" for k in args if k not in props]
    problems += [f"missing {k!r}" for k in schema["required"] if k not in args]
    for key, value in args.items():
        spec = props.get(key)
        if spec is None:
            continue
        expected = _TYPES[spec["type"]]
        if not isinstance(value, expected) or isinstance(value, bool):
            problems.append(f"{key}={value!r} is not {spec['type']}")
        elif "enum" in spec and value not in spec["enum"]:
            problems.append(f"{key}={value!r} not in {spec['enum']}")
    return problems


def test_schema_checker_catches_bad_calls() -> None:
    assert schema_problems(ToolCall("c", "get_ticket", '{"ticket_id": 4}')) == []
    assert schema_problems(ToolCall("c", "delete_ticket", "{}")) == ["unknown tool 'delete_ticket'"]
    assert schema_problems(ToolCall("c", "get_ticket", '{"ticket_id": "4"}'))
    assert schema_problems(ToolCall("c", "get_ticket", '{"ticket_id": true}'))
    assert schema_problems(ToolCall("c", "get_ticket", '{"ticket_id": 4, "x": 1}'))
    assert schema_problems(ToolCall("c", "update_ticket", '{"ticket_id": 4, "status": "done"}'))
    assert schema_problems(ToolCall("c", "search_tickets", "{"))


# ---- helpers -----------------------------------------------------------------------


def ticket(number: int, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": f"00000000-0000-0000-0000-{number:012d}",
        "number": number,
        "title": f"Ticket {number}",
        "status": "open",
        "priority": "medium",
        "category": "network",
        "source": "call",
        "assignee": None,
        "description": f"Description of ticket {number}.",
        "notes": [],
    }
    return base | fields


def context(*attached: dict[str, Any]) -> ConversationContext:
    return ConversationContext(user_name="Dana", today="2026-11-26", attached_tickets=attached)


async def run_turn(
    messages: Sequence[Message],
    ctx: ConversationContext | None = None,
    tools: Sequence[ToolSpec] = TOOLS,
) -> tuple[list[TextDelta], ModelTurn]:
    events: list[ModelEvent] = []
    async for event in OfflineAssistant().stream_turn(
        system="You are Deskpilot.", messages=messages, tools=tools, context=ctx or context()
    ):
        events.append(event)
    *deltas, turn = events
    assert isinstance(turn, ModelTurn), "the last event must be the ModelTurn"
    assert all(isinstance(d, TextDelta) for d in deltas), "only TextDeltas before the ModelTurn"
    assert "".join(d.text for d in deltas if isinstance(d, TextDelta)) == turn.text
    return [d for d in deltas if isinstance(d, TextDelta)], turn


async def first_turn(text: str, ctx: ConversationContext | None = None) -> ModelTurn:
    _, turn = await run_turn([Message(role="user", content=text)], ctx)
    for call in turn.tool_calls:
        assert schema_problems(call) == [], (text, call)
    return turn


def calls_of(turn: ModelTurn) -> list[tuple[str, dict[str, Any]]]:
    return [(c.name, json.loads(c.arguments)) for c in turn.tool_calls]


async def answer(
    text: str,
    results: Sequence[dict[str, Any]],
    ctx: ConversationContext | None = None,
) -> str:
    """Run the user's message, feed `results` back as the tool messages, return the reply."""
    ctx = ctx or context()
    asked = await first_turn(text, ctx)
    assert len(asked.tool_calls) == len(results), calls_of(asked)
    messages = [
        Message(role="user", content=text),
        Message(role="assistant", content=asked.text, tool_calls=asked.tool_calls),
    ]
    for call, result in zip(asked.tool_calls, results, strict=True):
        messages.append(
            Message(
                role="tool",
                content=json.dumps(result),
                tool_call_id=call.id,
                tool_name=call.name,
                is_error="error" in result,
            )
        )
    deltas, final = await run_turn(messages, ctx)
    assert final.tool_calls == (), "no tool calls after tool results"
    assert len(deltas) > 1 or len(final.text.split()) <= 4, "the answer is streamed in pieces"
    return final.text


def tool_error(code: str, message: str) -> dict[str, Any]:
    """A tool result that is an error, as the tools return one."""
    return {"error": {"code": code, "message": message}}


def closed_from_open(number: int, **result: Any) -> dict[str, Any]:
    """update_ticket's result for an open ticket it closed."""
    change = {"field": "status", "old": "open", "new": "closed"}
    return {"ticket": ticket(number, status="closed"), "changes": [change], **result}


def assert_list_reply(reply: str, heading: str, *items: str) -> None:
    """The reply is a heading, a blank line, then one line per item."""
    assert reply.splitlines() == [heading, "", *items]


# ---- phrasings → exact tool calls ----------------------------------------------------

G, U = "get_ticket", "update_ticket"

# The phrasings are data, in a file of their own: under each tool's name, a phrasing and
# the arguments of each call it must produce.
PHRASINGS = tomllib.loads(Path(__file__).with_name("offline_phrasings.toml").read_text())
EXACT_CASES: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
    (text, [(tool, arguments) for arguments in calls])
    for tool, phrasings in PHRASINGS.items()
    for text, calls in phrasings.items()
]


@pytest.mark.parametrize(("text", "expected"), EXACT_CASES, ids=[c[0] for c in EXACT_CASES])
async def test_phrasing_produces_exact_tool_calls(
    text: str, expected: list[tuple[str, dict[str, Any]]]
) -> None:
    turn = await first_turn(text)
    assert calls_of(turn) == expected
    assert turn.text == ""
    assert turn.stop_reason == "tool_calls"


CREATE_CASES: list[tuple[str, str, str | None, str | None]] = [
    # text, exact title, exact priority (None: omitted), exact category (None: omitted)
    ("create a ticket for the VPN outage in Berlin, it's urgent", "VPN outage in Berlin", "urgent", "network"),
    ("open a new ticket: Outlook keeps crashing on startup", "Outlook keeps crashing on startup", None, "email"),
    ("log a ticket about the refund for Acme, not urgent", "Refund for Acme", "low", "billing"),
    ("new ticket - printer on floor 3 jammed", "Printer on floor 3 jammed", None, "printing"),
    ("customer called: can't log in, please file a ticket", "Can't log in", None, "access"),
    ("create an urgent ticket: wifi down for everyone in building B", "Wifi down for everyone in building B", "urgent", "network"),
    ("please raise a high priority ticket for the broken laptop screen", "Broken laptop screen", "high", "hardware"),
    ("I need a ticket for a password reset for Jane, whenever", "Password reset for Jane", "low", "access"),
    ("Create a ticket: Excel crashes on startup for the finance team", "Excel crashes on startup for the finance team", None, "software"),
    ("can you log a ticket about a double charged invoice? high priority", "Double charged invoice", "high", "billing"),
    ("URGENT: email down for everyone, create a ticket", "Email down for everyone", "urgent", "email"),
    ("new ticket: monitor flickering on desk 12, low priority", "Monitor flickering on desk 12", "low", "hardware"),
    ("file a ticket about the new hire's onboarding paperwork", "New hire's onboarding paperwork", None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "title", "priority", "category"), CREATE_CASES, ids=[c[0] for c in CREATE_CASES]
)
async def test_create_phrasings(
    text: str, title: str, priority: str | None, category: str | None
) -> None:
    [(name, args)] = calls_of(await first_turn(text))
    assert name == "create_ticket"
    assert args["title"] == title
    assert args.get("priority") == priority
    assert args.get("category") == category
    assert args["description"][0].isupper() and args["description"].endswith(".")
    assert title.lower().rstrip(".") in args["description"].lower()
    assert len(args["title"]) <= 60


async def test_create_keeps_the_users_wording_in_the_description() -> None:
    [(_, args)] = calls_of(await first_turn("customer called: can't log in, please file a ticket"))
    assert args["description"] == "Customer called: can't log in."


async def test_long_create_title_is_cut_at_a_word() -> None:
    text = "create a ticket: " + "the shared drive mapping fails for every user " * 4
    [(_, args)] = calls_of(await first_turn(text))
    assert len(args["title"]) <= 60 and args["title"].endswith("…")
    assert args["description"].startswith("The shared drive mapping fails")


# ---- answers without tools -----------------------------------------------------------

TEXT_CASES: list[tuple[str, str]] = [
    ("hi", "offline assistant"),
    ("hello there", "offline assistant"),
    ("help", "OpenAI-compatible or Anthropic"),
    ("what can you do?", "create a ticket for"),
    ("are you an AI?", "rule-based"),
    ("how do I close a ticket?", "close #47"),
    ("thank you so much", "welcome"),
    ("what's the weather", "not sure"),
    ("my laptop won't turn on", "Log a ticket “Laptop won't turn on”?"),
    ("create a ticket", "What is the ticket about, in a few words?"),
    ("close it", "Which ticket do you mean (its number)?"),
    ("add a note to #5", "What should the note on #5 say?"),
    ("assign #5 to Dana", "I don't know anyone called “Dana”"),
    ("delete ticket 9", "can't delete tickets"),
    ("rename #4 to Printer jam", "can't change a ticket's title"),
    ("summarise the attached tickets", "Add ticket"),
    ("which of them are urgent?", "No tickets are attached"),
    ("", "offline assistant"),
]


@pytest.mark.parametrize(
    ("text", "expected"), TEXT_CASES, ids=[c[0] or "empty" for c in TEXT_CASES]
)
async def test_text_only_answers(text: str, expected: str) -> None:
    turn = await first_turn(text)
    assert turn.tool_calls == ()
    assert turn.stop_reason == "stop"
    assert expected in turn.text


async def test_help_says_it_is_offline_and_how_to_get_a_model() -> None:
    turn = await first_turn("help")
    assert "offline" in turn.text.lower() and "no AI" not in turn.text
    assert "without an AI model" in turn.text
    assert "admin" in turn.text


async def test_no_tool_calls_when_the_tool_is_not_offered() -> None:
    tools = tuple(t for t in TOOLS if t.name != "update_ticket")
    _, turn = await run_turn([Message(role="user", content="close #4")], tools=tools)
    assert turn.tool_calls == ()
    assert "update_ticket" in turn.text and "isn't available" in turn.text


# ---- "it", "them" and the attached tickets --------------------------------------------


async def test_it_means_the_only_attached_ticket() -> None:
    ctx = context(ticket(12))
    assert calls_of(await first_turn("close it", ctx)) == [
        (U, {"ticket_id": 12, "status": "closed"})
    ]
    assert calls_of(await first_turn("add a note: customer called back", ctx)) == [
        (U, {"ticket_id": 12, "notes": "customer called back"})
    ]
    assert calls_of(await first_turn("what's the status of it?", ctx)) == [(G, {"ticket_id": 12})]


async def test_it_is_unclear_with_two_attached_tickets_and_no_history() -> None:
    turn = await first_turn("close it", context(ticket(3), ticket(4)))
    assert turn.tool_calls == () and "Which ticket" in turn.text


async def test_them_means_every_attached_ticket() -> None:
    turn = await first_turn("close them", context(ticket(3), ticket(4)))
    assert calls_of(turn) == [
        (U, {"ticket_id": 3, "status": "closed"}),
        (U, {"ticket_id": 4, "status": "closed"}),
    ]


async def test_it_means_the_ticket_of_the_previous_exchange() -> None:
    history = [
        Message(role="user", content="show me ticket 47"),
        Message(role="assistant", tool_calls=(ToolCall("call_1", G, '{"ticket_id": 47}'),)),
        Message(
            role="tool",
            content=json.dumps({"ticket": ticket(47)}),
            tool_call_id="call_1",
            tool_name=G,
        ),
        Message(role="assistant", content="**#47** — Ticket 47 ..."),
        Message(role="user", content="ok, close it"),
    ]
    _, turn = await run_turn(history, context(ticket(3), ticket(4)))
    assert calls_of(turn) == [(U, {"ticket_id": 47, "status": "closed"})]
    assert turn.tool_calls[0].id == "call_2", "ids stay unique across the conversation"


async def test_server_notices_merged_into_the_message_are_ignored() -> None:
    text = "[Deskpilot notice] Attached #31 (Printer jam), #32 (VPN).\n\nclose #5"
    _, turn = await run_turn([Message(role="user", content=text)])
    assert calls_of(turn) == [(U, {"ticket_id": 5, "status": "closed"})]


@pytest.mark.parametrize(
    ("text", "priorities"),
    [
        ("summarise the attached tickets", None),
        ("what's the status of the attached tickets?", None),
        ("which of them are urgent?", {"urgent"}),
        ("anything high priority in these?", {"high", "urgent"}),
    ],
)
async def test_attached_questions_read_every_attached_ticket(
    text: str, priorities: set[str] | None
) -> None:
    turn = await first_turn(text, context(ticket(3), ticket(4), ticket(9)))
    assert calls_of(turn) == [(G, {"ticket_id": n}) for n in (3, 4, 9)]
    plan = plan_reply(text, Situation(attached=(3, 4, 9)))
    assert plan.intent == "attached"
    assert set(plan.priorities) == (priorities or set())


# ---- final answers from tool results -----------------------------------------------------


async def test_created_reply() -> None:
    created = ticket(61, title="VPN outage in Berlin", priority="urgent", category="network")
    reply = await answer(
        "create a ticket for the VPN outage in Berlin, it's urgent",
        [{"ticket": created, "created": True}],
    )
    assert reply == "Created ticket **#61** — VPN outage in Berlin (urgent, network)."


async def test_found_reply_shows_the_ticket() -> None:
    found = ticket(47, title="Printer jam", status="in_progress", priority="high", assignee="Sam")
    found["notes"] = [{"body": "toner ordered", "created_at": "2026-11-20T10:00:00+00:00"}]
    reply = await answer("what's the status of #47?", [{"ticket": found}])
    assert "**#47**" in reply and "Printer jam" in reply
    assert "Status: in progress" in reply and "Priority: high" in reply
    assert "Assignee: Sam" in reply and "toner ordered" in reply


async def test_not_found_is_relayed_honestly() -> None:
    error = tool_error("not_found", "Ticket 99 not found")
    assert await answer("close #99", [error]) == "I couldn't update #99: ticket 99 not found."
    assert await answer("show #99", [error]) == "I couldn't load #99: ticket 99 not found."


async def test_refusal_is_relayed_honestly() -> None:
    refused = tool_error("refused", "Refused: ticket #12 is not part of this conversation.")
    reply = await answer("close #12", [refused])
    assert reply == "I wasn't allowed to update #12: ticket #12 is not part of this conversation."


async def test_a_rejected_change_is_acknowledged_with_the_agents_reason() -> None:
    def rejected(reason: str | None) -> dict[str, Any]:
        return {
            "error": {
                "code": "not_approved",
                "message": "The agent rejected this change; it was not made.",
                "reason": reason,
            }
        }

    assert await answer("close #12", [rejected("parts on order")]) == (
        "Understood: I left #12 as it was (your reason: parts on order)."
    )
    assert await answer("close #12", [rejected(None)]) == "Understood: I left #12 as it was."
    create = "create a ticket for the VPN outage in Berlin"
    assert await answer(create, [rejected(None)]) == "Understood: I didn't create the ticket."


async def test_update_reply_lists_the_changes() -> None:
    updated = closed_from_open(7, note_added=True)
    reply = await answer("close #7 and note that the customer confirmed the fix", [updated])
    assert reply == "Updated **#7** — Ticket 7: status open → closed, note added."


async def test_update_reply_says_when_nothing_changed() -> None:
    unchanged = {"ticket": ticket(7, status="closed"), "changes": [], "note_added": False}
    reply = await answer("close #7", [unchanged])
    assert reply == "Nothing changed on **#7** — Ticket 7: it was already closed."


async def test_several_updates_with_one_failure() -> None:
    ok = closed_from_open(3)
    missing = tool_error("not_found", "Ticket 4 not found")
    reply = await answer("close #3 and #4", [ok, missing])
    assert reply.splitlines()[2:] == [
        "- Updated **#3** — Ticket 3: status open → closed.",
        "- I couldn't update #4: ticket 4 not found.",
    ]


async def test_search_with_no_hits() -> None:
    reply = await answer(
        "find open tickets about printers", [{"tickets": [], "total": 0, "query": "printers"}]
    )
    assert reply.startswith('I found no open tickets matching "printers".')
    assert "#" not in reply, "no invented ticket numbers"


async def test_search_with_several_hits_is_a_list() -> None:
    hits = [
        ticket(12, title="VPN down", priority="urgent"),
        ticket(7, title="VPN slow", status="resolved"),
    ]
    reply = await answer("search for vpn", [{"tickets": hits, "total": 2, "query": "vpn"}])
    assert_list_reply(
        reply,
        'Found 2 tickets matching "vpn":',
        "- **#12** — VPN down (open, urgent, network)",
        "- **#7** — VPN slow (resolved, medium, network)",
    )


async def test_search_for_a_priority_word_says_search_has_no_priority_filter() -> None:
    hits = [ticket(12, priority="urgent"), ticket(7, priority="low")]
    reply = await answer("list urgent tickets", [{"tickets": hits, "total": 2, "query": "urgent"}])
    assert "can't filter by priority" in reply
    assert "**#12**" in reply and "**#7**" not in reply
    assert "1 other hit" in reply


ATTACHED = (
    ticket(3, title="VPN down", priority="urgent"),
    ticket(
        4, title="Mouse broken", priority="low", status="resolved", description="Left click fails."
    ),
    ticket(9, title="Invoice wrong", priority="high", category="billing"),
)


async def test_attached_summary() -> None:
    results = [{"ticket": t} for t in ATTACHED]
    reply = await answer("summarise the attached tickets", results, context(*ATTACHED))
    assert reply.startswith("Here's a summary of the 3 attached tickets:")
    for number in ("**#3**", "**#4**", "**#9**"):
        assert number in reply
    assert "Left click fails." in reply


async def test_which_are_urgent_filters_the_attached_tickets() -> None:
    results = [{"ticket": t} for t in ATTACHED]
    reply = await answer("which of them are urgent?", results, context(*ATTACHED))
    assert_list_reply(
        reply,
        "1 of the 3 attached tickets is urgent:",
        "- **#3** — VPN down (open, urgent, network)",
    )


async def test_high_priority_means_high_or_urgent() -> None:
    results = [{"ticket": t} for t in ATTACHED]
    reply = await answer("anything high priority in these?", results, context(*ATTACHED))
    assert reply.startswith("2 of the 3 attached tickets are high or urgent priority:")
    assert "**#3**" in reply and "**#9**" in reply and "**#4**" not in reply


async def test_attached_filter_with_no_match_says_so() -> None:
    calm = (ticket(4, priority="low"), ticket(5, priority="medium"))
    reply = await answer("which of them are urgent?", [{"ticket": t} for t in calm], context(*calm))
    assert reply.startswith("None of the 2 attached tickets are urgent.")


async def test_several_lookups_are_listed() -> None:
    results = [{"ticket": ticket(3)}, {"ticket": ticket(4, status="closed")}]
    reply = await answer("status of #3 and #4", results)
    assert_list_reply(
        reply,
        "Here are the tickets:",
        "- **#3** — Ticket 3 (open, medium, network)",
        "- **#4** — Ticket 4 (closed, medium, network)",
    )


async def test_unreadable_result_is_not_invented() -> None:
    reply = await answer("show #5", [{"something": "else"}])
    assert "didn't include its details" in reply and "#" not in reply


# ---- streaming, titles, robustness --------------------------------------------------------


async def test_final_answer_streams_in_several_deltas() -> None:
    deltas, turn = await run_turn([Message(role="user", content="help")])
    assert len(deltas) > 5
    assert "".join(d.text for d in deltas) == turn.text


@pytest.mark.parametrize("text", ["", "one", "two words", " lead and trail ", "a\n\nb  c\td"])
def test_text_chunks_keep_every_character(text: str) -> None:
    assert "".join(text_chunks(text)) == text


async def test_complete_returns_a_short_title() -> None:
    model = OfflineAssistant()
    assert (model.provider, model.model, model.offline) == ("offline", "deskpilot-offline", True)
    prompt = (
        "Agent: create a ticket for the VPN outage in Berlin, it's urgent\nAssistant: Created #61."
    )
    title = await model.complete(system="Write a short title.", prompt=prompt)
    assert title.text == "New ticket: VPN outage in Berlin"
    assert title.usage == Usage(0, 0)  # no model, no tokens
    assert session_title("close #3 and #4") == "Update #3, #4"
    assert session_title("Agent: " + "why " * 50).endswith("…")
    assert len(session_title("Agent: " + "why " * 50)) <= 60


async def test_a_conversation_ending_with_an_assistant_turn_runs_no_tools() -> None:
    history = [Message(role="user", content="close #4"), Message(role="assistant", content="Done.")]
    _, turn = await run_turn(history)
    assert turn.tool_calls == ()


def test_long_adversarial_messages_are_read_quickly() -> None:
    texts = [
        "please " * 1100 + "create a ticket",
        "1 2 3 " * 1300,
        "all " * 2000,
        "close #1 and note that " + "y " * 3900,
        "show " + "tickets about " * 570,
    ]
    started = time.perf_counter()
    for text in texts:
        plan_reply(text[:8000], Situation(attached=(1, 2)))
    assert time.perf_counter() - started < 2.0


def _fuzz_messages() -> list[str]:
    verbs = [
        "close",
        "reopen",
        "show",
        "find",
        "create a ticket for",
        "add a note to",
        "mark",
        "resolve",
    ]
    objects = [
        "#1",
        "it",
        "them",
        "ticket 7 and 8",
        "open printers",
        "3 laptops",
        "#2: done",
        "as closed",
    ]
    tails = ["", " please", ", it's urgent", " and note that it works", "?"]
    return [f"{v} {o}{t}" for v in verbs for o in objects for t in tails]


@pytest.mark.parametrize("ctx", [context(), context(ticket(12)), context(ticket(3), ticket(4))])
async def test_every_proposed_call_matches_the_spec_schemas(ctx: ConversationContext) -> None:
    texts = [c[0] for c in EXACT_CASES] + [c[0] for c in CREATE_CASES] + _fuzz_messages()
    for text in texts:
        _, turn = await run_turn([Message(role="user", content=text)], ctx)
        for call in turn.tool_calls:
            assert schema_problems(call) == [], (text, call)
        assert len({c.id for c in turn.tool_calls}) == len(turn.tool_calls)
