"""ChatModel over the Anthropic Messages API, streamed.

The SDK retries 429, 5xx (529 overloaded included) and connection errors,
honouring `retry-after-ms` / `retry-after`, while it waits for the response to
start, so retries only ever happen before the first event is yielded. The whole call,
retries and stream included, ends at `llm_deadline_seconds` (backend/deskpilot/llm/deadline.py).

`ModelTurn.stop_reason` is normalised like the OpenAI provider's: end_turn and
stop_sequence → "stop", tool_use → "tool_calls", max_tokens → "length"; other
values (e.g. "refusal") pass through unchanged.
"""

import json
from collections.abc import Awaitable, Sequence

import anthropic
import httpx2
from anthropic.types import (
    ContentBlockParam,
    InputJSONDelta,
    MessageParam,
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStopEvent,
    RawMessageStreamEvent,
    TextBlock,
    ToolParam,
    ToolResultBlockParam,
    ToolUseBlock,
)
from anthropic.types import TextDelta as AnthropicTextDelta

from deskpilot.core.config import Settings
from deskpilot.llm.errors import connection_error, really_timed_out, status_error
from deskpilot.llm.remote import RemoteChatModel, client_options
from deskpilot.llm.stream import CallParts, assemble_calls
from deskpilot.llm.types import (
    Completion,
    Message,
    ModelTurn,
    ProviderError,
    ProviderErrorCode,
    ToolCall,
    ToolSpec,
    Usage,
)

_STOP_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "tool_use": "tool_calls",
    "max_tokens": "length",
}

# For errors sent as an SSE `error` event inside a 200 response.
_ERROR_TYPES: dict[str, ProviderErrorCode] = {
    "rate_limit_error": "rate_limited",
    "authentication_error": "auth",
    "permission_error": "auth",
    "timeout_error": "timeout",
    "overloaded_error": "unavailable",
    "api_error": "unavailable",
}


class AnthropicChatModel(RemoteChatModel[RawMessageStreamEvent]):
    provider = "anthropic"
    # Unlike openai's, this SDK lets transport errors that happen mid-stream through raw.
    _sdk_errors = (anthropic.AnthropicError, httpx2.TransportError)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self._client = anthropic.AsyncAnthropic(
            # None lets the SDK find credentials itself (ANTHROPIC_API_KEY...).
            api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
            # The SDK's aiohttp transport (the `aiohttp` extra), as for OpenAI: aiohttp's C
            # HTTP parser reads streamed answers for much less CPU than the default one.
            http_client=anthropic.DefaultAioHttpClient(),
            **client_options(settings),
        )

    def _open_stream(
        self, system: str, messages: Sequence[Message], tools: Sequence[ToolSpec]
    ) -> Awaitable[anthropic.AsyncStream[RawMessageStreamEvent]]:
        return self._client.messages.create(
            model=self.model,
            max_tokens=self._max_tokens,
            system=system or anthropic.omit,
            messages=_wire_messages(messages),
            tools=[_wire_tool(tool) for tool in tools] or anthropic.omit,
            stream=True,
        )

    def _turn_builder(self) -> "_TurnBuilder":
        return _TurnBuilder()

    async def _answer(self, system: str, prompt: str, max_tokens: int) -> Completion:
        response = await self._client.messages.create(
            model=self.model,
            max_tokens=max_tokens,
            system=system or anthropic.omit,
            messages=[{"role": "user", "content": prompt}],
        )
        return Completion(
            text="".join(b.text for b in response.content if isinstance(b, TextBlock)).strip(),
            usage=_TokenCount().add(response.usage).usage(),
        )

    def _provider_error(self, exc: Exception) -> ProviderError:
        """The SDK's own error, or a raw transport error from the stream."""
        if isinstance(exc, anthropic.AnthropicError):
            return provider_error(exc)
        if isinstance(exc, httpx2.TimeoutException) and really_timed_out(exc):
            return ProviderError("timeout", "The model stopped answering mid-stream.")
        return ProviderError("unavailable", f"The connection to the model broke: {exc}")

    async def aclose(self) -> None:
        await self._client.close()


def _wire_tool(tool: ToolSpec) -> ToolParam:
    return {"name": tool.name, "description": tool.description, "input_schema": tool.parameters}


def _wire_messages(messages: Sequence[Message]) -> list[MessageParam]:
    wire: list[MessageParam] = []
    # The content of the last wire message while it is a user message of tool
    # results: consecutive results must share one user message.
    results: list[ContentBlockParam] | None = None
    for message in messages:
        if message.role == "tool":
            if results is None:
                results = []
                wire.append({"role": "user", "content": results})
            results.append(_tool_result(message))
        elif message.role == "user":
            if results is not None:  # text may follow the tool results in the same message
                if message.content:
                    results.append({"type": "text", "text": message.content})
            else:
                wire.append({"role": "user", "content": message.content})
            results = None
        else:
            results = None
            blocks = _assistant_blocks(message)
            if blocks:  # the API refuses empty assistant messages in the history
                wire.append({"role": "assistant", "content": blocks})
    return wire


