"""A ChatModel that measures the one it wraps (core/metrics.py): each call's duration and
outcome, its errors by code, and the tokens the provider reported. The registry hands out
models wrapped in it, so every provider is measured the same way."""

import time
from collections.abc import AsyncIterator, Sequence

from deskpilot.core import metrics
from deskpilot.llm.types import (
    ChatModel,
    Completion,
    ConversationContext,
    Message,
    ModelEvent,
    ModelTurn,
    ProviderError,
    ToolSpec,
    Usage,
)


class MeasuredChatModel:
    def __init__(self, inner: ChatModel) -> None:
        self.inner = inner
        self.provider = inner.provider
        self.model = inner.model
        self.offline = inner.offline

    async def stream_turn(
        self,
        *,
        system: str,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        context: ConversationContext,
    ) -> AsyncIterator[ModelEvent]:
        started, outcome = time.perf_counter(), "cancelled"
        try:
            async for event in self.inner.stream_turn(
                system=system, messages=messages, tools=tools, context=context
            ):
                if isinstance(event, ModelTurn):
                    outcome = "ok"
                    self._count(event.usage)
                yield event
        except Exception as exc:
            outcome = self._failed(exc)
            raise
        finally:
            self._observe("stream", outcome, started)

    async def complete(self, *, system: str, prompt: str, max_tokens: int = 64) -> Completion:
        started, outcome = time.perf_counter(), "cancelled"
        try:
            completion = await self.inner.complete(
                system=system, prompt=prompt, max_tokens=max_tokens
            )
        except Exception as exc:
            outcome = self._failed(exc)
            raise
        finally:
            self._observe("complete", outcome, started)
        self._count(completion.usage)
        return completion

    async def aclose(self) -> None:
        await self.inner.aclose()

    def _failed(self, exc: Exception) -> str:
        code = exc.code if isinstance(exc, ProviderError) else "internal"
        metrics.model_call_errors.labels(self.provider, self.model, code).inc()
        return "error"

    def _observe(self, kind: str, outcome: str, started: float) -> None:
        metrics.model_call_duration.labels(self.provider, self.model, kind, outcome).observe(
            time.perf_counter() - started
        )

    def _count(self, usage: Usage | None) -> None:
        if usage is None:
            return
        tokens = metrics.model_tokens
        tokens.labels(self.provider, self.model, "input").inc(usage.input_tokens)
        tokens.labels(self.provider, self.model, "output").inc(usage.output_tokens)
