"""The fast SSE decoder yields exactly the events the OpenAI SDK's own decoder does,
however the body is cut into chunks."""

import random

import pytest
from openai._streaming import ServerSentEvent, SSEDecoder

from deskpilot.llm.sse_decoder import EventBlockDecoder

BODIES = {
    "openai chunks": b'data: {"a": 1}\n\ndata: {"b": "x\xc3\xa9"}\n\ndata: [DONE]\n\n',
    "no space after the colon": b"data:{}\n\ndata:  two spaces\n\n",
    "crlf": b'data: {"a": 1}\r\n\r\ndata: [DONE]\r\n\r\n',
    "lone cr": b'data: {"a": 1}\r\rdata: 2\r\r',
    "several data lines": b"data: one\ndata: two\n\ndata: three\n\n",
    "event and comment": b": keep-alive\n\nevent: error\ndata: {}\n\ndata: after\n\n",
    "ids persist": b"id: 7\ndata: a\n\ndata: b\n\nretry: 10\ndata: c\n\n",
    "blank-line runs": b"\n\n\ndata: a\n\n\n\ndata: b\n\n",
    "unterminated last event": b"data: a\n\ndata: cut",
    "field without value": b"data\n\ndata: x\n\n",
}


def _fields(events: list[ServerSentEvent]) -> list[tuple[str | None, str, str | None, int | None]]:
    return [(e.event, e.data, e.id, e.retry) for e in events]


def _chunked(body: bytes, rng: random.Random) -> list[bytes]:
    cuts = sorted(rng.sample(range(1, len(body)), k=min(len(body) - 1, rng.randint(0, 6))))
    return [body[i:j] for i, j in zip([0, *cuts], [*cuts, len(body)], strict=True)]


@pytest.mark.parametrize("name", list(BODIES))
def test_same_events_as_the_sdk_decoder(name: str) -> None:
    body = BODIES[name]
    expected = _fields(list(SSEDecoder().iter_bytes(iter([body]))))
    assert expected, "each body has at least one event"
    rng = random.Random(name)
    for _ in range(200):
        chunks = _chunked(body, rng)
        assert _fields(list(EventBlockDecoder().iter_bytes(iter(chunks)))) == expected, chunks


async def test_async_iteration_yields_the_same_events() -> None:
    body = BODIES["openai chunks"] + BODIES["event and comment"]

    async def chunks():  # type: ignore[no-untyped-def]
        for i in range(0, len(body), 5):
            yield body[i : i + 5]

    events = [event async for event in EventBlockDecoder().aiter_bytes(chunks())]

    assert _fields(events) == _fields(list(SSEDecoder().iter_bytes(iter([body]))))
