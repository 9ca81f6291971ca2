"""An OpenAI-compatible server's answer read into a ModelTurn: streamed chunk by chunk, or
whole (for a server that will not stream with tools), as the JSON it sent, parsed.

`ModelTurn.stop_reason` is normalised to "stop", "tool_calls" or "length"; other
finish reasons (e.g. "content_filter") pass through unchanged.
"""

from typing import Any

from deskpilot.llm.stream import CallParts, assemble_calls
from deskpilot.llm.types import ModelTurn, ProviderError, Usage

_STOP_REASONS = {"stop": "stop", "tool_calls": "tool_calls", "function_call": "tool_calls"}


class OpenAITurnBuilder:
    """Accumulates streamed chunks: text, and tool calls keyed by their `index`."""

    def __init__(self) -> None:
        self._text: list[str] = []
        self._calls: dict[int, CallParts] = {}
        self._finish_reason: str | None = None
        self._usage: Usage | None = None

    def feed(self, chunk: object) -> str:
        """Take one chunk (its JSON, as parsed); return the text it adds (may be empty)."""
        if not isinstance(chunk, dict):
            raise ProviderError(
                "bad_response", "The model sent a stream chunk that is not an object."
            )
        added = ""
        for choice in _dicts(chunk.get("choices")):  # empty in a trailing usage chunk
            delta = choice.get("delta")
            if isinstance(delta, dict):
                added += _text(delta.get("content")) + _text(delta.get("refusal"))
                for fragment in _dicts(delta.get("tool_calls")):
                    self._feed_call(fragment)
            finish_reason = choice.get("finish_reason")
            if isinstance(finish_reason, str):
                self._finish_reason = finish_reason
        usage = chunk.get("usage")  # the last chunk's, with stream_options.include_usage
        if isinstance(usage, dict):
            self._usage = Usage(
                _count(usage.get("prompt_tokens")), _count(usage.get("completion_tokens"))
            )
        self._text.append(added)
        return added

    def feed_whole(self, reply: object) -> None:
        """Take a non-streamed answer (a `chat.completion`, as parsed) as if streamed."""
        if not isinstance(reply, dict) or not isinstance(reply.get("choices"), list):
            raise ProviderError("bad_response", "The model sent an answer that is not an object.")
        choices = []
        for choice in _dicts(reply["choices"]):
            message = choice.get("message")
            delta = dict(message) if isinstance(message, dict) else {}
            delta["tool_calls"] = [
                {**call, "index": index}
                for index, call in enumerate(_dicts(delta.get("tool_calls")))
            ]
            choices.append({"delta": delta, "finish_reason": choice.get("finish_reason")})
        self.feed({"choices": choices, "usage": reply.get("usage")})

    def _feed_call(self, fragment: dict[str, Any]) -> None:
        index = fragment.get("index")
        parts = self._calls.setdefault(index if isinstance(index, int) else 0, CallParts())
        if isinstance(fragment.get("id"), str) and fragment["id"]:
            parts.id = fragment["id"]
        function = fragment.get("function")
        if isinstance(function, dict):
            # The name comes whole in the first fragment; some servers repeat it.
            name = function.get("name")
            if isinstance(name, str) and name and not parts.name:
                parts.name = name
            arguments = function.get("arguments")
            if isinstance(arguments, str) and arguments:
                parts.arguments.append(arguments)

    def turn(self) -> ModelTurn:
        if self._finish_reason is None:
            # The SDK ends quietly when the body ends, even without `[DONE]`.
            raise ProviderError("bad_response", "The model's answer was cut off mid-stream.")
        calls = assemble_calls(self._calls, "call_")
        stop_reason = _STOP_REASONS.get(self._finish_reason, self._finish_reason)
        if calls and stop_reason == "stop":  # e.g. Ollama says "stop" after tool calls
            stop_reason = "tool_calls"
        return ModelTurn(
            text="".join(self._text), tool_calls=calls, stop_reason=stop_reason, usage=self._usage
        )


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _count(value: object) -> int:
    return value if isinstance(value, int) and value > 0 else 0
