"""The scripting language shared by the fake model servers.

A test scripts what the "model" answers, one item per HTTP request, in order:

    fake.script(
        status(429),                                   # 1st request: rate limited
        tool_calls(call("search_tickets", '{"query": "printer"}')),  # 2nd: a tool call
        text("Ticket #12 looks related."),             # 3rd: a plain answer
    )

Items are built with four helpers:

- `text(content, *, fragments=True, stop_reason=None, usage=None, **options)`: a plain answer.
  Streamed in chunks of `CHUNK_CHARS` characters (`fragments=False`: one chunk);
  answered as one JSON document when the request has `"stream": false`.
- `tool_calls(*calls, text="", fragments=True, stop_reason=None, usage=None, **options)`: a turn
  proposing one or more tool calls, optionally after some text. With
  `fragments=True` each call's arguments arrive in several pieces.
- `usage=tokens(input, output, cached=0)`: the token use the answer reports, in the
  provider's own fields (`cached`: how many of the input tokens were read from the prompt
  cache). Without it the server makes up counts from the request's and the answer's size.
- `call(name, arguments, *, id=None)`: one tool call for `tool_calls`. `arguments`
  is sent verbatim when it is a str (so it may be invalid JSON), or JSON-encoded
  when it is a dict. Nothing checks `name` against the request's tools, so an
  unknown tool name is just `call("no_such_tool", "{}")`. Without `id` the server
  makes one up (`call_…` for OpenAI, `toolu_…` for Anthropic).
- `status(code, *, message=None, retry_after_ms=1, retry_after=None, **options)`:
  an HTTP error (429, 500, 401, ...) in the provider's error JSON shape. The SDKs
  honour `retry-after-ms` first, so the default of 1 ms keeps retry tests fast;
  `retry_after_ms=None` sends no hint and lets the SDK back off on its own
  (~0.5-8 s).

`**options` (all optional, all items):

- `delay`: seconds to wait before the first byte of the response (the status
  line), e.g. to trip a client's read timeout. Ends early if the client hangs up.
- `cut_after`: stream only this many SSE events, then drop the connection
  without the terminating event (`[DONE]` / `message_stop`) and without ending
  the HTTP body properly, like a crashed server. For a non-streamed request,
  half the JSON body is sent.
- `cut_cleanly`: with `cut_after`, end the HTTP body properly instead (a proxy
  that closes an idle stream): no transport error, but still no terminator.
- `stall_after`: stream this many events, then go silent with the connection
  open until the client gives up.
- `error_after`: stream this many events, then the provider's in-stream error
  event (OpenAI `{"error": ...}` data, Anthropic `event: error` overloaded_error).
- `repeat_forever`: this item answers this request and every later one
  ("a model that calls tools forever"); items scripted after it are never used.

Requests are answered in arrival order whatever they ask for: a non-streamed
title request (`ChatModel.complete`) takes the next item like any other. A
request the real API would refuse (see each server's docstring) is answered 400
without using an item. When the script runs out the server answers 400 with a
message saying so, which the SDKs raise as a BadRequestError (a provider maps
it to "bad_response").
"""

import json
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack

CHUNK_CHARS = 4


class Options(TypedDict, total=False):
    delay: float
    cut_after: int
    cut_cleanly: bool
    stall_after: int
    error_after: int
    repeat_forever: bool


@dataclass(frozen=True, kw_only=True)
class Behaviour:
    """How the answer travels, whatever it says (see `Options`)."""

    delay: float = 0.0
    cut_after: int | None = None
    cut_cleanly: bool = False
    stall_after: int | None = None
    error_after: int | None = None
    repeat_forever: bool = False


@dataclass(frozen=True)
class Tokens:
    """Token use as a real API reports it: all the prompt's tokens (`input`, of which
    `cached` came from the prompt cache) and the answer's (`output`)."""

    input: int
    output: int
    cached: int = 0


def tokens(input: int, output: int, *, cached: int = 0) -> Tokens:
    if not 0 <= cached <= input:
        raise ValueError("cached tokens are part of the input")
    return Tokens(input=input, output=output, cached=cached)


@dataclass(frozen=True)
class Call:
    name: str
    arguments: str
    id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Turn(Behaviour):
    """A model answer: text, tool calls, or both."""

    text: str = ""
    calls: tuple[Call, ...] = ()
    fragments: bool = True
    stop_reason: str | None = None  # provider's own value; None: the natural one
    usage: Tokens | None = None  # None: made up from the sizes (see `tokens_for`)

    def tokens_for(self, request: dict[str, Any]) -> Tokens:
        """The scripted usage, or about a token per four characters, as real counts go."""
        if self.usage is not None:
            return self.usage
        prompt = len(json.dumps(request.get("messages", ""))) + len(str(request.get("system", "")))
        answer = len(self.text) + sum(len(c.arguments) for c in self.calls)
        return Tokens(input=max(1, prompt // 4), output=max(1, answer // 4))


@dataclass(frozen=True, kw_only=True)
class HttpError(Behaviour):
    status: int
    message: str | None = None
    retry_after_ms: int | None = 1
    retry_after: float | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def response_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.retry_after_ms is not None:
            headers["retry-after-ms"] = str(self.retry_after_ms)
        if self.retry_after is not None:
            headers["retry-after"] = str(self.retry_after)
        return headers


ScriptItem = Turn | HttpError


def text(
    content: str,
    *,
    fragments: bool = True,
    stop_reason: str | None = None,
    usage: Tokens | None = None,
    **options: Unpack[Options],
) -> Turn:
    return Turn(text=content, fragments=fragments, stop_reason=stop_reason, usage=usage, **options)


def tool_calls(
    *calls: Call,
    text: str = "",
    fragments: bool = True,
    stop_reason: str | None = None,
    usage: Tokens | None = None,
    **options: Unpack[Options],
) -> Turn:
    if not calls:
        raise ValueError("tool_calls() needs at least one call()")
    return Turn(
        text=text,
        calls=calls,
        fragments=fragments,
        stop_reason=stop_reason,
        usage=usage,
        **options,
    )


def call(name: str, arguments: str | dict[str, Any], *, id: str | None = None) -> Call:
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
    return Call(name=name, arguments=raw, id=id)


def status(
    code: int,
    *,
    message: str | None = None,
    retry_after_ms: int | None = 1,
    retry_after: float | None = None,
    **options: Unpack[Options],
) -> HttpError:
    return HttpError(
        status=code,
        message=message,
        retry_after_ms=retry_after_ms,
        retry_after=retry_after,
        **options,
    )


def pieces(value: str, fragments: bool) -> list[str]:
    """Split `value` the way the fake streams it: CHUNK_CHARS at a time, or whole."""
    if not fragments or len(value) <= CHUNK_CHARS:
        return [value]
    return [value[i : i + CHUNK_CHARS] for i in range(0, len(value), CHUNK_CHARS)]
