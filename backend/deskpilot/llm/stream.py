"""What the OpenAI and Anthropic providers do alike with a streamed answer: relay its
text within the call's deadline (deadline.py), then hand over the whole turn, its tool
calls assembled from the parts they stream in. Each provider keeps what differs: the
request, its `TurnBuilder` reading its SDK's events, and its SDK's errors."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Protocol, Self, TypeVar

from deskpilot.llm.deadline import CallDeadline
from deskpilot.llm.types import ModelEvent, ModelTurn, ProviderError, TextDelta, ToolCall

E = TypeVar("E")
E_co = TypeVar("E_co", covariant=True)
E_contra = TypeVar("E_contra", contravariant=True)
X = TypeVar("X", bound=Exception)


class EventStream(Protocol[E_co]):
    """An SDK's AsyncStream: its events, and `async with` to close the response."""

    def __aiter__(self) -> AsyncIterator[E_co]: ...

    async def __anext__(self) -> E_co: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None: ...


class TurnBuilder(Protocol[E_contra]):
    def feed(self, event: E_contra) -> str:
        """Take one event; return the text it adds (may be empty)."""
        ...

    def turn(self) -> ModelTurn:
        """The whole turn, once the stream has ended; ProviderError if it was cut off."""
        ...


async def relay(
    opening: Awaitable[EventStream[E]],
    builder: TurnBuilder[E],
    *,
    deadline_seconds: float,
    sdk_errors: tuple[type[X], ...],
    translate: Callable[[X], ProviderError],
) -> AsyncIterator[ModelEvent]:
    """Yield TextDeltas as the stream brings text, then the ModelTurn.

    `opening` is the SDK call that starts the stream (its retries happen inside it);
    errors of the `sdk_errors` types become `translate(exc)`.
    """
    deadline = CallDeadline(deadline_seconds)
    try:
        stream = await deadline.wait(opening)
        async with stream:
            async for event in deadline.each(stream):
                text = builder.feed(event)
                if text:
                    yield TextDelta(text)
    except sdk_errors as exc:
        raise translate(exc) from exc
    except ValueError as exc:  # an SSE event whose data is not JSON
        raise ProviderError("bad_response", f"Unreadable stream from the model: {exc}") from exc
    finally:
        deadline.close()
    yield builder.turn()


@dataclass
class CallParts:
    """One tool call as it streams in: its id and name once, its arguments in fragments."""

    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


def assemble_calls(parts: dict[int, CallParts], id_prefix: str) -> tuple[ToolCall, ...]:
    """The calls in stream order (keyed by their index in the answer)."""
    return tuple(
        ToolCall(
            id=call.id or f"{id_prefix}{uuid.uuid4().hex}",
            name=call.name,
            # A tool without parameters may stream no argument text at all.
            arguments="".join(call.arguments) or "{}",
        )
        for _, call in sorted(parts.items())
    )
