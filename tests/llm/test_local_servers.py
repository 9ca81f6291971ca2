"""The OpenAI-compatible provider with the local servers people run (issue 13, item 1):
tool_choice sent with tools, the non-streamed fallback for a server that will not stream
tools (llama-cpp-python), "" rather than null content, tool calls written into the text, and
the tools described in the prompt for a chat template without tool support."""

import json
import time

import pytest

from deskpilot.llm import openai_provider
from deskpilot.llm.types import Message, ProviderError
from tests.fakes import text, tool_calls
from tests.fakes.scripting import call
from tests.llm.conftest import Provider, RunTurn, one_request, tool_history


async def test_tool_choice_auto_is_sent_when_tools_are_offered(
    openai: Provider, run_turn: RunTurn
) -> None:
    assert (await one_request(openai, run_turn))["tool_choice"] == "auto"
    openai.fake.reset()
    assert "tool_choice" not in await one_request(openai, run_turn, tools=())


async def test_a_server_refusing_streamed_tools_is_asked_unstreamed_once_and_remembered(
    openai: Provider, run_turn: RunTurn
) -> None:
    openai.fake.plays_llama_cpp_python = True
    openai_provider._UNSTREAMED_TOOLS.clear()
    openai.fake.script(
        tool_calls(call("search_tickets", {"query": "vpn"})), text("Ticket #47 is it.")
    )
    model = openai.model(llm_max_retries=0)

    _, first = await run_turn(model)
    deltas, second = await run_turn(model)

    assert [c.name for c in first.tool_calls] == ["search_tickets"]
    assert (second.text, deltas) == ("Ticket #47 is it.", ["Ticket #47 is it."])
    streamed = [body["stream"] for body in openai.fake.requests]
    assert streamed == [True, False, False]  # refused once, then never streamed again
    openai_provider._UNSTREAMED_TOOLS.clear()


async def test_history_with_tool_calls_sends_empty_content(
    openai: Provider, run_turn: RunTurn
) -> None:
    openai.fake.plays_llama_cpp_python = True
    openai.fake.script(text("Ticket #47."))

    _, turn = await run_turn(openai.model(), messages=tool_history(openai), tools=())

    assert turn.text == "Ticket #47."
    assistant = openai.fake.requests[0]["messages"][2]
    assert (assistant["role"], assistant["content"]) == ("assistant", "")


TAGGED = (
    'Let me look.\n<tool_call>\n{"name": "search_tickets", "arguments": {"query": "vpn\n'
    'down",}}\n</tool_call>'
)


async def test_a_tagged_call_in_the_text_is_read_and_never_shown(
    openai: Provider, run_turn: RunTurn
) -> None:
    openai.fake.script(text(TAGGED))

    deltas, turn = await run_turn(openai.model())

    assert [(c.name, json.loads(c.arguments)) for c in turn.tool_calls] == [
        ("search_tickets", {"query": "vpn\ndown"})
    ]
    assert turn.stop_reason == "tool_calls"
    assert turn.text == "Let me look."
    assert "tool_call" not in "".join(deltas) and "{" not in "".join(deltas)


async def test_a_bare_json_answer_naming_a_tool_is_a_call(
    openai: Provider, run_turn: RunTurn
) -> None:
    openai.fake.script(text('```json\n{"name": "get_ticket", "arguments": {"ticket_id": 47}}\n```'))

    deltas, turn = await run_turn(openai.model())

    assert [(c.name, json.loads(c.arguments)) for c in turn.tool_calls] == [
        ("get_ticket", {"ticket_id": 47})
    ]
    assert (turn.text, deltas) == ("", [])


async def test_json_naming_no_offered_tool_stays_text(openai: Provider, run_turn: RunTurn) -> None:
    answer = '{"name": "delete_everything", "arguments": {}}'
    openai.fake.script(text(answer))

    deltas, turn = await run_turn(openai.model())

    assert (turn.tool_calls, turn.text, "".join(deltas)) == ((), answer, answer)


async def test_tools_as_text_describes_them_in_the_prompt_and_sends_none(
    openai: Provider, run_turn: RunTurn
) -> None:
    openai.fake.script(text('<tool_call>{"name": "search_tickets", "arguments": {}}</tool_call>'))
    history = (*tool_history(openai), Message(role="user", content="And now?"))

    _, turn = await run_turn(openai.model(llm_tool_calls_as_text=True), messages=history)

    body = openai.fake.requests[0]
    assert "tools" not in body and "tool_choice" not in body
    # No system message (Gemma's template has none): the instructions open the first turn.
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["user", "assistant", "user"]  # tool results as the user's, joined
    first = body["messages"][0]["content"]
    assert first.startswith("You are Deskpilot") and "What about the VPN?" in first
    assert "<tool_call>" in first and "search_tickets" in first
    assert "<tool_response>" in body["messages"][2]["content"]
    assert [c.name for c in turn.tool_calls] == ["search_tickets"]


async def test_the_unstreamed_fallback_ends_at_the_call_deadline(
    openai: Provider, run_turn: RunTurn
) -> None:
    """Issue 13, item 10: a hung server gets no more time on the non-streamed path."""
    openai.fake.plays_llama_cpp_python = True
    openai_provider._UNSTREAMED_TOOLS.clear()
    openai.fake.script(text("Hello."), text("Never sent.", delay=60, repeat_forever=True))
    model = openai.model(llm_max_retries=0, llm_deadline_seconds=1.0, llm_timeout_seconds=30)
    await run_turn(model, tools=())  # the SDK's first use is not timed

    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        await run_turn(model)

    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 3
    assert [body["stream"] for body in openai.fake.requests[1:]] == [True, False]
    openai_provider._UNSTREAMED_TOOLS.clear()
