"""A ChatModel that measures the one it wraps (core/metrics.py): each call's duration and
outcome, its errors by code, and the tokens the provider reported. The registry hands out
models wrapped in it, so every provider is measured the same way."""

import time
from collections.abc import AsyncIterator

from deskpilot.core import metrics
from deskpilot.llm.types import Completion, ModelEvent, ModelTurn, ProviderError, Usage
from deskpilot.llm.wrapper import ChatModelWrapper


class MeasuredChatModel(ChatModelWrapper):
    async def _relay(self, events: AsyncIterator[ModelEvent]) -> AsyncIterator[ModelEvent]:
        started, outcome = time.perf_counter(), "cancelled"
        try:
            async for event in events:
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
            completion = await super().complete(system=system, prompt=prompt, max_tokens=max_tokens)
        except Exception as exc:
            outcome = self._failed(exc)
            raise
        finally:
            self._observe("complete", outcome, started)
        self._count(completion.usage)
        return completion

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
