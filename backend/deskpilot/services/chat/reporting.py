"""How a chat turn is reported when it ends: one log line (who, which chat and model, the
tokens, how long, how it ended; never what was said) and the turn metrics."""

import logging
import time
import uuid

from deskpilot.core import metrics
from deskpilot.services.chat_llm_service import TurnResult

logger = logging.getLogger("deskpilot.chat")


class TurnReport:
    def __init__(
        self, *, user_id: uuid.UUID, session_id: uuid.UUID, provider: str, model: str
    ) -> None:
        self._started = time.perf_counter()
        self._fields = {
            "event": "chat_turn",
            "user_id": str(user_id),
            "chat_session_id": str(session_id),
            "provider": provider,
            "model": model,
        }
        self.outcome = "failed"  # complete, failed, incomplete or replayed, once known
        self.error: str | None = None  # the stored reply's error code

    def finished(self, result: TurnResult) -> None:
        metrics.chat_turns.labels(self.outcome).inc()
        usage = result.usage
        logger.info(
            "chat turn %s",
            self.outcome,
            extra={
                "data": {
                    **self._fields,
                    "outcome": self.outcome,
                    "error": self.error,
                    "duration_ms": round((time.perf_counter() - self._started) * 1000, 1),
                    "model_ms": round(result.model_seconds * 1000, 1),
                    "model_calls": result.model_calls,
                    "tool_calls": len(result.runs),
                    "input_tokens": usage.input_tokens if usage else None,
                    "output_tokens": usage.output_tokens if usage else None,
                }
            },
        )
