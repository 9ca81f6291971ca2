"""Security headers on every response: a Content-Security-Policy, frame refusal, nosniff and
Referrer-Policy.

Pages of the web app may run their own files and exactly the inline scripts the static export
contains, allowed by the sha256 hashes `npm run build` wrote to `csp-hashes.json`
(frontend/scripts/csp-hashes.mjs); never 'unsafe-inline' scripts. Everything else (the API,
static files) gets a policy that runs and loads nothing. HTML under /api (the OpenAPI docs)
is hashed here, as it is sent, since FastAPI generates it.
"""

import base64
import gzip
import hashlib
import json
import logging
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

MANIFEST = "csp-hashes.json"

COMMON_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

# A JSON answer or a static file is data: it runs nothing, loads nothing, is framed nowhere.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

# For responses made outside this middleware (the 500 handler runs in Starlette's outermost
# ServerErrorMiddleware).
DATA_HEADERS = {"Content-Security-Policy": DATA_POLICY, **COMMON_HEADERS}

# Inline <style> elements need 'unsafe-inline': Radix's dialog and menus (react-remove-scroll)
# insert one at run time whose text depends on the scrollbar's width, so no hash can be known
# at build time. With every load confined to 'self' such CSS cannot send data anywhere. Style
# attributes stay refused (style-src-attr): React sets styles through the CSSOM, which CSP
# does not govern.
_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'{hashes}; "
    "style-src 'self' 'unsafe-inline'; style-src-attr 'none'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)

# FastAPI's Swagger UI page loads its script, style and icon from these CDNs.
_DOCS_POLICY = (
    "default-src 'none'; script-src https://cdn.jsdelivr.net{hashes}; "
    "style-src https://cdn.jsdelivr.net 'unsafe-inline'; "
    "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_HAS_SRC = re.compile(r"(?:^|\s)src\s*=", re.IGNORECASE)


def script_hash(text: str) -> str:
    """The CSP source for one inline script's text ('sha256-…' without quotes)."""
    digest = hashlib.sha256(text.replace("\r\n", "\n").replace("\r", "\n").encode()).digest()
    return "sha256-" + base64.b64encode(digest).decode()


def inline_script_hashes(html: str) -> list[str]:
    found = (m.group(2) for m in _INLINE_SCRIPT.finditer(html) if not _HAS_SRC.search(m.group(1)))
    return sorted({script_hash(text) for text in found})


def _sources(hashes: tuple[str, ...] | list[str]) -> str:
    return "".join(f" '{h}'" for h in hashes)


def page_policy(hashes: tuple[str, ...] | list[str]) -> str:
    return _PAGE_POLICY.format(hashes=_sources(hashes))


def docs_policy(hashes: tuple[str, ...] | list[str]) -> str:
    return _DOCS_POLICY.format(hashes=_sources(hashes))


@dataclass(frozen=True)
class PageHashes:
    """Inline-script hashes per exported HTML file (paths relative to the export)."""

    files: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls, frontend_dir: Path | None) -> "PageHashes":
        if frontend_dir is None or not frontend_dir.is_dir():
            return cls()
        manifest = frontend_dir / MANIFEST
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            files = {str(k): tuple(str(h) for h in v) for k, v in data["files"].items()}
        except (OSError, ValueError, KeyError, AttributeError, TypeError) as exc:
            logger.error(
                "No usable %s in %s (%s): the web app's inline scripts will be blocked; "
                "rebuild it with `npm run build`",
                MANIFEST,
                frontend_dir,
                exc,
            )
            return cls()
        return cls(files)

    @property
    def every(self) -> tuple[str, ...]:
        return tuple(sorted({h for hashes in self.files.values() for h in hashes}))

    def for_path(self, path: str, status: int) -> tuple[str, ...]:
        """The hashes of the file StaticFiles(html=True) answers `path` with: the file itself,
        the directory's index.html, or 404.html with a 404; every page's when none is known."""
        rel = posixpath.normpath("/" + path).lstrip("/")
        candidates = (rel, posixpath.join(rel, "index.html")) if rel else ("index.html",)
        if status == 404:
            candidates = ("404.html",)
        for candidate in candidates:
            if candidate in self.files:
                return self.files[candidate]
        return self.every


def _is_api(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class SecurityHeaders:
    """Pure ASGI middleware (streams pass through untouched; only headers are added)."""

    def __init__(self, app: ASGIApp, *, frontend_dir: Path | None) -> None:
        self.app = app
        self.pages = PageHashes.load(frontend_dir)
        self._page_policies: dict[tuple[str, ...], str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        held: list[Message] = []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                is_html = headers.get("content-type", "").startswith("text/html")
                if is_html and _is_api(path):
                    held.append(message)  # the docs page: hashed once its body is here
                    return
                self._set(headers, self._policy(path, message["status"], is_html))
            elif held:
                held.append(message)
                if message.get("more_body", False):
                    return
                await self._send_docs_page(held, send)
                return
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _policy(self, path: str, status: int, is_html: bool) -> str | None:
        if status == 304:
            # A revalidation: its headers update the cached response's, whose type this
            # answer does not carry; the policy sent with the response itself stands.
            return None
        if _is_api(path) or not is_html:
            return DATA_POLICY
        hashes = self.pages.for_path(path, status)
        policy = self._page_policies.get(hashes)
        if policy is None:
            policy = self._page_policies[hashes] = page_policy(hashes)
        return policy

    async def _send_docs_page(self, held: list[Message], send: Send) -> None:
        start, *bodies = held
        headers = MutableHeaders(scope=start)
        raw = b"".join(m.get("body", b"") for m in bodies)
        if headers.get("content-encoding") == "gzip":  # a compressing middleware inside us
            raw = gzip.decompress(raw)
        self._set(headers, docs_policy(inline_script_hashes(raw.decode("utf-8", "replace"))))
        for message in held:
            await send(message)

    @staticmethod
    def _set(headers: MutableHeaders, policy: str | None) -> None:
        if policy is not None:
            headers["Content-Security-Policy"] = policy
        for name, value in COMMON_HEADERS.items():
            headers[name] = value
