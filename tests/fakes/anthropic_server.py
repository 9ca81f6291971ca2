"""A fake Anthropic Messages API server speaking the real wire format.

    from tests.fakes import FakeAnthropicServer, call, status, text, tool_calls

    async with FakeAnthropicServer() as fake:   # real HTTP on 127.0.0.1, free port
        fake.script(
            status(529),                        # overloaded, retried by the SDK
            tool_calls(call("get_ticket", {"ticket_id": 47}), text="Let me look."),
            text("Ticket #47 is about the printer."),
        )
        settings = Settings(
            llm_provider="anthropic", llm_base_url=fake.base_url, llm_api_key="test"
        )
        ...
        assert fake.requests[-1]["messages"][-1]["content"][0]["type"] == "tool_result"

`fake.base_url` is `http://127.0.0.1:PORT` (the SDK appends `/v1/messages`).
Any API key is accepted; `fake.headers` holds each request's headers.

Streamed requests (`"stream": true`) get the real SSE sequence: message_start,
then per content block content_block_start / content_block_delta (text_delta,
or input_json_delta with the tool input in fragments) / content_block_stop, a
ping, message_delta with the stop_reason (end_turn, or tool_use when there are
calls) and the cumulative usage, message_stop. Usage as the real API reports it:
`input_tokens` counts only the uncached prompt tokens, `cache_read_input_tokens` and
`cache_creation_input_tokens` the rest; message_start carries the input and an
`output_tokens` of 1, message_delta the final counts. Other requests get one `message` object (a tool_use
`input` that is not valid JSON is sent as `{}` there, since the shape demands
an object). Errors use `{"type": "error", "error": {"type": ..., "message": ...}}`
with the real error types (rate_limit_error, api_error, overloaded_error, ...).

Like the real API the fake refuses (400, invalid_request_error) a `system`
role inside `messages`, empty text blocks, a non-final message with empty
content, tool_use blocks without matching tool_result blocks in the very next
user message, and tool_result blocks answering no tool_use in the message
before. The scripting language is documented in tests/fakes/scripting.py.
Share one server between tests with `fake.reset()` in between.
"""

import json
import uuid
from typing import Any

from tests.fakes._server import FakeModelServer
from tests.fakes.scripting import Tokens, Turn, pieces

_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    504: "timeout_error",
    529: "overloaded_error",
}


def _event(name: str, data: dict[str, Any]) -> bytes:
    return f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n".encode()


