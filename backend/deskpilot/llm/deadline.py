"""An overall deadline for one model call, the SDK's retries and the streamed answer
included (DESKPILOT_LLM_DEADLINE_SECONDS).

The SDKs' timeout bounds each attempt, so a model that never answers would otherwise hold
the user for (retries + 1) × timeout plus back-off. Only awaits on the call are bounded:
the time a caller spends between two streamed events counts towards the deadline but is
never interrupted (a timeout around a `yield` would cancel the caller's own work). A
cancellation from outside (the user pressing Stop) passes through unchanged.

One timer per call, not an `asyncio.timeout()` per streamed event, which would schedule
and cancel a timer for every event of every answer.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable
from typing import TypeVar

from deskpilot.llm.types import ProviderError

T = TypeVar("T")


class CallDeadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        loop = asyncio.get_running_loop()
        self._expired = False
        self._cancelled_by_us = False
        self._waiting: asyncio.Task[object] | None = None
        self._timer = loop.call_at(loop.time() + seconds, self._expire)

    def _expire(self) -> None:
        self._expired = True
        if self._waiting is not None:
            self._cancelled_by_us = True
            self._waiting.cancel()

    async def wait(self, awaitable: Awaitable[T]) -> T:
        """Await within the deadline, or raise ProviderError("timeout")."""
        if self._expired:
            close = getattr(awaitable, "close", None)
            if close is not None:
                close()  # a coroutine never awaited
            raise self._error()
        task = asyncio.current_task()
        assert task is not None
        cancelling = task.cancelling()
        self._waiting = task
        try:
            result = await awaitable
        except asyncio.CancelledError:
            # Ours alone (no Stop pending besides): the call timed out.
            if self._cancelled_by_us and task.uncancel() <= cancelling:
                raise self._error() from None
            raise
        finally:
            self._waiting = None
        if self._cancelled_by_us:  # the awaited call swallowed our cancellation
            task.uncancel()
            raise self._error()
        return result

    async def each(self, events: AsyncIterator[T]) -> AsyncIterator[T]:
        """The events of a stream, each awaited within the deadline."""
        while True:
            try:
                event = await self.wait(anext(events))
            except StopAsyncIteration:
                return
            yield event

    def close(self) -> None:
        """The call is over: drop the timer."""
        self._timer.cancel()

    def _error(self) -> ProviderError:
        return ProviderError(
            "timeout",
            f"The model did not answer within {self.seconds:g} seconds (retries included).",
        )


async def within(seconds: float, awaitable: Awaitable[T]) -> T:
    """One awaited model call (no stream) within its deadline."""
    deadline = CallDeadline(seconds)
    try:
        return await deadline.wait(awaitable)
    finally:
        deadline.close()
