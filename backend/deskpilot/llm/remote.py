"""What the OpenAI and Anthropic providers share as ChatModels: the settings they read,
the streamed turn relayed within the call's deadline (stream.py), the short `complete()`
answer within it, and their SDK's errors turned into ProviderErrors on both paths.

Each provider keeps what differs: its request (`_open_stream`, `_answer`), its TurnBuilder
reading its SDK's events, which of its SDK's errors a call may raise and how they map."""

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Sequence
from typing import Generic, TypedDict

import httpx2

from deskpilot.core.config import Settings
from deskpilot.llm.deadline import within
from deskpilot.llm.stream import E, EventStream, TurnBuilder, relay
from deskpilot.llm.types import (
    Completion,
    ConversationContext,
    Message,
    ModelEvent,
    ProviderError,
    ToolSpec,
)


class ClientOptions(TypedDict):
    base_url: str | None
    timeout: httpx2.Timeout
    max_retries: int


def client_options(settings: Settings) -> ClientOptions:
    """What both SDKs' clients take alike: the server, each attempt's timeout and the
    retries (all of them within `llm_deadline_seconds`, deadline.py)."""
    return {
        "base_url": settings.llm_base_url,
        "timeout": httpx2.Timeout(
            settings.llm_timeout_seconds, connect=settings.llm_connect_timeout_seconds
        ),
        "max_retries": settings.llm_max_retries,
    }


class RemoteChatModel(ABC, Generic[E]):
    """A ChatModel over a provider's SDK; `E` is the type of its stream's events."""

    provider: str
    offline = False
    # What a call may raise (after the SDK's own retries); `_provider_error` maps each.
    _sdk_errors: tuple[type[Exception], ...]

    def __init__(self, settings: Settings) -> None:
        self.model = settings.effective_model
        window = settings.llm_context_window
        # A small model's window must leave room for the prompt (services/chat/context_fit.py).
        self._max_tokens = min(settings.llm_max_output_tokens, (window or 0) // 4 or 1 << 30)
        self._deadline = settings.llm_deadline_seconds

    async def stream_turn(
        self,
        *,
        system: str,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        context: ConversationContext,
    ) -> AsyncIterator[ModelEvent]:
        async for event in relay(
            self._open_stream(system, messages, tools),
            self._turn_builder(),
            deadline_seconds=self._deadline,
            sdk_errors=self._sdk_errors,
            translate=self._provider_error,
        ):
            yield event

    async def complete(self, *, system: str, prompt: str, max_tokens: int = 64) -> Completion:
        try:
            return await within(self._deadline, self._answer(system, prompt, max_tokens))
        except self._sdk_errors as exc:
            raise self._provider_error(exc) from exc

    @abstractmethod
    def _open_stream(
        self, system: str, messages: Sequence[Message], tools: Sequence[ToolSpec]
    ) -> Awaitable[EventStream[E]]:
        """The SDK call that starts the streamed answer (its retries happen inside it)."""

    @abstractmethod
    def _turn_builder(self) -> TurnBuilder[E]: ...

    @abstractmethod
    async def _answer(self, system: str, prompt: str, max_tokens: int) -> Completion:
        """One short plain-text answer without tools, unstreamed."""

    @abstractmethod
    def _provider_error(self, exc: Exception) -> ProviderError:
        """One of `_sdk_errors` as a ProviderError."""