class FakeAnthropicServer(FakeModelServer):
    """A streamed reply is named events: message_start, each content block's start, deltas and
    stop (a ping after a text block's start), message_delta with the stop reason, message_stop."""

    api_path = "/v1/messages"
    base_path = ""
    call_id_prefix = "toolu_"
    stop_reasons = ("end_turn", "tool_use")

    def stream_events(self, turn: Turn, body: dict[str, Any]) -> list[bytes]:
        message = self._message(turn, body, content=[], stop_reason=None)
        events = [_event("message_start", {"message": message})]
        blocks: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        if turn.text:
            texts = pieces(turn.text, turn.fragments)
            deltas = [{"type": "text_delta", "text": piece} for piece in texts]
            blocks.append(({"type": "text", "text": ""}, deltas))
        for call_id, tool_call in self.calls(turn):
            block = {"type": "tool_use", "id": call_id, "name": tool_call.name, "input": {}}
            parts = pieces(tool_call.arguments, turn.fragments)
            blocks.append((block, [{"type": "input_json_delta", "partial_json": p} for p in parts]))
        for index, (block, deltas) in enumerate(blocks):
            events.append(_event("content_block_start", {"index": index, "content_block": block}))
            if block["type"] == "text":
                events.append(_event("ping", {}))
            events += [
                _event("content_block_delta", {"index": index, "delta": delta}) for delta in deltas
            ]
            events.append(_event("content_block_stop", {"index": index}))
        events.append(
            _event(
                "message_delta",
                {
                    "delta": {"stop_reason": self.stop_reason(turn), "stop_sequence": None},
                    "usage": _usage(turn.tokens_for(body), final=True),
                },
            )
        )
        events.append(_event("message_stop", {}))
        return events

    def stream_error_event(self) -> bytes:
        return _event("error", {"error": {"type": "overloaded_error", "message": "Overloaded"}})

    def json_reply(self, turn: Turn, body: dict[str, Any]) -> dict[str, Any]:
        content: list[dict[str, Any]] = []
        if turn.text:
            content.append({"type": "text", "text": turn.text})
        for call_id, tool_call in self.calls(turn):
            try:
                tool_input = json.loads(tool_call.arguments)
            except ValueError:
                tool_input = {}
            content.append(
                {"type": "tool_use", "id": call_id, "name": tool_call.name, "input": tool_input}
            )
        return self._message(turn, body, content=content, stop_reason=self.stop_reason(turn))

    def error_body(self, status: int, message: str | None) -> dict[str, Any]:
        kind = _ERROR_TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")
        return {
            "type": "error",
            "error": {"type": kind, "message": message or kind.replace("_", " ")},
            "request_id": f"req_{uuid.uuid4().hex[:24]}",
        }

    def validate(self, body: dict[str, Any]) -> str | None:
        for key in ("model", "max_tokens", "messages"):
            if not body.get(key):
                return f"{key}: Field required"
        for tool in body.get("tools") or []:
            if not tool.get("name") or not isinstance(tool.get("input_schema"), dict):
                return "tools: each tool needs a name and an input_schema object"
        return _check_messages(body["messages"])

    @staticmethod
    def _message(
        turn: Turn, body: dict[str, Any], *, content: list[dict[str, Any]], stop_reason: str | None
    ) -> dict[str, Any]:
        return {
            "id": f"msg_{uuid.uuid4().hex[:24]}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "fake-model"),
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {
                **_usage(turn.tokens_for(body), final=stop_reason is not None),
                "service_tier": "standard",
            },
        }


def _usage(tokens: Tokens, *, final: bool) -> dict[str, int]:
    """Counts as the API gives them: the cached part of the prompt apart."""
    return {
        "input_tokens": tokens.input - tokens.cached,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": tokens.cached,
        "output_tokens": tokens.output if final else 1,
    }


def _blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return list(content or [])


def _check_messages(messages: list[dict[str, Any]]) -> str | None:
    previous_tool_uses: set[str] = set()
    for index, message in enumerate(messages):
        role = message.get("role")
        if role not in {"user", "assistant"}:
            return (
                f'messages.{index}.role: Unexpected role "{role}". The Messages API accepts '
                "a top-level `system` parameter, not a system role in messages."
            )
        blocks = _blocks(message)
        if not blocks and index != len(messages) - 1:
            return (
                f"messages.{index}: all messages must have non-empty content except for "
                "the optional final assistant message"
            )
        for position, block in enumerate(blocks):
            if block.get("type") == "text" and not block.get("text"):
                return f"messages.{index}.content.{position}: text content blocks must be non-empty"
            if block.get("type") == "tool_use" and not isinstance(block.get("input"), dict):
                return (
                    f"messages.{index}.content.{position}.tool_use.input: Input should be an object"
                )
        results = [b.get("tool_use_id") for b in blocks if b.get("type") == "tool_result"]
        unexpected = [r for r in results if r not in previous_tool_uses]
        if unexpected:
            return (
                f"messages.{index}: unexpected `tool_use_id` found in `tool_result` blocks: "
                f"{', '.join(map(str, unexpected))}. Each `tool_result` block must have a "
                "corresponding `tool_use` block in the previous message."
            )
        missing = previous_tool_uses - set(results)
        if missing:
            return (
                f"messages.{index}: `tool_use` ids were found without `tool_result` blocks "
                f"immediately after: {', '.join(sorted(missing))}. Each `tool_use` block must "
                "have a corresponding `tool_result` block in the next message."
            )
        previous_tool_uses = {b["id"] for b in blocks if b.get("type") == "tool_use"}
    return None
