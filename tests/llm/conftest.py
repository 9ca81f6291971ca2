"""Fixtures for provider tests: one fake server per provider for the whole run
(reset before each test), models pointed at it, and a helper to run one turn."""

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
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
    ToolSpec,
)
from tests.fakes import FakeAnthropicServer, FakeOpenAIServer, fixtures

SEARCH_TICKETS = ToolSpec(
    name="search_tickets",
    description="Search for tickets by keyword",
    parameters={
        "type": "object",
        "properties": {"query": {"type": "string"}},
        "required": ["query"],
    },
)
GET_TICKET = ToolSpec(
    name="get_ticket",
    description="Get a ticket by number",
    parameters={
        "type": "object",
        "properties": {"ticket_id": {"type": "integer"}},
        "required": ["ticket_id"],
    },
)
CONTEXT = ConversationContext(user_name="Ada Agent", today="2025-03-14")

openai_server = fixtures.openai_server
anthropic_server = fixtures.anthropic_server
openai_fake = fixtures.openai_fake
anthropic_fake = fixtures.anthropic_fake

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


@pytest.fixture
async def openai_model(
    openai_fake: FakeOpenAIServer,
) -> AsyncIterator[Callable[..., OpenAIChatModel]]:
    """openai_model(**settings_overrides) → a model talking to the fake."""
    models: list[OpenAIChatModel] = []

    def make(**overrides: Any) -> OpenAIChatModel:
        model = OpenAIChatModel(llm_settings("openai", openai_fake.base_url, **overrides))
        models.append(model)
        return model

    yield make
    for model in models:
        await model.aclose()


@pytest.fixture
async def anthropic_model(
    anthropic_fake: FakeAnthropicServer,
) -> AsyncIterator[Callable[..., AnthropicChatModel]]:
    """anthropic_model(**settings_overrides) → a model talking to the fake."""
    models: list[AnthropicChatModel] = []

    def make(**overrides: Any) -> AnthropicChatModel:
        model = AnthropicChatModel(llm_settings("anthropic", anthropic_fake.base_url, **overrides))
        models.append(model)
        return model

    yield make
    for model in models:
        await model.aclose()


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
