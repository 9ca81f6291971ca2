"""An instant OpenAI-compatible Chat Completions server for the chat benchmark.

    uv run python -m bench.chat_fake_llm --port 8799     # base URL http://127.0.0.1:8799/v1

Stateless, answers every request at once, in the real wire format (the `openai` SDK
parses it):
- a streamed request whose last message is a `tool` result → a text answer streamed in
  4-character chunks (the final answer of a turn);
- a streamed request whose last user message is "close #N" → one `update_ticket` call closing
  ticket N (bench.proposals_bench: the write the agent approves);
- a streamed request whose last user message starts with "say:" → the text answer at once,
  without a tool call (bench.turn_cpu's plain-text turn);
- any other streamed request → one `search_tickets` tool call, arguments in fragments;
- a non-streamed request (the session title) → a short title as one JSON document.

`--delay S` makes it wait S seconds before answering each streamed request (a slow model:
bench.turns_bench).

It measures itself so the benchmark can subtract the model's share from a turn:
`GET /_bench/stats` → `{"requests", "busy_s", "first_text_sent", "calls"}` where `busy_s` sums the
time spent in the handler (from the request reaching the app to the last byte handed to
the socket) and `first_text_sent` is `time.perf_counter()` just after the first text chunk
of the latest text answer was written; `calls` lists (start, end) of the latest
model calls. On Linux `perf_counter` is CLOCK_MONOTONIC, which
is one clock for every process on the machine, so the benchmark compares it with its own.
127.0.0.1 only; a raw ASGI app to keep its own overhead small.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import time
import uuid
from collections import deque
from typing import Any, ClassVar

import uvicorn

ANSWER = (
    "I found several open printer tickets. #12 and #34 look the most relevant: both report "
    "the print queue stalling after the driver update on the Berlin office floor printers. "
    "The usual fix is to restart the spooler and reinstall the driver; shall I add a note?"
)
TITLE = "Printer queue stalls in Berlin"
SEARCH_ARGUMENTS = json.dumps({"query": "printer", "status": "open", "limit": 5})
CLOSE = re.compile(r"^close #(\d+)$")
SAY = "say:"  # a user message starting so is answered in text at once, without tools
CHUNK = 4


class Stats:
    delay = 0.0  # seconds before each streamed answer starts (--delay)
    requests = 0
    busy_s = 0.0
    first_text_sent = 0.0
    calls: ClassVar[deque[tuple[float, float]]] = deque(
        maxlen=8
    )  # (start, end) of the latest calls


def _sse(data: dict[str, Any]) -> bytes:
    return b"data: " + json.dumps(data).encode() + b"\n\n"


def _last_user_text(body: dict[str, Any]) -> str:
    users = [m for m in body.get("messages") or [] if m.get("role") == "user"]
    content = users[-1].get("content") if users else ""
    return content if isinstance(content, str) else ""


def _tool_call(body: dict[str, Any]) -> tuple[str, str]:
    """(name, JSON arguments) of the call to propose for the conversation's last user message."""
    content = _last_user_text(body)
    match = CLOSE.match(content)
    if match:
        return "update_ticket", json.dumps({"ticket_id": int(match[1]), "status": "closed"})
    return "search_tickets", SEARCH_ARGUMENTS


def _chunks(body: dict[str, Any], *, answer: bool) -> list[bytes]:
    head = {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "fake-model"),
        "system_fingerprint": "fp_bench",
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return _sse({**head, "choices": [choice]})

    events = [chunk({"role": "assistant", "content": "" if answer else None})]
    if answer:
        events += [chunk({"content": ANSWER[i : i + CHUNK]}) for i in range(0, len(ANSWER), CHUNK)]
        events.append(chunk({}, "stop"))
    else:
        call_id = f"call_{uuid.uuid4().hex[:24]}"
        name, arguments = _tool_call(body)
        opening = {
            "index": 0,
            "id": call_id,
            "type": "function",
            "function": {"name": name, "arguments": ""},
        }
        events.append(chunk({"tool_calls": [opening]}))
        for i in range(0, len(arguments), 8):
            piece = arguments[i : i + 8]
            events.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}))
        events.append(chunk({}, "tool_calls"))
    events.append(b"data: [DONE]\n\n")
    return events


def _title(body: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": TITLE, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }
    ).encode()


async def _read_body(receive: Any) -> bytes:
    parts = []
    while True:
        message = await receive()
        parts.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(parts)


async def _respond(send: Any, status: int, content_type: bytes, body: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    started = time.perf_counter()
    path = scope["path"]
    if path == "/_bench/stats":
        stats = {
            "requests": Stats.requests,
            "busy_s": Stats.busy_s,
            "first_text_sent": Stats.first_text_sent,
            "calls": list(Stats.calls),
        }
        await _respond(send, 200, b"application/json", json.dumps(stats).encode())
        return
    if path != "/v1/chat/completions" or scope["method"] != "POST":
        await _respond(send, 404, b"application/json", b'{"error": {"message": "not found"}}')
        return
    body = json.loads(await _read_body(receive))
    if not body.get("stream"):
        await _respond(send, 200, b"application/json", _title(body))
    else:
        messages = body.get("messages") or [{}]
        answer = messages[-1].get("role") == "tool" or _last_user_text(body).startswith(SAY)
        if Stats.delay:
            await asyncio.sleep(Stats.delay)
        headers = [(b"content-type", b"text/event-stream; charset=utf-8")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        events = _chunks(body, answer=answer)
        for index, event in enumerate(events):
            await send({"type": "http.response.body", "body": event, "more_body": True})
            if answer and index == 1:  # events[1] carries the first text
                Stats.first_text_sent = time.perf_counter()
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    ended = time.perf_counter()
    Stats.requests += 1
    Stats.busy_s += ended - started
    Stats.calls.append((started, ended))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args()
    Stats.delay = args.delay
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        lifespan="off",
        access_log=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
