"""ChatModel over the OpenAI Chat Completions API, streamed.

Works with any OpenAI-compatible server (OpenAI, Azure, Ollama, vLLM, llama.cpp...)
through `llm_base_url`. The SDK retries 429, 5xx and connection errors (honouring
`retry-after-ms` / `retry-after`) while it waits for the response to start, so
retries only ever happen before the first event is yielded. The whole call, retries and
stream included, ends at `llm_deadline_seconds` (backend/deskpilot/llm/deadline.py).

Local servers differ from OpenAI's API in ways this provider absorbs (README "Models"):
`tool_choice: "auto"` is sent with tools (llama-cpp-python ignores tools without it); a
server that refuses to stream with tools ("Automatic streaming tool choice is not
supported") gets non-streamed calls from then on (remembered per server and model); an
assistant message with tool calls carries `""`, not null, as content; tool calls a model
wrote into its text are read (text_tool_calls.py). With `llm_tool_calls_as_text` the tools
are not sent at all but described in the system prompt, for servers whose chat template
has no tool support (tool_prompt.py). Its answers are read by openai_answer.py.
"""

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Sequence
from typing import TypedDict

import httpx2
import openai
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionAssistantMessageParam,
    ChatCompletionMessageParam,
    ChatCompletionToolParam,
)

from deskpilot.core.config import Settings
from deskpilot.llm import tool_prompt
from deskpilot.llm.deadline import within
from deskpilot.llm.errors import connection_error, status_error
from deskpilot.llm.openai_answer import OpenAITurnBuilder
from deskpilot.llm.remote import RemoteChatModel, client_options
from deskpilot.llm.sse_decoder import EventBlockDecoder
from deskpilot.llm.text_tool_calls import TextCallFilter, parse_text_calls
from deskpilot.llm.types import (
    Completion,
    ConversationContext,
    Message,
    ModelEvent,
    ModelTurn,
    ProviderError,
    TextDelta,
    ToolSpec,
    Usage,
)

logger = logging.getLogger(__name__)
# (base URL, model) of the servers that refused a streamed answer with tools: from then on
# they get non-streamed calls when tools are offered, for the process's lifetime.
_UNSTREAMED_TOOLS: set[tuple[str, str]] = set()


class _TokenLimit(TypedDict, total=False):
    max_tokens: int
    max_completion_tokens: int


class OpenAIChatModel(RemoteChatModel[object]):
    provider = "openai"
    _sdk_errors = (openai.APIError,)

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        base_url = settings.llm_base_url
        # api.openai.com wants max_completion_tokens (its reasoning models refuse
        # max_tokens); compatible servers (Ollama, llama.cpp...) only know max_tokens.
        self._official_api = base_url is None or "api.openai.com" in base_url
        self._server = (base_url or "https://api.openai.com/v1", self.model)
        self._tools_as_text = settings.llm_tool_calls_as_text
        self._client = _Client(
            api_key=_api_key(settings),
            # The SDK's aiohttp transport (the `aiohttp` extra): aiohttp's C HTTP parser
            # reads a streamed answer for half the CPU of the default httpx2 transport
            # (docs/benchmarks-history.md). Timeouts, retries and errors stay the SDK's.
            http_client=openai.DefaultAioHttpClient(),
            **client_options(settings),
        )

    async def stream_turn(
        self,
        *,
        system: str,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        context: ConversationContext,
    ) -> AsyncIterator[ModelEvent]:
        names = {tool.name for tool in tools}
        if self._tools_as_text and tools:
            messages = tool_prompt.prompt_with_tools(system, messages, tools)
            system, tools = "", ()
        shown = TextCallFilter()
        async for event in self._turn_events(system, messages, tools, context):
            if isinstance(event, TextDelta):
                if text := shown.feed(event.text):
                    yield TextDelta(text)
                continue
            if not event.tool_calls:
                parsed = parse_text_calls(event.text, names)
                if rest := shown.finish(parsed.text):
                    yield TextDelta(rest)
                event = ModelTurn(
                    text=parsed.text,
                    tool_calls=parsed.calls,
                    stop_reason="tool_calls" if parsed.calls else event.stop_reason,
                    usage=event.usage,
                )
            elif rest := shown.finish(event.text):
                yield TextDelta(rest)
            yield event

    async def _turn_events(
        self,
        system: str,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        context: ConversationContext,
    ) -> AsyncIterator[ModelEvent]:
        """The streamed answer, or the whole one for a server that will not stream tools."""
        if not tools or self._server not in _UNSTREAMED_TOOLS:
            started = False
            try:
                async for event in super().stream_turn(
                    system=system, messages=messages, tools=tools, context=context
                ):
                    started = True
                    yield event
                return
            except ProviderError as exc:
                if started or not tools or not _refuses_streamed_tools(exc):
                    raise
                logger.warning(
                    "The model server refused a streamed answer with tools (%s); "
                    "asking it without streaming from now on",
                    exc.message,
                )
                _UNSTREAMED_TOOLS.add(self._server)
        try:
            turn = await within(self._deadline, self._whole_turn(system, messages, tools))
        except self._sdk_errors as exc:
            raise self._provider_error(exc) from exc
        if turn.text:
            yield TextDelta(turn.text)
        yield turn

    async def _whole_turn(
        self, system: str, messages: Sequence[Message], tools: Sequence[ToolSpec]
    ) -> ModelTurn:
        reply = await self._client.post(
            "/chat/completions",
            body=self._body(system, messages, tools, stream=False),
            cast_to=object,
        )
        builder = OpenAITurnBuilder()
        builder.feed_whole(reply)
        return builder.turn()

    def _body(
        self, system: str, messages: Sequence[Message], tools: Sequence[ToolSpec], *, stream: bool
    ) -> dict[str, object]:
        body: dict[str, object] = {
            "model": self.model,
            "messages": _wire_messages(system, messages),
            "stream": stream,
            **self._token_limit(self._max_tokens),
        }
        if stream:
            # Token use comes in one last chunk (empty `choices`) only when asked for.
            body["stream_options"] = {"include_usage": True}
        if tools:
            body["tools"] = [_wire_tool(tool) for tool in tools]
            # OpenAI's default with tools, but llama-cpp-python ignores tools without it.
            body["tool_choice"] = "auto"
        return body

    def _open_stream(
        self, system: str, messages: Sequence[Message], tools: Sequence[ToolSpec]
    ) -> Awaitable[openai.AsyncStream[object]]:
        body = self._body(system, messages, tools, stream=True)
        # Not `chat.completions.create()`: it re-walks the whole request against the
        # SDK's TypedDicts (O(history) CPU per call) and builds a pydantic model per
        # chunk. The body is already in wire form; `AsyncStream[object]` yields each
        # chunk's JSON as parsed. Retries, timeouts and error mapping are the SDK's.
        return self._client.post(
            "/chat/completions",
            body=body,
            cast_to=ChatCompletion,
            stream=True,
            stream_cls=openai.AsyncStream[object],
        )

    def _turn_builder(self) -> OpenAITurnBuilder:
        return OpenAITurnBuilder()

    async def _answer(self, system: str, prompt: str, max_tokens: int) -> Completion:
        response = await self._client.chat.completions.create(
            model=self.model,
            messages=_wire_messages(system, [Message(role="user", content=prompt)]),
            **self._token_limit(max_tokens),
        )
        if not response.choices:
            raise ProviderError("bad_response", "The model returned no answer.")
        usage = response.usage
        return Completion(
            text=(response.choices[0].message.content or "").strip(),
            usage=Usage(usage.prompt_tokens, usage.completion_tokens) if usage else None,
        )

    def _provider_error(self, exc: Exception) -> ProviderError:
        return provider_error(exc)

    async def aclose(self) -> None:
        await self._client.close()

    def _token_limit(self, limit: int) -> _TokenLimit:
        if self._official_api:
            return {"max_completion_tokens": limit}
        return {"max_tokens": limit}


