"""What both fake servers share: a uvicorn server on 127.0.0.1 running as a task in
the current event loop, the script queue, request recording, and the transport
tricks (delay, cut, stall). Subclasses only render the provider's wire format."""

import asyncio
import contextlib
import json
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Self

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from tests.fakes.scripting import Call, HttpError, ScriptItem, Turn

_STALL_LIMIT_SECONDS = 30.0


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # The test runner owns SIGINT/SIGTERM; a fake server must not take them over.
        yield


class FakeModelServer:
    """Base class; see FakeOpenAIServer and FakeAnthropicServer."""

    api_path: str  # the endpoint the SDK posts to, e.g. "/v1/chat/completions"
    base_path: str  # what the SDK's base_url includes beyond host:port
    call_id_prefix: str  # how the real API's tool call ids start
    stop_reasons: tuple[str, str]  # the API's words for (a finished answer, tool calls)

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._script: deque[ScriptItem] = deque()
        self._forever: ScriptItem | None = None
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._port = 0

    # --- scripting -------------------------------------------------------------

    def script(self, *items: ScriptItem) -> None:
        """Queue answers: each item answers one request, in order."""
        self._script.extend(items)

    def reset(self) -> None:
        """Forget the script and the recorded requests (for a server shared by tests)."""
        self._script.clear()
        self._forever = None
        self.requests.clear()
        self.headers.clear()

    @property
    def remaining(self) -> int:
        """Scripted items not used yet."""
        return len(self._script)

    @property
    def base_url(self) -> str:
        if not self._port:
            raise RuntimeError("the fake server is not running")
        return f"http://127.0.0.1:{self._port}{self.base_path}"

    # --- lifecycle -------------------------------------------------------------

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        app = Starlette(routes=[Route(self.api_path, self._handle, methods=["POST"])])
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=0,
            http="h11",
            lifespan="off",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self._server = _Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises the startup error
                raise RuntimeError("the fake server stopped during startup")
            await asyncio.sleep(0.005)
        self._port = self._server.servers[0].sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        await self._task
        self._server = self._task = None
        self._port = 0

    # --- provider specifics (subclasses) ---------------------------------------

    def calls(self, turn: Turn) -> list[tuple[str, Call]]:
        """The turn's calls with their ids, made up where the script gave none."""
        return [(c.id or f"{self.call_id_prefix}{uuid.uuid4().hex[:24]}", c) for c in turn.calls]

    def stop_reason(self, turn: Turn) -> str:
        answered, called = self.stop_reasons
        return turn.stop_reason or (called if turn.calls else answered)

    def validate(self, body: dict[str, Any]) -> str | None:
        """A reason the real API would answer 400 to this request, or None."""
        return None

    def server_error(self, body: dict[str, Any]) -> str | None:
        """A reason the server plays answers 500 to this request (a quirk), or None."""
        return None

    def stream_events(self, turn: Turn, body: dict[str, Any]) -> list[bytes]:
        """The whole SSE stream for `turn`, one encoded event per entry, terminator last."""
        raise NotImplementedError

    def stream_error_event(self) -> bytes:
        raise NotImplementedError

    def json_reply(self, turn: Turn, body: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def error_body(self, status: int, message: str | None) -> dict[str, Any]:
        raise NotImplementedError

    # --- request handling ------------------------------------------------------

    def _next_item(self) -> ScriptItem | None:
        if self._forever is not None:
            return self._forever
        if not self._script:
            return None
        item = self._script.popleft()
        if item.repeat_forever:
            self._forever = item
        return item

    async def _handle(self, request: Request) -> Response:
        body: dict[str, Any] = await request.json()
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        problem = self.validate(body)
        if problem is not None:
            return JSONResponse(self.error_body(400, problem), status_code=400)
        quirk = self.server_error(body)
        if quirk is not None:
            return JSONResponse({"error": {"message": quirk, "type": "internal_server_error"}}, 500)
        item = self._next_item()
        if item is None:
            message = f"fake server: script exhausted at request #{len(self.requests)}"
            return JSONResponse(self.error_body(400, message), status_code=400)
        if isinstance(item, HttpError):
            payload = json.dumps(self.error_body(item.status, item.message)).encode()
            return _ScriptedResponse(
                item, item.status, "application/json", [payload], item.response_headers()
            )
        if body.get("stream"):
            events = self.stream_events(item, body)
            if item.error_after is not None:
                events = [*events[: item.error_after], self.stream_error_event()]
            return _ScriptedResponse(item, 200, "text/event-stream; charset=utf-8", events)
        payload = json.dumps(self.json_reply(item, body)).encode()
        if item.cut_after is not None:
            halves = [payload[: len(payload) // 2], payload[len(payload) // 2 :]]
            return _ScriptedResponse(replace(item, cut_after=1), 200, "application/json", halves)
        return _ScriptedResponse(item, 200, "application/json", [payload])


class _ScriptedResponse(Response):
    """Sends `chunks` as separate body parts, applying the item's transport behaviour."""

    def __init__(
        self,
        item: ScriptItem,
        status: int,
        media_type: str,
        chunks: list[bytes],
        headers: dict[str, str] | None = None,
    ) -> None:
        # Not Response.__init__: with no `body` attribute no content-length is
        # declared, so the chunks go out with chunked transfer encoding.
        self.status_code = status
        self.media_type = media_type
        self.background = None
        self.init_headers(headers)
        self.item = item
        self.chunks = chunks
        if "text/event-stream" in media_type:
            self.headers["cache-control"] = "no-cache"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        item = self.item
        if item.delay and await _client_left_within(receive, item.delay):
            return
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        for sent, chunk in enumerate(self.chunks):
            if item.stall_after is not None and sent >= item.stall_after:
                await _client_left_within(receive, _STALL_LIMIT_SECONDS)
                return
            if item.cut_after is not None and sent >= item.cut_after:
                if item.cut_cleanly:
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                # Otherwise, returning before the last body message makes uvicorn
                # log "ASGI callable returned without completing response" and
                # drop the connection mid-body: exactly the failure to fake.
                return
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _client_left_within(receive: Receive, seconds: float) -> bool:
    """Wait up to `seconds`; True as soon as the client disconnects."""
    try:
        async with asyncio.timeout(seconds):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return True
    except TimeoutError:
        return False
