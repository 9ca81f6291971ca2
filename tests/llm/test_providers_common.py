"""What every provider's ChatModel does alike, run against each fake server over real
HTTP: streaming, tool calls, retries, error mapping, timeouts, titles. What is
particular to one wire protocol stays in test_openai_provider.py and
test_anthropic_provider.py."""

import asyncio
import socket
import time

import pytest

from deskpilot.llm.factory import build_chat_model
from deskpilot.llm.offline import OfflineAssistant
from deskpilot.llm.types import Message, ProviderError, TextDelta, ToolCall
from tests.fakes import call, status, text, tool_calls
from tests.llm.conftest import CONTEXT, WIRES, Provider, RunTurn, Wire, llm_settings, one_request


async def test_plain_reply_streams_deltas_then_one_turn(
    provider: Provider, run_turn: RunTurn
) -> None:
    provider.fake.script(text("The printer on floor 3 was fixed yesterday."))

    deltas, turn = await run_turn(provider.model())

    assert len(deltas) > 1
    assert "".join(deltas) == "The printer on floor 3 was fixed yesterday."
    assert turn.text == "The printer on floor 3 was fixed yesterday."
    assert turn.tool_calls == ()
    assert turn.stop_reason == "stop"
    [body] = provider.fake.requests
    assert body["model"] == "fake-model"
    assert body["stream"] is True
    assert body["max_tokens"] == 300  # OpenAI at a custom base_url: not max_completion_tokens
    assert provider.wire.system_of(body) == "You are Deskpilot, a helpdesk copilot."
    assert provider.wire.conversation_of(body) == [
        {"role": "user", "content": "Is the printer fixed?"}
    ]
    assert [tool["name"] for tool in provider.wire.tools_of(body)] == [
        "search_tickets",
        "get_ticket",
    ]
    assert provider.fake.headers[0]["authorization"] == "Bearer test"


async def test_no_tools_and_no_system_are_left_out(provider: Provider, run_turn: RunTurn) -> None:
    body = await one_request(provider, run_turn, tools=(), system="")

    assert "tools" not in body
    assert "system" not in body
    assert provider.wire.system_of(body) is None
    assert [m["role"] for m in body["messages"]] == ["user"]


@pytest.mark.parametrize("fragments", [True, False])
async def test_tool_call(fragments: bool, provider: Provider, run_turn: RunTurn) -> None:
    arguments = '{"query": "printer on floor 3", "status": "open"}'
    call_id = provider.call_id("abc")
    provider.fake.script(
        tool_calls(call("search_tickets", arguments, id=call_id), fragments=fragments)
    )

    deltas, turn = await run_turn(provider.model())

    assert deltas == []
    assert turn.tool_calls == (ToolCall(id=call_id, name="search_tickets", arguments=arguments),)
    assert turn.stop_reason == "tool_calls"


async def test_two_tool_calls_after_some_text(provider: Provider, run_turn: RunTurn) -> None:
    first, second = provider.call_id("1"), provider.call_id("2")
    provider.fake.script(
        tool_calls(
            call("search_tickets", {"query": "vpn"}, id=first),
            call("get_ticket", {"ticket_id": 47}, id=second),
            text="Let me look that up.",
        )
    )

    deltas, turn = await run_turn(provider.model())

    assert "".join(deltas) == "Let me look that up."
    assert turn.text == "Let me look that up."
    assert turn.tool_calls == (
        ToolCall(id=first, name="search_tickets", arguments='{"query": "vpn"}'),
        ToolCall(id=second, name="get_ticket", arguments='{"ticket_id": 47}'),
    )


async def test_invalid_json_and_unknown_tool_pass_through_raw(
    provider: Provider, run_turn: RunTurn
) -> None:
    provider.fake.script(
        tool_calls(
            call("search_tickets", '{"query": "prin', id=provider.call_id("1")),
            call("delete_everything", "{}", id=provider.call_id("2")),
        )
    )

    _, turn = await run_turn(provider.model())

    assert [(c.name, c.arguments) for c in turn.tool_calls] == [
        ("search_tickets", '{"query": "prin'),
        ("delete_everything", "{}"),
    ]


