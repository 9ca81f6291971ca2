"""How responses travel: gzip, and cache headers for the web app and the API.

- gzip for responses of GZIP_MINIMUM_BYTES or more when the client accepts it. Starlette's
  GZipMiddleware passes `text/event-stream` through untouched (compressing a stream would
  hold its events in the compressor), so chat replies stream as they are produced.
- `/_next/static/…` files have content hashes (or the build id) in their paths: cached for a
  year and never revalidated. Every other web app file (HTML pages, their `.txt` payloads,
  the icon) is revalidated on each use (`no-cache` with the ETag), so a new build is seen at
  once.
- API responses are per user: `no-store` unless a route says otherwise.
"""

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import Message, Receive, Scope, Send

from deskpilot.api.http_middleware import HttpMiddleware

GZIP_MINIMUM_BYTES = 1024  # below about one packet, compressing saves no round trip
GZIP_LEVEL = 6  # level 9 costs about twice the CPU for 1-2% smaller scripts
HASHED_FILES = "/_next/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
NO_STORE = "no-store"


def cache_control_for(path: str, status: int) -> str:
    """The Cache-Control a response gets when its route set none."""
    if path == "/api" or path.startswith("/api/"):
        return NO_STORE
    if path.startswith(HASHED_FILES) and status in (200, 304):
        return IMMUTABLE
    # Pages, and a hashed path that was not found (its 404 page must not be kept a year).
    return REVALIDATE


class CacheHeaders(HttpMiddleware):
    """Adds Cache-Control (see cache_control_for) to responses that carry none."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")

        async def send_with_cache_control(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "cache-control" not in headers:
                    headers["Cache-Control"] = cache_control_for(path, message["status"])
            await send(message)

        await self.app(scope, receive, send_with_cache_control)


def install_delivery(app: FastAPI) -> None:
    app.add_middleware(CacheHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=GZIP_LEVEL)
