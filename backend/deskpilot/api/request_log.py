"""Every request: an id (the client's or the proxy's X-Request-ID when it is a plain token,
else a new one) echoed in the response's X-Request-ID header and carried by every log line
written while it is handled; its duration in the metrics by route template and status; and
one log line when it ends (logger `deskpilot.request`, INFO; health checks and metric
scrapes at DEBUG; `serve --no-access-log` raises that logger's level to WARNING).

The line holds the method, the path without its query string (a search's words are a
customer's), the route template, the status, the duration and the user; never a body.
Outermost middleware, so it times and tags every response, a 413 or a 500 included.
"""

import logging
import os
import re
import time
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from deskpilot.api.http_middleware import HttpMiddleware
from deskpilot.core import metrics
from deskpilot.core.logs import REQUEST_LOGGER, RequestContext, enter_request, leave_request

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = REQUEST_ID_HEADER.lower().encode()
_ACCEPTED_ID = re.compile(rb"[A-Za-z0-9._:-]{1,128}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
QUIET_ROUTES = frozenset({"/api/health", "/metrics"})

logger = logging.getLogger(REQUEST_LOGGER)


def route_of(scope: Scope) -> str:
    """The matched route's whole template (`/api/tickets/{ref}`); unmatched paths in two
    bounded groups. A route inside included routers may know only its own part of the
    path (FastAPI nests routers instead of copying their routes in newer versions): the
    rest is the request path's part before what the route's pattern matches."""
    path: str = scope.get("path", "")
    route = scope.get("route")
    template, pattern = getattr(route, "path", None), getattr(route, "path_regex", None)
    if isinstance(template, str) and pattern is not None:
        for cut in [i for i, c in enumerate(path) if c == "/"] + [len(path)]:
            if pattern.match(path[cut:]):
                return path[:cut] + template
    return "unmatched" if path == "/api" or path.startswith("/api/") else "web app"


_timers: dict[tuple[str, str, int], Any] = {}


def _timer(method: str, route: str, status: int) -> Any:
    """The histogram's child for these labels, looked up once (labels() validates and locks
    on every call). Bounded like the labels: methods, route templates, statuses."""
    key = (method, route, status)
    timer = _timers.get(key)
    if timer is None:
        timer = _timers[key] = metrics.http_request_duration.labels(method, route, str(status))
    return timer


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == _REQUEST_ID and _ACCEPTED_ID.fullmatch(value):
            return str(value.decode())
    return os.urandom(16).hex()  # as random as a uuid4, for less than half its CPU


class RequestLog(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        context = RequestContext(_request_id(scope))
        token = enter_request(context)
        echoed = (_REQUEST_ID, context.request_id.encode())
        status = 500  # unless a response starts: an error escaping the app becomes a 500

        async def send_tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), echoed]
            await send(message)

        try:
            await self.app(scope, receive, send_tagged)
        finally:
            elapsed = time.perf_counter() - started
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            route = route_of(scope)
            _timer(method, route, status).observe(elapsed)
            self._log(method, route, scope["path"], status, elapsed)
            leave_request(token)

    @staticmethod
    def _log(method: str, route: str, path: str, status: int, elapsed: float) -> None:
        level = logging.DEBUG if route in QUIET_ROUTES else logging.INFO
        if not logger.isEnabledFor(level):
            return
        # The record made directly: logger.log() would walk the stack for the caller's file
        # and line, a third of the line's cost, to say what the logger's name already does.
        record = logger.makeRecord(
            logger.name,
            level,
            __file__,
            0,
            "%s %s %s",
            (method, path, status),
            None,
            extra={
                "data": {
                    "event": "request",
                    "method": method,
                    "path": path,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                }
            },
        )
        logger.handle(record)
