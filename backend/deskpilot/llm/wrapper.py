"""A ChatModel around another that passes every call through unchanged, for wrappers that
only watch what goes by (measured.py's metrics, the evals' recording model): a subclass
overrides `_relay` to see the streamed events, and whichever call it also watches."""

from collections.abc import AsyncIterator, Sequence
from typing import TypedDict, Unpack

from deskpilot.llm.types import (
    ChatModel,
    Completion,
    ConversationContext,
    Message,
    ModelEvent,
    ToolSpec,
)


class TurnRequest(TypedDict):
    """`ChatModel.stream_turn`'s keyword arguments, forwarded as they came."""

    system: str
    messages: Sequence[Message]
    tools: Sequence[ToolSpec]
    context: ConversationContext


class ChatModelWrapper:
    def __init__(self, inner: ChatModel) -> None:
        self.inner = inner
        self.provider = inner.provider
        self.model = inner.model
        self.offline = inner.offline

    def stream_turn(self, **request: Unpack[TurnRequest]) -> AsyncIterator[ModelEvent]:
        return self._relay(self.inner.stream_turn(**request))

    async def _relay(self, events: AsyncIterator[ModelEvent]) -> AsyncIterator[ModelEvent]:
        async for event in events:
            yield event

    async def complete(self, *, system: str, prompt: str, max_tokens: int = 64) -> Completion:
        return await self.inner.complete(system=system, prompt=prompt, max_tokens=max_tokens)

    async def aclose(self) -> None:
        await self.inner.aclose()
