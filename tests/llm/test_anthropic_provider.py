"""AnthropicChatModel against a fake Messages API server over real HTTP."""

import asyncio
import socket
import time
from collections.abc import Callable

import pytest

from deskpilot.llm.anthropic_provider import AnthropicChatModel
from deskpilot.llm.factory import build_chat_model
from deskpilot.llm.types import Message, ProviderError, ToolCall
from tests.fakes import FakeAnthropicServer, call, status, text, tool_calls
from tests.llm.conftest import RunTurn, llm_settings

MakeModel = Callable[..., AnthropicChatModel]


async def test_plain_reply_streams_deltas_then_one_turn(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(text("The printer on floor 3 was fixed yesterday."))

    deltas, turn = await run_turn(anthropic_model())

    assert len(deltas) > 1
    assert "".join(deltas) == "The printer on floor 3 was fixed yesterday."
    assert turn.text == "The printer on floor 3 was fixed yesterday."
    assert turn.tool_calls == ()
    assert turn.stop_reason == "stop"
    [body] = anthropic_fake.requests
    assert body["model"] == "fake-model"
    assert body["stream"] is True
    assert body["max_tokens"] == 300
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
    assert anthropic_fake.headers[0]["authorization"] == "Bearer test"  # SDK 2.x: not x-api-key
    assert "anthropic-version" in anthropic_fake.headers[0]


async def test_no_tools_and_no_system_are_left_out(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(text("Hi"))

    await run_turn(anthropic_model(), tools=(), system="")

    assert "tools" not in anthropic_fake.requests[0]
    assert "system" not in anthropic_fake.requests[0]


@pytest.mark.parametrize("fragments", [True, False])
async def test_tool_use(
    fragments: bool,
    anthropic_fake: FakeAnthropicServer,
    anthropic_model: MakeModel,
    run_turn: RunTurn,
) -> None:
    arguments = '{"query": "printer on floor 3", "status": "open"}'
    anthropic_fake.script(
        tool_calls(call("search_tickets", arguments, id="toolu_abc"), fragments=fragments)
    )

    deltas, turn = await run_turn(anthropic_model())

    assert deltas == []
    assert turn.tool_calls == (
        ToolCall(id="toolu_abc", name="search_tickets", arguments=arguments),
    )
    assert turn.stop_reason == "tool_calls"


async def test_two_tool_uses_after_some_text(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(
        tool_calls(
            call("search_tickets", {"query": "vpn"}, id="toolu_1"),
            call("get_ticket", {"ticket_id": 47}, id="toolu_2"),
            text="Let me look that up.",
        )
    )

    deltas, turn = await run_turn(anthropic_model())

    assert "".join(deltas) == "Let me look that up."
    assert turn.text == "Let me look that up."
    assert turn.tool_calls == (
        ToolCall(id="toolu_1", name="search_tickets", arguments='{"query": "vpn"}'),
        ToolCall(id="toolu_2", name="get_ticket", arguments='{"ticket_id": 47}'),
    )


async def test_invalid_json_and_unknown_tool_pass_through_raw(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(
        tool_calls(
            call("search_tickets", '{"query": "prin', id="toolu_1"),
            call("delete_everything", "{}", id="toolu_2"),
        )
    )

    _, turn = await run_turn(anthropic_model())

    assert [(c.name, c.arguments) for c in turn.tool_calls] == [
        ("search_tickets", '{"query": "prin'),
        ("delete_everything", "{}"),
    ]


async def test_tool_without_input_gets_empty_object(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(tool_calls(call("list_open_tickets", "", id="toolu_1")))

    _, turn = await run_turn(anthropic_model())

    assert turn.tool_calls == (ToolCall(id="toolu_1", name="list_open_tickets", arguments="{}"),)


async def test_history_merges_tool_results_into_one_user_message(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(text("Ticket #47 is the VPN outage."))
    history = (
        Message(role="user", content="What about the VPN?"),
        Message(
            role="assistant",
            content="Checking.",
            tool_calls=(
                ToolCall(id="toolu_1", name="search_tickets", arguments='{"query": "vpn"}'),
                ToolCall(id="toolu_2", name="get_ticket", arguments='{"ticket_id": 99'),
            ),
        ),
        Message(role="tool", content='{"results": [47]}', tool_call_id="toolu_1"),
        Message(
            role="tool",
            content='{"error": "arguments are not valid JSON"}',
            tool_call_id="toolu_2",
            tool_name="get_ticket",
            is_error=True,
        ),
    )

    _, turn = await run_turn(anthropic_model(), messages=history)

    assert turn.text == "Ticket #47 is the VPN outage."
    assert anthropic_fake.requests[0]["messages"] == [
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


async def test_history_edge_cases_stay_valid(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(text("Sure."))
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

    await run_turn(anthropic_model(), messages=history)

    assert anthropic_fake.requests[0]["messages"] == [
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
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(status(429, retry_after_ms=5), status(529), text("Back again."))

    deltas, turn = await run_turn(anthropic_model())

    assert "".join(deltas) == turn.text == "Back again."
    assert len(anthropic_fake.requests) == 3


async def test_server_errors_until_retries_run_out(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(status(500, repeat_forever=True))

    with pytest.raises(ProviderError) as caught:
        await run_turn(anthropic_model(llm_max_retries=2))

    assert caught.value.code == "unavailable"
    assert len(anthropic_fake.requests) == 3


@pytest.mark.parametrize(
    ("code", "expected"),
    [(429, "rate_limited"), (401, "auth"), (403, "auth"), (400, "bad_response")],
)
async def test_error_status_mapping(
    code: int,
    expected: str,
    anthropic_fake: FakeAnthropicServer,
    anthropic_model: MakeModel,
    run_turn: RunTurn,
) -> None:
    anthropic_fake.script(status(code, repeat_forever=True))

    with pytest.raises(ProviderError) as caught:
        await run_turn(anthropic_model(llm_max_retries=1))

    assert caught.value.code == expected
    assert len(anthropic_fake.requests) == (2 if code == 429 else 1)


async def test_stream_cut_midway_raises_after_the_text_so_far(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    # message_start, content_block_start, ping, then two text deltas
    anthropic_fake.script(text("Hello there, this answer will not finish.", cut_after=5))
    received: list[str] = []

    with pytest.raises(ProviderError) as caught:
        async with asyncio.timeout(5):
            await run_turn(anthropic_model(), received=received)

    assert caught.value.code == "unavailable"
    assert "".join(received) == "Hello th"
    assert len(anthropic_fake.requests) == 1


async def test_stream_ending_cleanly_without_message_stop_is_a_bad_response(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(text("Hello there", cut_after=5, cut_cleanly=True))

    with pytest.raises(ProviderError) as caught:
        await run_turn(anthropic_model())

    assert caught.value.code == "bad_response"


async def test_overloaded_error_event_inside_the_stream(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(text("Hello there", error_after=4))

    with pytest.raises(ProviderError) as caught:
        await run_turn(anthropic_model())

    assert caught.value.code == "unavailable"
    assert "Overloaded" in caught.value.message


async def test_first_byte_later_than_the_timeout(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(text("Too late.", delay=3))
    model = anthropic_model(llm_timeout_seconds=0.2, llm_max_retries=0)
    started = time.monotonic()

    with pytest.raises(ProviderError) as caught:
        await run_turn(model)

    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 1.5


async def test_stream_stalling_midway_times_out(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    anthropic_fake.script(text("Hello there, and then silence.", stall_after=4))

    with pytest.raises(ProviderError) as caught:
        await run_turn(anthropic_model(llm_timeout_seconds=0.2))

    assert caught.value.code == "timeout"


async def test_complete_makes_a_short_non_streamed_request(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel
) -> None:
    anthropic_fake.script(text("  Printer jam on floor 3 \n"))

    title = await anthropic_model().complete(
        system="Write a title.", prompt="my printer jams", max_tokens=20
    )

    assert title == "Printer jam on floor 3"
    [body] = anthropic_fake.requests
    assert not body.get("stream")
    assert "tools" not in body
    assert body["max_tokens"] == 20
    assert body["system"] == "Write a title."
    assert body["messages"] == [{"role": "user", "content": "my printer jams"}]


async def test_complete_maps_errors(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel
) -> None:
    anthropic_fake.script(status(529, repeat_forever=True))

    with pytest.raises(ProviderError) as caught:
        await anthropic_model(llm_max_retries=0).complete(system="Write a title.", prompt="x")

    assert caught.value.code == "unavailable"


def test_factory_builds_the_anthropic_model() -> None:
    model = build_chat_model(llm_settings("anthropic", "http://127.0.0.1:9"))

    assert isinstance(model, AnthropicChatModel)
    assert (model.provider, model.model, model.offline) == ("anthropic", "fake-model", False)


async def test_unanswered_tool_use_in_history_is_refused_like_the_real_api(
    anthropic_fake: FakeAnthropicServer, anthropic_model: MakeModel, run_turn: RunTurn
) -> None:
    history = (
        Message(role="user", content="Find it"),
        Message(
            role="assistant",
            tool_calls=(ToolCall(id="toolu_1", name="search_tickets", arguments="{}"),),
        ),
        Message(role="user", content="Well?"),
    )

    with pytest.raises(ProviderError) as caught:
        await run_turn(anthropic_model(), messages=history)

    assert caught.value.code == "bad_response"
    assert "toolu_1" in caught.value.message


async def test_nothing_listening_is_unavailable_not_a_timeout(run_turn: RunTurn) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = AnthropicChatModel(
        llm_settings("anthropic", f"http://127.0.0.1:{port}", llm_max_retries=1)
    )
    try:
        with pytest.raises(ProviderError) as caught:
            await run_turn(model)
    finally:
        await model.aclose()

    assert caught.value.code == "unavailable"
    assert caught.value.http_status == 502