def _tool_result(message: Message) -> ToolResultBlockParam:
    if not message.tool_call_id:
        raise ValueError("a tool result message needs the tool_call_id it answers")
    return {
        "type": "tool_result",
        "tool_use_id": message.tool_call_id,
        "content": message.content,
        "is_error": message.is_error,
    }


def _assistant_blocks(message: Message) -> list[ContentBlockParam]:
    blocks: list[ContentBlockParam] = []
    if message.content.strip():  # the API refuses blank text blocks
        blocks.append({"type": "text", "text": message.content})
    for call in message.tool_calls:
        blocks.append(
            {"type": "tool_use", "id": call.id, "name": call.name, "input": _tool_input(call)}
        )
    return blocks


def _tool_input(call: ToolCall) -> dict[str, object]:
    # The API demands an object; when the model sent invalid JSON the chat loop
    # has already told it so in the tool result, so an empty input loses nothing.
    try:
        value = json.loads(call.arguments)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _TurnBuilder:
    """Accumulates stream events: text deltas, and tool_use input per content block."""

    def __init__(self) -> None:
        self._text: list[str] = []
        self._calls: dict[int, CallParts] = {}
        self._stop_reason: str | None = None
        self._stopped = False
        self._tokens = _TokenCount()

    def feed(self, event: RawMessageStreamEvent) -> str:
        """Take one event; return the text it adds (may be empty)."""
        added = ""
        if isinstance(event, RawContentBlockStartEvent):
            block = event.content_block
            if isinstance(block, ToolUseBlock):
                self._calls[event.index] = CallParts(id=block.id, name=block.name)
                if block.input:  # normally {} here, the input following as deltas
                    self._calls[event.index].arguments.append(json.dumps(block.input))
            elif isinstance(block, TextBlock):
                added = block.text
        elif isinstance(event, RawContentBlockDeltaEvent):
            delta = event.delta
            if isinstance(delta, AnthropicTextDelta):
                added = delta.text
            elif isinstance(delta, InputJSONDelta) and event.index in self._calls:
                self._calls[event.index].arguments.append(delta.partial_json)
        elif isinstance(event, RawMessageStartEvent):
            self._tokens.add(event.message.usage)
        elif isinstance(event, RawMessageDeltaEvent):
            self._stop_reason = event.delta.stop_reason
            self._tokens.add(event.usage)
        elif isinstance(event, RawMessageStopEvent):
            self._stopped = True
        self._text.append(added)
        return added

    def turn(self) -> ModelTurn:
        if not self._stopped:
            raise ProviderError("bad_response", "The model's answer was cut off mid-stream.")
        calls = assemble_calls(self._calls, "toolu_")
        reason = self._stop_reason or "end_turn"
        return ModelTurn(
            text="".join(self._text),
            tool_calls=calls,
            stop_reason=_STOP_REASONS.get(reason, reason),
            usage=self._tokens.usage(),
        )


class _TokenCount:
    """Usage as the stream reports it: message_start gives the input (uncached, cache
    writes, cache reads) and a first output count; message_delta's counts are cumulative
    and replace those it carries."""

    _FIELDS = (
        "input_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "output_tokens",
    )

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, usage: object) -> "_TokenCount":
        for name in self._FIELDS:
            value = getattr(usage, name, None)
            if isinstance(value, int):
                self._counts[name] = value
        return self

    def usage(self) -> Usage | None:
        if not self._counts:
            return None
        counts = self._counts
        return Usage(
            input_tokens=counts.get("input_tokens", 0)
            + counts.get("cache_creation_input_tokens", 0)
            + counts.get("cache_read_input_tokens", 0),
            output_tokens=counts.get("output_tokens", 0),
        )


def provider_error(exc: anthropic.AnthropicError) -> ProviderError:
    """Map an SDK error (after the SDK's own retries) to a ProviderError."""
    if isinstance(exc, anthropic.APIConnectionError):
        return connection_error(exc, timed_out=isinstance(exc, anthropic.APITimeoutError))
    if isinstance(exc, anthropic.APIStatusError):
        status = exc.status_code
        explanation = (exc.api_message or exc.message)[:300]
        if status < 400:  # an error event inside a 200 stream
            code = _ERROR_TYPES.get(exc.type or "", "bad_response")
            return ProviderError(code, f"The model failed mid-answer: {explanation}")
        return status_error(status, explanation)
    if isinstance(exc, anthropic.CredentialsError):
        return ProviderError("auth", f"No usable API key: {exc}")
    return ProviderError("unavailable", f"The model client failed: {exc}")