async def test_call_without_argument_text_gets_empty_object(
    provider: Provider, run_turn: RunTurn
) -> None:
    call_id = provider.call_id("1")
    provider.fake.script(tool_calls(call("list_open_tickets", "", id=call_id)))

    _, turn = await run_turn(provider.model())

    assert turn.tool_calls == (ToolCall(id=call_id, name="list_open_tickets", arguments="{}"),)


async def test_rate_limit_is_retried_before_anything_is_yielded(
    provider: Provider, run_turn: RunTurn
) -> None:
    provider.fake.script(status(429, retry_after_ms=5), text("Back again."))

    deltas, turn = await run_turn(provider.model())

    assert "".join(deltas) == turn.text == "Back again."
    assert len(provider.fake.requests) == 2


async def test_server_errors_until_retries_run_out(provider: Provider, run_turn: RunTurn) -> None:
    provider.fake.script(status(500, repeat_forever=True))

    with pytest.raises(ProviderError) as caught:
        await run_turn(provider.model(llm_max_retries=2))

    assert caught.value.code == "unavailable"
    assert caught.value.http_status == 502
    assert len(provider.fake.requests) == 3


async def test_nothing_listening_is_unavailable_not_a_timeout(
    provider: Provider, run_turn: RunTurn
) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = provider.model_at(f"http://127.0.0.1:{port}{provider.wire.url_path}", llm_max_retries=1)

    with pytest.raises(ProviderError) as caught:
        await run_turn(model)

    assert caught.value.code == "unavailable"
    assert caught.value.http_status == 502
    assert "Could not reach the model" in caught.value.message


@pytest.mark.parametrize(
    ("code", "expected"),
    [(429, "rate_limited"), (401, "auth"), (403, "auth"), (400, "bad_response")],
)
async def test_error_status_mapping(
    code: int, expected: str, provider: Provider, run_turn: RunTurn
) -> None:
    provider.fake.script(status(code, repeat_forever=True))

    with pytest.raises(ProviderError) as caught:
        await run_turn(provider.model(llm_max_retries=1))

    assert caught.value.code == expected
    assert len(provider.fake.requests) == (2 if code == 429 else 1)


async def test_stream_cut_midway_raises_after_the_text_so_far(
    provider: Provider, run_turn: RunTurn
) -> None:
    two_deltas = provider.wire.events_before_text + 2
    provider.fake.script(text("Hello there, this answer will not finish.", cut_after=two_deltas))
    received: list[str] = []

    with pytest.raises(ProviderError) as caught:
        async with asyncio.timeout(5):
            await run_turn(provider.model(), received=received)

    assert caught.value.code == "unavailable"
    assert "".join(received) == "Hello th"
    assert len(provider.fake.requests) == 1  # no retry once the answer has started


async def test_stream_ending_cleanly_without_its_end_event_is_a_bad_response(
    provider: Provider, run_turn: RunTurn
) -> None:
    two_deltas = provider.wire.events_before_text + 2
    provider.fake.script(
        text("Hello there, this answer will not finish.", cut_after=two_deltas, cut_cleanly=True)
    )

    with pytest.raises(ProviderError) as caught:
        await run_turn(provider.model())

    assert caught.value.code == "bad_response"


async def test_error_event_inside_the_stream(provider: Provider, run_turn: RunTurn) -> None:
    provider.fake.script(text("Hello there", error_after=provider.wire.events_before_text + 1))

    with pytest.raises(ProviderError) as caught:
        await run_turn(provider.model())

    assert caught.value.code == "unavailable"
    assert provider.wire.stream_error in caught.value.message


