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
CLOCK_SLACK_SECONDS = 0.001  # a timer may fire this much early (loop clocks in ms)

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
    "ping",  # sent as the PING comment (pinged())
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
        if self.name == "ping":
            return PING
        return f"event: {self.name}\ndata: {json.dumps(self.data, ensure_ascii=False)}\n\n".encode()


DONE = TurnEvent("done", {})
PING_EVENT = TurnEvent("ping", {})


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


async def pinged(
    queue: "asyncio.Queue[TurnEvent | None]", interval: float
) -> AsyncIterator[TurnEvent]:
    """The queue's events until None, and PING_EVENT whenever its reader has waited
    `interval` seconds with nothing to read.

    One timer for the stream, set when the reader starts waiting and none is pending (the
    reader only notes when it began to wait, per event), rather than a task and an
    `asyncio.wait()` per event, which were ~7% of a streamed turn's CPU."""
    loop = asyncio.get_running_loop()
    waiting_since = 0.0  # when the reader began to wait; 0 while it is busy
    timer: asyncio.TimerHandle | None = None

    def due() -> None:
        nonlocal timer
        timer = None
        if not waiting_since:
            return  # busy: it sets the timer again when it next waits
        if loop.time() < waiting_since + interval - CLOCK_SLACK_SECONDS:
            timer = loop.call_at(waiting_since + interval, due)  # it waited again since
        elif queue.empty():
            queue.put_nowait(PING_EVENT)

    try:
        while True:
            waiting_since = loop.time()
            if timer is None:
                timer = loop.call_at(waiting_since + interval, due)
            event = await queue.get()
            waiting_since = 0.0
            if event is None:
                return
            yield event
    finally:
        waiting_since = 0.0
        if timer is not None:
            timer.cancel()
