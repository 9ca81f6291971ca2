"""Fixtures for provider tests: one fake server per provider for the whole run
(reset before each test); `provider` (each provider in turn, for the shared
behaviour) or `openai` / `anthropic` (one, for its wire protocol), whose models
talk to the fake; and a helper to run one turn."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from deskpilot.core.config import Settings
from deskpilot.llm.anthropic_provider import AnthropicChatModel
from deskpilot.llm.openai_provider import OpenAIChatModel
from deskpilot.llm.types import (
    ChatModel,
    ConversationContext,
    Message,
    ModelTurn,
    TextDelta,
    ToolCall,
    ToolSpec,
)
from tests.fakes import FakeAnthropicServer, FakeOpenAIServer, text
from tests.fakes._server import FakeModelServer


def one_argument_tool(name: str, description: str, argument: str, kind: str) -> ToolSpec:
    parameters = {
        "type": "object",
        "properties": {argument: {"type": kind}},
        "required": [argument],
    }
    return ToolSpec(name=name, description=description, parameters=parameters)


SEARCH_TICKETS = one_argument_tool(
    "search_tickets", "Search for tickets by keyword", "query", "string"
)
GET_TICKET = one_argument_tool("get_ticket", "Get a ticket by number", "ticket_id", "integer")
CONTEXT = ConversationContext(user_name="Ada Agent", today="2025-03-14")

RunTurn = Callable[..., Awaitable[tuple[list[str], ModelTurn]]]


def llm_settings(provider: str, base_url: str | None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "llm_provider": provider,
        "llm_base_url": base_url,
        "llm_api_key": "test",
        "llm_model": "fake-model",
        "llm_max_retries": 2,
        "llm_timeout_seconds": 5.0,
        "llm_connect_timeout_seconds": 2.0,
        "llm_max_output_tokens": 300,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@dataclass(frozen=True, kw_only=True)
class Wire:
    """What tells one provider's wire protocol from the other's, as far as the tests
    shared by both providers (test_providers_common.py) need to know."""

    name: str
    model_class: type[OpenAIChatModel] | type[AnthropicChatModel]
    url_path: str  # what the SDK's base_url carries after host:port
    id_prefix: str  # tool call ids as the real API makes them
    events_before_text: int  # SSE events the fake streams before the first text delta
    stream_error: str  # the message of the fake's in-stream error event

    def system_of(self, body: dict[str, Any]) -> str | None:
        """The system prompt a request sent, None when it sent none."""
        if self.name == "anthropic":
            return body.get("system")
        first = body["messages"][0] if body["messages"] else {}
        return first["content"] if first.get("role") == "system" else None

    def tools_of(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """A request's tools, each with its name at the top."""
        tools: list[dict[str, Any]] = body["tools"]
        return tools if self.name == "anthropic" else [tool["function"] for tool in tools]

    def conversation_of(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        """A request's messages, the system prompt left out."""
        skip = 0 if self.name == "anthropic" or self.system_of(body) is None else 1
        return list(body["messages"][skip:])


WIRES = {
    "openai": Wire(
        name="openai",
        model_class=OpenAIChatModel,
        url_path="/v1",
        id_prefix="call_",
        events_before_text=1,  # the role chunk
        stream_error="The server had an error.",
    ),
    "anthropic": Wire(
        name="anthropic",
        model_class=AnthropicChatModel,
        url_path="",
        id_prefix="toolu_",
        events_before_text=3,  # message_start, content_block_start, ping
        stream_error="Overloaded",
    ),
}


class Provider:
    """One provider's fake server and models pointed at it (closed after the test)."""

    def __init__(self, wire: Wire, fake: FakeModelServer) -> None:
        self.wire = wire
        self.fake = fake
        self._models: list[ChatModel] = []

    def model(self, **overrides: Any) -> ChatModel:
        """A model talking to the fake, with these settings overridden."""
        return self.model_at(self.fake.base_url, **overrides)

    def model_at(self, base_url: str, **overrides: Any) -> ChatModel:
        model = self.wire.model_class(llm_settings(self.wire.name, base_url, **overrides))
        self._models.append(model)
        return model

    def call_id(self, suffix: str) -> str:
        return self.wire.id_prefix + suffix

    async def aclose(self) -> None:
        for model in self._models:
            await model.aclose()


@asynccontextmanager
async def provider_for(name: str, fake: FakeModelServer) -> AsyncIterator[Provider]:
    provider = Provider(WIRES[name], fake)
    try:
        yield provider
    finally:
        await provider.aclose()


@pytest.fixture(params=sorted(WIRES))
async def provider(
    request: pytest.FixtureRequest,
    openai_fake: FakeOpenAIServer,
    anthropic_fake: FakeAnthropicServer,
) -> AsyncIterator[Provider]:
    """Each provider in turn, its fake reset: for behaviour both must share."""
    fake = openai_fake if request.param == "openai" else anthropic_fake
    async with provider_for(request.param, fake) as each:
        yield each


@pytest.fixture
async def openai(openai_fake: FakeOpenAIServer) -> AsyncIterator[Provider]:
    async with provider_for("openai", openai_fake) as only:
        yield only


@pytest.fixture
async def anthropic(anthropic_fake: FakeAnthropicServer) -> AsyncIterator[Provider]:
    async with provider_for("anthropic", anthropic_fake) as only:
        yield only


@pytest.fixture
def run_turn() -> RunTurn:
    """run_turn(model, messages=..., tools=..., system=..., received=[]) → (deltas, turn).

    Checks the ChatModel contract on the way: text deltas, then exactly one
    ModelTurn, last. Deltas are also appended to `received` as they arrive, so
    a test can see what came before a failure.
    """

    async def run(
        model: ChatModel,
        *,
        messages: Sequence[Message] = (Message(role="user", content="Is the printer fixed?"),),
        tools: Sequence[ToolSpec] = (SEARCH_TICKETS, GET_TICKET),
        system: str = "You are Deskpilot, a helpdesk copilot.",
        received: list[str] | None = None,
    ) -> tuple[list[str], ModelTurn]:
        deltas = received if received is not None else []
        turns: list[ModelTurn] = []
        async for event in model.stream_turn(
            system=system, messages=messages, tools=tools, context=CONTEXT
        ):
            assert not turns, "an event came after the ModelTurn"
            if isinstance(event, TextDelta):
                deltas.append(event.text)
            else:
                turns.append(event)
        assert len(turns) == 1, "the stream must end with exactly one ModelTurn"
        return deltas, turns[0]

    return run


async def one_request(provider: Provider, run_turn: RunTurn, **turn: Any) -> dict[str, Any]:
    """The body of the one request a turn sends when the model answers in plain text."""
    provider.fake.script(text("Fixed."))
    await run_turn(provider.model(), **turn)
    [body] = provider.fake.requests
    return body


def tool_history(
    provider: Provider,
    *,
    said: str = "",
    get_ticket_arguments: str = '{"ticket_id": 99}',
    error: str = "ticket 99 not found",
) -> tuple[Message, ...]:
    """A conversation in which the model, after saying `said`, called search_tickets (which
    answered) and get_ticket (which failed with `error`), with call ids ending in 1 and 2 as
    the provider's API makes them."""
    searched, got = provider.call_id("1"), provider.call_id("2")
    return (
        Message(role="user", content="What about the VPN?"),
        Message(
            role="assistant",
            content=said,
            tool_calls=(
                ToolCall(id=searched, name="search_tickets", arguments='{"query": "vpn"}'),
                ToolCall(id=got, name="get_ticket", arguments=get_ticket_arguments),
            ),
        ),
        Message(role="tool", content='{"results": [47]}', tool_call_id=searched),
        Message(
            role="tool",
            content=json.dumps({"error": error}),
            tool_call_id=got,
            tool_name="get_ticket",
            is_error=True,
        ),
    )