async def test_first_byte_later_than_the_timeout(provider: Provider, run_turn: RunTurn) -> None:
    provider.fake.script(text("Too late.", delay=3))
    model = provider.model(llm_timeout_seconds=0.2, llm_max_retries=0)
    started = time.monotonic()

    with pytest.raises(ProviderError) as caught:
        await run_turn(model)

    assert caught.value.code == "timeout"
    assert caught.value.http_status == 504
    assert time.monotonic() - started < 1.5


async def test_stream_stalling_midway_times_out(provider: Provider, run_turn: RunTurn) -> None:
    one_delta = provider.wire.events_before_text + 1
    provider.fake.script(text("Hello there, and then silence.", stall_after=one_delta))

    with pytest.raises(ProviderError) as caught:
        await run_turn(provider.model(llm_timeout_seconds=0.2))

    assert caught.value.code == "timeout"


async def test_a_model_that_calls_tools_forever(provider: Provider, run_turn: RunTurn) -> None:
    provider.fake.script(tool_calls(call("search_tickets", {"query": "x"}), repeat_forever=True))
    model = provider.model()

    for _ in range(3):
        _, turn = await run_turn(model)
        assert [c.name for c in turn.tool_calls] == ["search_tickets"]
    assert len(provider.fake.requests) == 3


async def test_unanswered_tool_call_in_history_is_refused_like_the_real_api(
    provider: Provider, run_turn: RunTurn
) -> None:
    call_id = provider.call_id("1")
    history = (
        Message(role="user", content="Find it"),
        Message(
            role="assistant",
            tool_calls=(ToolCall(id=call_id, name="search_tickets", arguments="{}"),),
        ),
        Message(role="user", content="Well?"),
    )

    with pytest.raises(ProviderError) as caught:
        await run_turn(provider.model(), messages=history)

    assert caught.value.code == "bad_response"
    assert call_id in caught.value.message


async def test_closing_the_stream_early_releases_it(provider: Provider, run_turn: RunTurn) -> None:
    provider.fake.script(text("A long answer the user stops reading."), text("Next."))
    model = provider.model()
    events = model.stream_turn(
        system="", messages=[Message(role="user", content="hi")], tools=[], context=CONTEXT
    )

    async with asyncio.timeout(5):
        assert isinstance(await anext(events), TextDelta)
        await events.aclose()  # type: ignore[attr-defined]
        _, turn = await run_turn(model)

    assert turn.text == "Next."


async def test_complete_makes_a_short_non_streamed_request(provider: Provider) -> None:
    provider.fake.script(text("  Printer jam on floor 3 \n"))

    title = await provider.model().complete(
        system="Write a title.", prompt="my printer jams", max_tokens=20
    )

    assert title.text == "Printer jam on floor 3"
    [body] = provider.fake.requests
    assert not body.get("stream")
    assert "tools" not in body
    assert body["max_tokens"] == 20
    assert provider.wire.system_of(body) == "Write a title."
    assert provider.wire.conversation_of(body) == [{"role": "user", "content": "my printer jams"}]


@pytest.mark.parametrize(("code", "expected"), [(401, "auth"), (500, "unavailable")])
async def test_complete_maps_errors(code: int, expected: str, provider: Provider) -> None:
    provider.fake.script(status(code, repeat_forever=True))

    with pytest.raises(ProviderError) as caught:
        await provider.model(llm_max_retries=0).complete(system="Write a title.", prompt="x")

    assert caught.value.code == expected


@pytest.mark.parametrize("wire", WIRES.values(), ids=WIRES.keys())
def test_factory_builds_the_configured_model(wire: Wire) -> None:
    model = build_chat_model(llm_settings(wire.name, f"http://127.0.0.1:9{wire.url_path}"))

    assert isinstance(model, wire.model_class)
    assert (model.provider, model.model, model.offline) == (wire.name, "fake-model", False)


def test_factory_builds_the_offline_assistant() -> None:
    model = build_chat_model(llm_settings("offline", "http://127.0.0.1:9/v1"))

    assert isinstance(model, OfflineAssistant)
    assert (model.provider, model.offline) == ("offline", True)
