"""What is particular to OpenAI's Chat Completions wire protocol (what both providers do
alike is in test_providers_common.py)."""

import pytest

from deskpilot.llm.openai_provider import OpenAIChatModel
from deskpilot.llm.types import ProviderError
from tests.fakes import text
from tests.llm.conftest import Provider, RunTurn, llm_settings, one_request, tool_history


async def test_system_prompt_and_tools_in_the_chat_completions_format(
    openai: Provider, run_turn: RunTurn
) -> None:
    body = await one_request(openai, run_turn)

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


async def test_history_with_tool_calls_and_results_uses_the_wire_format(
    openai: Provider, run_turn: RunTurn
) -> None:
    openai.fake.script(text("Ticket #47 is the VPN outage."))
    history = tool_history(openai)

    _, turn = await run_turn(openai.model(), messages=history)

    assert turn.text == "Ticket #47 is the VPN outage."
    assert openai.fake.requests[0]["messages"][1:] == [
        {"role": "user", "content": "What about the VPN?"},
        {
            "role": "assistant",
            "content": "",
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


def test_no_api_key_for_the_official_api_is_an_auth_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    with pytest.raises(ProviderError) as caught:
        OpenAIChatModel(llm_settings("openai", None, llm_api_key=None))

    assert caught.value.code == "auth"
