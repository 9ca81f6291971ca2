"""Request bodies over DESKPILOT_MAX_REQUEST_BYTES get 413 before anything parses them."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.types import Message, Receive, Scope, Send

from deskpilot.api.body_limit import BodySizeLimit
from deskpilot.core.config import Settings
from tests.conftest import LiveServer

CAP = Settings(_env_file=None).max_request_bytes  # type: ignore[call-arg]
CHUNK = 64 * 1024


def ticket_body(size: int) -> bytes:
    """A valid ticket as JSON, padded with trailing whitespace to exactly `size` bytes."""
    body = json.dumps({"title": "Big but allowed"}).encode()
    return body + b" " * (size - len(body))


async def chunks(body: bytes) -> AsyncIterator[bytes]:
    # An async generator: httpx sends it chunked, with no Content-Length.
    for start in range(0, len(body), CHUNK):
        yield body[start : start + CHUNK]


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert str(CAP) in error["message"]
    assert error["details"] == []


def test_the_default_cap_is_one_mebibyte() -> None:
    assert CAP == 1_048_576


async def test_a_declared_length_over_the_cap_gets_413(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/tickets", content=ticket_body(CAP + 1), headers={"Content-Type": "application/json"}
    )
    assert_too_large(response)
    assert len((await client.get("/api/tickets")).json()["items"]) == 0


async def test_a_declared_length_over_the_cap_is_refused_before_the_body_is_sent(
    server: LiveServer,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(
            b"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
        )
        await writer.drain()
        # Not one byte of the 50 MB body is sent: the answer must come from the header alone.
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
        assert head.startswith(b"HTTP/1.1 413 ")
        length = int(
            next(
                line.split(b":", 1)[1]
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
        )
        body = json.loads(await reader.readexactly(length))
        assert body["error"]["code"] == "payload_too_large"
    finally:
        writer.close()


async def test_a_chunked_body_over_the_cap_gets_413(client: httpx.AsyncClient) -> None:
    body = ticket_body(3 * CAP)
    response = await client.post(
        "/api/tickets", content=chunks(body), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert_too_large(response)
    assert len((await client.get("/api/tickets")).json()["items"]) == 0


async def test_bodies_up_to_the_cap_still_work(client: httpx.AsyncClient) -> None:
    headers = {"Content-Type": "application/json"}
    declared = await client.post("/api/tickets", content=ticket_body(CAP), headers=headers)
    assert declared.status_code == 201, declared.text
    chunked = await client.post("/api/tickets", content=chunks(ticket_body(CAP)), headers=headers)
    assert chunked.status_code == 201, chunked.text
    # The connection is still good after a refused body.
    refused = await client.post("/api/tickets", content=ticket_body(CAP + 1), headers=headers)
    assert_too_large(refused)
    assert len((await client.get("/api/tickets")).json()["items"]) == 2


async def test_the_middleware_reads_no_chunk_past_the_one_that_crosses_the_cap() -> None:
    pulled: list[int] = []
    sent: list[Message] = []

    async def receive() -> Message:
        pulled.append(100)
        return {"type": "http.request", "body": b"x" * 100, "more_body": len(pulled) < 50}

    async def send(message: Message) -> None:
        sent.append(message)

    async def read_whole_body(_: Scope, receive: Receive, __: Send) -> None:
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the app must not get the whole body")

    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": "/", "headers": []}
    await BodySizeLimit(read_whole_body, max_bytes=250)(scope, receive, send)

    assert sum(pulled) == 300  # 100 + 100 + the chunk that crossed 250; nothing after it
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"]["code"] == "payload_too_large"
