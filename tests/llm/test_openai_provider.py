"""OpenAIChatModel against a fake Chat Completions server over real HTTP."""

import asyncio
import socket
import time
from collections.abc import Callable

import pytest

from deskpilot.llm.factory import build_chat_model
from deskpilot.llm.offline import OfflineAssistant
from deskpilot.llm.openai_provider import OpenAIChatModel
from deskpilot.llm.types import Message, ProviderError, TextDelta, ToolCall
from tests.fakes import FakeOpenAIServer, call, status, text, tool_calls
from tests.llm.conftest import CONTEXT, RunTurn, llm_settings

MakeModel = Callable[..., OpenAIChatModel]


async def test_plain_reply_streams_deltas_then_one_turn(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(text("The printer on floor 3 was fixed yesterday."))

    deltas, turn = await run_turn(openai_model())

    assert len(deltas) > 1
    assert "".join(deltas) == "The printer on floor 3 was fixed yesterday."
    assert turn.text == "The printer on floor 3 was fixed yesterday."
    assert turn.tool_calls == ()
    assert turn.stop_reason == "stop"
    [body] = openai_fake.requests
    assert body["model"] == "fake-model"
    assert body["stream"] is True
    assert body["max_tokens"] == 300  # a custom base_url: the widely supported parameter
    assert body["messages"] == [
        {"role": "system", "content": "You are Deskpilot, a helpdesk copilot."},
        {"role": "user", "content": "Is the printer fixed?"},
    ]
    assert body["tools"][0] == {
        "type": "function",
        "function": {
            "name": "search_tickets",
            "description": "Search for tickets by keyword",
            "parameters": {
                "type": "object",
                "properties": {"query": {"type": "string"}},
                "required": ["query"],
            },
        },
    }
    assert openai_fake.headers[0]["authorization"] == "Bearer test"


async def test_no_tools_sends_no_tools_key(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(text("Hi"))

    await run_turn(openai_model(), tools=(), system="")

    assert "tools" not in openai_fake.requests[0]
    assert [m["role"] for m in openai_fake.requests[0]["messages"]] == ["user"]


@pytest.mark.parametrize("fragments", [True, False])
async def test_tool_call(
    fragments: bool, openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    arguments = '{"query": "printer on floor 3", "status": "open"}'
    openai_fake.script(
        tool_calls(call("search_tickets", arguments, id="call_abc"), fragments=fragments)
    )

    deltas, turn = await run_turn(openai_model())

    assert deltas == []
    assert turn.tool_calls == (ToolCall(id="call_abc", name="search_tickets", arguments=arguments),)
    assert turn.stop_reason == "tool_calls"


async def test_two_tool_calls_after_some_text(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(
        tool_calls(
            call("search_tickets", {"query": "vpn"}, id="call_1"),
            call("get_ticket", {"ticket_id": 47}, id="call_2"),
            text="Let me look that up.",
        )
    )

    deltas, turn = await run_turn(openai_model())

    assert "".join(deltas) == "Let me look that up."
    assert turn.text == "Let me look that up."
    assert turn.tool_calls == (
        ToolCall(id="call_1", name="search_tickets", arguments='{"query": "vpn"}'),
        ToolCall(id="call_2", name="get_ticket", arguments='{"ticket_id": 47}'),
    )


async def test_invalid_json_and_unknown_tool_pass_through_raw(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(
        tool_calls(
            call("search_tickets", '{"query": "prin', id="call_1"),
            call("delete_everything", "{}", id="call_2"),
        )
    )

    _, turn = await run_turn(openai_model())

    assert [(c.name, c.arguments) for c in turn.tool_calls] == [
        ("search_tickets", '{"query": "prin'),
        ("delete_everything", "{}"),
    ]


async def test_call_without_argument_text_gets_empty_object(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(tool_calls(call("list_open_tickets", "", id="call_1")))

    _, turn = await run_turn(openai_model())

    assert turn.tool_calls == (ToolCall(id="call_1", name="list_open_tickets", arguments="{}"),)


async def test_history_with_tool_calls_and_results_uses_the_wire_format(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(text("Ticket #47 is the VPN outage."))
    history = (
        Message(role="user", content="What about the VPN?"),
        Message(
            role="assistant",
            content="",
            tool_calls=(
                ToolCall(id="call_1", name="search_tickets", arguments='{"query": "vpn"}'),
                ToolCall(id="call_2", name="get_ticket", arguments='{"ticket_id": 99}'),
            ),
        ),
        Message(role="tool", content='{"results": [47]}', tool_call_id="call_1"),
        Message(
            role="tool",
            content='{"error": "ticket 99 not found"}',
            tool_call_id="call_2",
            tool_name="get_ticket",
            is_error=True,
        ),
    )

    _, turn = await run_turn(openai_model(), messages=history)

    assert turn.text == "Ticket #47 is the VPN outage."
    assert openai_fake.requests[0]["messages"][1:] == [
        {"role": "user", "content": "What about the VPN?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "search_tickets", "arguments": '{"query": "vpn"}'},
                },
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "get_ticket", "arguments": '{"ticket_id": 99}'},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": '{"results": [47]}'},
        {"role": "tool", "tool_call_id": "call_2", "content": '{"error": "ticket 99 not found"}'},
    ]


async def test_rate_limit_is_retried_before_anything_is_yielded(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(status(429, retry_after_ms=5), text("Back again."))

    deltas, turn = await run_turn(openai_model())

    assert "".join(deltas) == turn.text == "Back again."
    assert len(openai_fake.requests) == 2


async def test_server_errors_until_retries_run_out(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(status(500, repeat_forever=True))

    with pytest.raises(ProviderError) as caught:
        await run_turn(openai_model(llm_max_retries=2))

    assert caught.value.code == "unavailable"
    assert caught.value.http_status == 502
    assert len(openai_fake.requests) == 3


async def test_nothing_listening_is_unavailable_not_a_timeout(run_turn: RunTurn) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = OpenAIChatModel(
        llm_settings("openai", f"http://127.0.0.1:{port}/v1", llm_max_retries=1)
    )
    try:
        with pytest.raises(ProviderError) as caught:
            await run_turn(model)
    finally:
        await model.aclose()

    assert caught.value.code == "unavailable"
    assert caught.value.http_status == 502
    assert "Could not reach the model" in caught.value.message


@pytest.mark.parametrize(
    ("code", "expected"),
    [(429, "rate_limited"), (401, "auth"), (403, "auth"), (400, "bad_response")],
)
async def test_error_status_mapping(
    code: int,
    expected: str,
    openai_fake: FakeOpenAIServer,
    openai_model: MakeModel,
    run_turn: RunTurn,
) -> None:
    openai_fake.script(status(code, repeat_forever=True))

    with pytest.raises(ProviderError) as caught:
        await run_turn(openai_model(llm_max_retries=1))

    assert caught.value.code == expected
    assert len(openai_fake.requests) == (2 if code == 429 else 1)


async def test_stream_cut_midway_raises_after_the_text_so_far(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(text("Hello there, this answer will not finish.", cut_after=3))
    received: list[str] = []

    with pytest.raises(ProviderError) as caught:
        async with asyncio.timeout(5):
            await run_turn(openai_model(), received=received)

    assert caught.value.code == "unavailable"
    assert "".join(received) == "Hello th"
    assert len(openai_fake.requests) == 1  # no retry once the answer has started


async def test_stream_ending_cleanly_without_finish_is_a_bad_response(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(
        text("Hello there, this answer will not finish.", cut_after=3, cut_cleanly=True)
    )

    with pytest.raises(ProviderError) as caught:
        await run_turn(openai_model())

    assert caught.value.code == "bad_response"


async def test_error_event_inside_the_stream(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(text("Hello there", error_after=2))

    with pytest.raises(ProviderError) as caught:
        await run_turn(openai_model())

    assert caught.value.code == "unavailable"


async def test_first_byte_later_than_the_timeout(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(text("Too late.", delay=3))
    model = openai_model(llm_timeout_seconds=0.2, llm_max_retries=0)
    started = time.monotonic()

    with pytest.raises(ProviderError) as caught:
        await run_turn(model)

    assert caught.value.code == "timeout"
    assert caught.value.http_status == 504
    assert time.monotonic() - started < 1.5


async def test_stream_stalling_midway_times_out(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(text("Hello there, and then silence.", stall_after=2))

    with pytest.raises(ProviderError) as caught:
        await run_turn(openai_model(llm_timeout_seconds=0.2))

    assert caught.value.code == "timeout"


async def test_a_model_that_calls_tools_forever(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(tool_calls(call("search_tickets", {"query": "x"}), repeat_forever=True))
    model = openai_model()

    for _ in range(3):
        _, turn = await run_turn(model)
        assert [c.name for c in turn.tool_calls] == ["search_tickets"]
    assert len(openai_fake.requests) == 3


async def test_complete_makes_a_short_non_streamed_request(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel
) -> None:
    openai_fake.script(text("  Printer jam on floor 3 \n"))

    title = await openai_model().complete(
        system="Write a title.", prompt="my printer jams", max_tokens=20
    )

    assert title == "Printer jam on floor 3"
    [body] = openai_fake.requests
    assert not body.get("stream")
    assert "tools" not in body
    assert body["max_tokens"] == 20
    assert body["messages"] == [
        {"role": "system", "content": "Write a title."},
        {"role": "user", "content": "my printer jams"},
    ]


async def test_complete_maps_errors(openai_fake: FakeOpenAIServer, openai_model: MakeModel) -> None:
    openai_fake.script(status(401))

    with pytest.raises(ProviderError) as caught:
        await openai_model().complete(system="Write a title.", prompt="x")

    assert caught.value.code == "auth"


def test_factory_builds_the_openai_model() -> None:
    model = build_chat_model(llm_settings("openai", "http://127.0.0.1:9/v1"))

    assert isinstance(model, OpenAIChatModel)
    assert (model.provider, model.model, model.offline) == ("openai", "fake-model", False)


def test_factory_builds_the_offline_assistant() -> None:
    model = build_chat_model(llm_settings("offline", "http://127.0.0.1:9/v1"))

    assert isinstance(model, OfflineAssistant)
    assert (model.provider, model.offline) == ("offline", True)


async def test_unanswered_tool_call_in_history_is_refused_like_the_real_api(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    history = (
        Message(role="user", content="Find it"),
        Message(
            role="assistant",
            tool_calls=(ToolCall(id="call_1", name="search_tickets", arguments="{}"),),
        ),
        Message(role="user", content="Well?"),
    )

    with pytest.raises(ProviderError) as caught:
        await run_turn(openai_model(), messages=history)

    assert caught.value.code == "bad_response"
    assert "call_1" in caught.value.message


async def test_closing_the_stream_early_releases_it(
    openai_fake: FakeOpenAIServer, openai_model: MakeModel, run_turn: RunTurn
) -> None:
    openai_fake.script(text("A long answer the user stops reading."), text("Next."))
    model = openai_model()
    events = model.stream_turn(
        system="", messages=[Message(role="user", content="hi")], tools=[], context=CONTEXT
    )

    async with asyncio.timeout(5):
        assert isinstance(await anext(events), TextDelta)
        await events.aclose()  # type: ignore[attr-defined]
        _, turn = await run_turn(model)

    assert turn.text == "Next."


def test_no_api_key_for_the_official_api_is_an_auth_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    with pytest.raises(ProviderError) as caught:
        OpenAIChatModel(llm_settings("openai", None, llm_api_key=None))

    assert caught.value.code == "auth"
