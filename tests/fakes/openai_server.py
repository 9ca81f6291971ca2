"""A fake OpenAI-compatible Chat Completions server speaking the real wire format.

    from tests.fakes import FakeOpenAIServer, call, status, text, tool_calls

    async with FakeOpenAIServer() as fake:      # real HTTP on 127.0.0.1, free port
        fake.script(
            status(429, retry_after_ms=5),
            tool_calls(call("search_tickets", '{"query": "printer"}'), fragments=True),
            text("Ticket #12 matches."),
        )
        settings = Settings(
            llm_provider="openai", llm_base_url=fake.base_url, llm_api_key="test"
        )
        ...                                     # drive the app / provider
        assert len(fake.requests) == 3          # parsed JSON bodies, in order
        assert fake.requests[-1]["messages"][-1]["role"] == "tool"

`fake.base_url` is `http://127.0.0.1:PORT/v1` (what `AsyncOpenAI(base_url=...)`
and `DESKPILOT_LLM_BASE_URL` expect); the endpoint is `POST /v1/chat/completions`.
Any API key is accepted; `fake.headers` holds each request's headers.

Streamed requests (`"stream": true`) get `chat.completion.chunk` SSE events:
a role chunk, text chunks, tool-call chunks (id, type and name first, then
the arguments, fragment by fragment, keyed by `index`), a chunk with
`finish_reason`, a usage chunk with empty `choices` if the request asked for
`stream_options.include_usage` (the other chunks then carry `"usage": null`, as the
real API's do), then `data: [DONE]`. Other requests get one `chat.completion` object,
with its usage. Set `fake.honours_include_usage = False` to play a compatible server
that ignores the option (some older ones never report usage when streaming).

Like the real API, the fake refuses (400, `invalid_request_error`) a history
where an assistant message's `tool_calls` are not answered by `tool` messages
right after it, or a `tool` message that answers no such call. The scripting
language (`text`, `tool_calls`, `call`, `status` and their options such as
`delay`, `cut_after`, `repeat_forever`) is documented in tests/fakes/scripting.py.
Share one server between tests with `fake.reset()` in between.

`fake.plays_llama_cpp_python = True` plays llama-cpp-python's server with
`--chat_format chatml-function-calling`, as it answers (500, its error body):
a streamed request with tools and `tool_choice: "auto"` ("Automatic streaming tool
choice is not supported"), and an assistant message whose content is null.
"""

import json
import time
import uuid
from typing import Any

from tests.fakes._server import FakeModelServer
from tests.fakes.scripting import Tokens, Turn, pieces

_ERROR_KINDS = {
    401: ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
    403: ("invalid_request_error", "unsupported_country_region_territory", "Forbidden."),
    404: ("invalid_request_error", "model_not_found", "The model does not exist."),
    429: ("requests", "rate_limit_exceeded", "Rate limit reached for requests."),
}


def _sse(data: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(data)}\n\n".encode()


