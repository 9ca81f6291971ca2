"""A cap on request bodies, enforced before anything reads or parses them.

Pure ASGI, so nothing buffers the body on the way: a declared Content-Length over the cap
is answered with 413 before the body is read at all, and a body without one (chunked) is
counted as its chunks arrive and refused at the chunk that crosses the cap; nothing after
that chunk is read. The server discards whatever the client still sends.
"""

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deskpilot.core.errors import error_body

PAYLOAD_TOO_LARGE = "payload_too_large"


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a streamed body crosses the cap. An HTTPException, so
    FastAPI passes it on while reading a body and the error handlers shape it (413
    `payload_too_large`)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, _message(max_bytes))


def _message(max_bytes: int) -> str:
    return f"The request body is larger than the limit of {max_bytes} bytes"


def _declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    # The server has already refused a malformed Content-Length; be lenient all the same.
    return int(value) if value is not None and value.isdigit() else None


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _refuse(self.max_bytes, scope, receive, send)
            return
        await _LimitedRequest(self, scope, receive, send).run()


async def _refuse(max_bytes: int, scope: Scope, receive: Receive, send: Send) -> None:
    body = error_body(PAYLOAD_TOO_LARGE, _message(max_bytes))
    await JSONResponse(body, status_code=413)(scope, receive, send)


class _LimitedRequest:
    """One request whose body is counted as the app reads it."""

    def __init__(self, limit: BodySizeLimit, scope: Scope, receive: Receive, send: Send) -> None:
        self._limit = limit
        self._scope = scope
        self._receive = receive
        self._send = send
        self._received = 0
        self._too_large = False
        self._response_started = False

    async def run(self) -> None:
        try:
            await self._limit.app(self._scope, self.receive, self.send)
        except BodyTooLarge:
            # Only when no handler turned it into a response already (e.g. an app without
            # the error handlers); after the response has started there is nothing to send.
            if self._response_started:
                raise
            await _refuse(self._limit.max_bytes, self._scope, self._receive, self._send)

    async def receive(self) -> Message:
        if self._too_large:
            raise BodyTooLarge(self._limit.max_bytes)
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._limit.max_bytes:
                self._too_large = True
                raise BodyTooLarge(self._limit.max_bytes)
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._response_started = True
        await self._send(message)
