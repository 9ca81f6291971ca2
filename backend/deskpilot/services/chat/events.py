"""What a chat turn sends: events that serialise themselves as Server-Sent Events, pings
that keep a silent stream alive through proxies, and the JSON answer a turn ends in."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal

from deskpilot.core.errors import ProviderFailed, ProviderTimeout, TurnFailed, error_body
from deskpilot.services.chat.tools import tool_label
from deskpilot.services.chat_llm_service import ToolCallRun

# Proxies close a response that sends nothing for a while (nginx: 60 s by default), and a
# model may think for longer than that before its first word.
PING_INTERVAL_SECONDS = 15.0
PING = b": ping\n\n"  # an SSE comment: clients ignore it

EventName = Literal[
    "user_message",
    "text_delta",
    "tool_call_started",
    "tool_call_finished",
    "assistant_message",
    "approval_required",  # the reply paused on proposals (its final event)
    "proposal_updated",  # a decision, before the reply goes on
    "error",
    "session_title",
    "done",
]


@dataclass(frozen=True)
class TurnEvent:
    name: EventName
    data: dict[str, Any]

    @property
    def final(self) -> bool:
        """The turn's outcome: its reply (maybe paused on proposals) or its error."""
        return self.name in ("assistant_message", "approval_required", "error")

    def sse(self) -> bytes:
        return f"event: {self.name}\ndata: {json.dumps(self.data, ensure_ascii=False)}\n\n".encode()


DONE = TurnEvent("done", {})


def tool_started_data(run: ToolCallRun) -> dict[str, Any]:
    """`tool_call_started`: the call as the model made it, and its label."""
    return {
        "id": run.call.id,
        "name": run.call.name,
        "arguments": run.record_arguments(),
        "label": tool_label(run.call),
    }


def tool_finished_data(run: ToolCallRun) -> dict[str, Any]:
    """`tool_call_finished`: what the call did, and how long it took."""
    assert run.outcome is not None
    return {**tool_ran_data(run), "duration_ms": run.outcome.duration_ms}


def tool_ran_data(run: ToolCallRun) -> dict[str, Any]:
    """What a finished call did (an `error` event lists them: a failed turn may have written)."""
    assert run.outcome is not None
    return {
        "id": run.call.id,
        "name": run.call.name,
        "status": run.outcome.status,
        "summary": run.outcome.summary,
        "tickets": [t.model_dump(mode="json") for t in run.outcome.tickets],
    }


# A turn that failed after the user message was stored is answered as unavailable, not as
# a server crash: the failure was handled, the message and a failed reply are stored, and
# resending the same client_message_id retries it.
_TURN_FAILURE_STATUS = {
    ProviderFailed.code: ProviderFailed.status_code,  # 502
    ProviderTimeout.code: ProviderTimeout.status_code,  # 504
    TurnFailed.code: TurnFailed.status_code,  # 503
}


@dataclass(frozen=True)
class TurnReply:
    """The JSON answer to a message: the stored reply, or the error with its status."""

    body: dict[str, Any]
    status_code: int = 200


def reply_of(final: TurnEvent | None) -> TurnReply:
    if final is not None and final.name in ("assistant_message", "approval_required"):
        return TurnReply(final.data["message"])
    failure = final.data if final is not None else {}
    failure = failure or {"code": "internal_error", "message": "No reply was produced"}
    code, message_id = str(failure["code"]), failure.get("message_id")
    # The failed reply is stored: its id lets the client show it and resend the message.
    details = [{"field": "message_id", "message": str(message_id)}] if message_id else []
    # What the failed turn did before it failed (a ticket it created stays created).
    details += [
        {"field": "tool_call", "message": str(ran["summary"])}
        for ran in failure.get("tool_calls") or []
        if ran.get("status") == "ok"
    ]
    return TurnReply(
        error_body(code, str(failure["message"]), details),
        _TURN_FAILURE_STATUS.get(code, ProviderFailed.status_code),
    )


async def with_pings(chunks: AsyncIterator[bytes], interval: float) -> AsyncIterator[bytes]:
    """The chunks as they come, and a PING whenever `interval` seconds pass without one."""
    pending: asyncio.Future[bytes] | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(chunks))
            # wait() rather than wait_for(): a timeout must not cancel the pending read.
            done, _ = await asyncio.wait({pending}, timeout=interval)
            if not done:
                yield PING
                continue
            try:
                chunk = pending.result()
            except StopAsyncIteration:
                return
            pending = None
            yield chunk
    finally:
        # No await here: this may run while the response is being cancelled. Cancelling the
        # read ends the source generator where it waits (its own cleanup runs).
        if pending is not None:
            pending.cancel()