class FakeOpenAIServer(FakeModelServer):
    """A streamed reply is `chat.completion.chunk` objects on `data:` lines, the role first and
    `data: [DONE]` last; an error mid-stream is an error body on a `data:` line of its own."""

    api_path = "/v1/chat/completions"
    base_path = "/v1"
    call_id_prefix = "call_"
    stop_reasons = ("stop", "tool_calls")
    honours_include_usage = True
    plays_llama_cpp_python = False

    def reset(self) -> None:
        super().reset()
        self.honours_include_usage = True
        self.plays_llama_cpp_python = False

    def server_error(self, body: dict[str, Any]) -> str | None:
        if not self.plays_llama_cpp_python:
            return None
        if body.get("stream") and body.get("tools") and body.get("tool_choice") == "auto":
            return "Automatic streaming tool choice is not supported"
        for index, message in enumerate(body.get("messages") or []):
            if message.get("role") == "assistant" and message.get("content") is None:
                return (
                    "1 validation error: {'type': 'string_type', "
                    f"'loc': ('body', 'messages', {index}, 'content')}}"
                )
        return None

    def stream_events(self, turn: Turn, body: dict[str, Any]) -> list[bytes]:
        head = {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "system_fingerprint": "fp_fake",
        }

        with_usage = self.honours_include_usage and bool(
            (body.get("stream_options") or {}).get("include_usage")
        )
        if with_usage:
            head["usage"] = None

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            return _sse({**head, "choices": [choice]})

        first_content = "" if turn.text or not turn.calls else None
        events = [chunk({"role": "assistant", "content": first_content, "refusal": None})]
        if turn.text:
            events += [chunk({"content": piece}) for piece in pieces(turn.text, turn.fragments)]
        for index, (call_id, tool_call) in enumerate(self.calls(turn)):
            arguments = pieces(tool_call.arguments, turn.fragments)
            opening = {
                "index": index,
                "id": call_id,
                "type": "function",
                "function": {
                    "name": tool_call.name,
                    "arguments": "" if turn.fragments else arguments[0],
                },
            }
            events.append(chunk({"tool_calls": [opening]}))
            if turn.fragments:
                events += [
                    chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
                    for piece in arguments
                ]
        events.append(chunk({}, self.stop_reason(turn)))
        if with_usage:
            events.append(_sse({**head, "choices": [], "usage": _usage(turn.tokens_for(body))}))
        events.append(b"data: [DONE]\n\n")
        return events

    def stream_error_event(self) -> bytes:
        return _sse(self.error_body(500, None))

    def json_reply(self, turn: Turn, body: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": turn.text or None,
            "refusal": None,
            "annotations": [],
        }
        if turn.calls:
            message["tool_calls"] = [
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                }
                for call_id, c in self.calls(turn)
            ]
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", "fake-model"),
            "system_fingerprint": "fp_fake",
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": self.stop_reason(turn),
                }
            ],
            "usage": _usage(turn.tokens_for(body)),
        }

    def error_body(self, status: int, message: str | None) -> dict[str, Any]:
        kind, code, default = _ERROR_KINDS.get(
            status, ("invalid_request_error", None, "Bad request.")
        )
        if status >= 500:
            kind, code, default = "server_error", None, "The server had an error."
        return {"error": {"message": message or default, "type": kind, "param": None, "code": code}}

    def validate(self, body: dict[str, Any]) -> str | None:
        if not body.get("model"):
            return "you must provide a model parameter"
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return "'messages' must be a non-empty array"
        for tool in body.get("tools") or []:
            if tool.get("type") != "function" or not tool.get("function", {}).get("name"):
                return "Invalid 'tools': each tool needs type 'function' and function.name"
        return _check_tool_pairing(messages)


def _check_tool_pairing(messages: list[dict[str, Any]]) -> str | None:
    """The real API's rule: assistant tool_calls are answered by tool messages right after."""
    pending: set[str] = set()
    answering = False  # inside the run of tool messages after an assistant's tool_calls
    for index, message in enumerate(messages):
        role = message.get("role")
        if role not in {"system", "developer", "user", "assistant", "tool"}:
            return f"Invalid value: '{role}' at messages[{index}].role"
        if role == "tool":
            call_id = message.get("tool_call_id")
            if not answering or call_id not in pending:
                return (
                    f"Invalid parameter: messages[{index}] with role 'tool' must be a response "
                    "to a preceding message with 'tool_calls'."
                )
            pending.discard(call_id)
            continue
        if pending:
            return (
                "An assistant message with 'tool_calls' must be followed by tool messages "
                "responding to each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(sorted(pending))}"
            )
        calls = (message.get("tool_calls") or []) if role == "assistant" else []
        pending = {c.get("id") for c in calls}
        answering = bool(calls)
    if pending:
        return f"tool_call_ids did not have response messages: {', '.join(sorted(pending))}"
    return None


def _usage(tokens: Tokens) -> dict[str, Any]:
    """The API's usage object: prompt tokens include the cached ones."""
    return {
        "prompt_tokens": tokens.input,
        "completion_tokens": tokens.output,
        "total_tokens": tokens.input + tokens.output,
        "prompt_tokens_details": {"cached_tokens": tokens.cached, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }
