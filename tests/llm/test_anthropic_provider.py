"""What is particular to Anthropic's Messages API wire protocol (what both providers do
alike is in test_providers_common.py)."""

import pytest

from deskpilot.llm.types import Message, ProviderError, ToolCall
from tests.fakes import status, text
from tests.llm.conftest import Provider, RunTurn, one_request, tool_history


async def test_system_prompt_tools_and_headers_in_the_messages_api_format(
    anthropic: Provider, run_turn: RunTurn
) -> None:
    body = await one_request(anthropic, run_turn)

    assert body["system"] == "You are Deskpilot, a helpdesk copilot."
    assert body["messages"] == [{"role": "user", "content": "Is the printer fixed?"}]
    assert body["tools"][0] == {
        "name": "search_tickets",
        "description": "Search for tickets by keyword",
        "input_schema": {
            "type": "object",
            "properties": {"query": {"type": "string"}},
            "required": ["query"],
        },
    }
    assert anthropic.fake.headers[0]["authorization"] == "Bearer test"  # SDK 2.x: not x-api-key
    assert "anthropic-version" in anthropic.fake.headers[0]


async def test_history_merges_tool_results_into_one_user_message(
    anthropic: Provider, run_turn: RunTurn
) -> None:
    anthropic.fake.script(text("Ticket #47 is the VPN outage."))
    history = tool_history(
        anthropic,
        said="Checking.",
        get_ticket_arguments='{"ticket_id": 99',  # cut off: not valid JSON
        error="arguments are not valid JSON",
    )

    _, turn = await run_turn(anthropic.model(), messages=history)

    assert turn.text == "Ticket #47 is the VPN outage."
    assert anthropic.fake.requests[0]["messages"] == [
        {"role": "user", "content": "What about the VPN?"},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Checking."},
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "search_tickets",
                    "input": {"query": "vpn"},
                },
                # Invalid JSON cannot be sent as `input`, which must be an object.
                {"type": "tool_use", "id": "toolu_2", "name": "get_ticket", "input": {}},
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "content": '{"results": [47]}',
                    "is_error": False,
                },
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_2",
                    "content": '{"error": "arguments are not valid JSON"}',
                    "is_error": True,
                },
            ],
        },
    ]


async def test_history_edge_cases_stay_valid(anthropic: Provider, run_turn: RunTurn) -> None:
    anthropic.fake.script(text("Sure."))
    history = (
        Message(role="user", content="Find the VPN ticket"),
        Message(role="assistant", content="  "),  # an empty reply that was stored
        Message(role="user", content="Hello?"),
        Message(
            role="assistant",
            tool_calls=(ToolCall(id="toolu_1", name="search_tickets", arguments='{"q": 1}'),),
        ),
        Message(role="tool", content="[]", tool_call_id="toolu_1"),
        Message(role="user", content="And now?"),  # the turn stopped after the tool ran
    )

    await run_turn(anthropic.model(), messages=history)

    assert anthropic.fake.requests[0]["messages"] == [
        {"role": "user", "content": "Find the VPN ticket"},
        {"role": "user", "content": "Hello?"},
        {
            "role": "assistant",
            "content": [
                {"type": "tool_use", "id": "toolu_1", "name": "search_tickets", "input": {"q": 1}}
            ],
        },
        {
            "role": "user",
            "content": [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "content": "[]",
                    "is_error": False,
                },
                {"type": "text", "text": "And now?"},
            ],
        },
    ]


async def test_overloaded_is_retried_before_anything_is_yielded(
    anthropic: Provider, run_turn: RunTurn
) -> None:
    anthropic.fake.script(status(429, retry_after_ms=5), status(529), text("Back again."))

    deltas, turn = await run_turn(anthropic.model())

    assert "".join(deltas) == turn.text == "Back again."
    assert len(anthropic.fake.requests) == 3


async def test_complete_maps_overloaded_to_unavailable(anthropic: Provider) -> None:
    anthropic.fake.script(status(529, repeat_forever=True))

    with pytest.raises(ProviderError) as caught:
        await anthropic.model(llm_max_retries=0).complete(system="Write a title.", prompt="x")

    assert caught.value.code == "unavailable"