class _Client(openai.AsyncOpenAI):
    """The SDK's client, reading streams with a decoder that splits events, not lines, and
    joining its base URL with a path once, not on every call (URLs are immutable)."""

    def _make_sse_decoder(self) -> EventBlockDecoder:
        return EventBlockDecoder()

    def _prepare_url(self, url: str) -> httpx2.URL:
        urls: dict[tuple[httpx2.URL, str], httpx2.URL] = self.__dict__.setdefault("_urls", {})
        key = (self.base_url, url)
        prepared = urls.get(key)
        if prepared is None:
            if len(urls) >= 16:  # only /chat/completions here; bounded all the same
                urls.clear()
            prepared = urls[key] = super()._prepare_url(url)
        return prepared


def _api_key(settings: Settings) -> str:
    if settings.llm_api_key is not None:
        return settings.llm_api_key.get_secret_value()
    key = os.environ.get("OPENAI_API_KEY")
    if key:
        return key
    if settings.llm_base_url:
        return "unused"  # local servers (Ollama, llama.cpp) need no key; the SDK insists on one
    raise ProviderError("auth", "No API key configured: set DESKPILOT_LLM_API_KEY.")


def _wire_tool(tool: ToolSpec) -> ChatCompletionToolParam:
    return {
        "type": "function",
        "function": {
            "name": tool.name,
            "description": tool.description,
            "parameters": tool.parameters,
        },
    }


def _wire_messages(system: str, messages: Sequence[Message]) -> list[ChatCompletionMessageParam]:
    wire: list[ChatCompletionMessageParam] = []
    if system:
        wire.append({"role": "system", "content": system})
    for message in messages:
        if message.role == "user":
            wire.append({"role": "user", "content": message.content})
        elif message.role == "assistant":
            wire.append(_wire_assistant(message))
        else:
            if not message.tool_call_id:
                raise ValueError("a tool result message needs the tool_call_id it answers")
            wire.append(
                {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
            )
    return wire


def _wire_assistant(message: Message) -> ChatCompletionAssistantMessageParam:
    if not message.tool_calls:
        return {"role": "assistant", "content": message.content}
    return {
        "role": "assistant",
        # OpenAI accepts null here; llama-cpp-python answers 500 to it.
        "content": message.content,
        "tool_calls": [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in message.tool_calls
        ],
    }


def _refuses_streamed_tools(exc: ProviderError) -> bool:
    """llama-cpp-python: "Automatic streaming tool choice is not supported" (a 500)."""
    text = exc.message.lower()
    return exc.code in ("bad_response", "unavailable") and "stream" in text and "support" in text


def provider_error(exc: Exception) -> ProviderError:
    """Map an SDK error (an `openai.APIError`, after the SDK's own retries) to a ProviderError."""
    if isinstance(exc, openai.APIConnectionError):
        return connection_error(exc, timed_out=isinstance(exc, openai.APITimeoutError))
    if isinstance(exc, openai.APIStatusError):
        return status_error(exc.status_code, _api_message(exc))
    # An error event inside an otherwise successful stream.
    return ProviderError("unavailable", f"The model failed mid-answer: {exc}")


def _api_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        return str(body["message"])[:300]
    return exc.message[:300]
