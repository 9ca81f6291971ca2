"""How responses travel (backend/deskpilot/api/delivery.py): gzip when asked for, never on event
streams; hashed web app files cached for a year, pages revalidated, API answers not stored."""

import asyncio
import contextlib
import gzip
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.api.delivery import IMMUTABLE
from deskpilot.main import create_app
from deskpilot.models import User
from tests.conftest import free_port, make_settings
from tests.support import fast
from tests.support.sse import SSE, names, read_events

client_for, client = fast.client_for, fast.client

GZIP = {"Accept-Encoding": "gzip"}
HASHED_JS = "_next/static/chunks/app-3f9a1c2e.js"
SCRIPT = "export function greet(name){return 'Hello, '+name+'!';}\n" * 400


@pytest.fixture
async def web(engine: None, database_url: str, tmp_path: Path) -> AsyncIterator[str]:
    """The app over HTTP with a small stand-in for the built web app; yields its base URL."""
    out = tmp_path / "out"
    (out / "_next/static/chunks").mkdir(parents=True)
    (out / HASHED_JS).write_text(SCRIPT)
    (out / "dashboard/chat").mkdir(parents=True)
    page = "<!doctype html><title>chat</title>" + "<p>filler</p>" * 200
    (out / "dashboard/chat/index.html").write_text(page)
    (out / "index.html").write_text("<!doctype html><title>home</title>")
    (out / "404.html").write_text("<!doctype html><title>not found</title>")
    (out / "favicon.ico").write_bytes(b"\x00" * 64)
    app = create_app(make_settings(database_url, frontend_dir=out), manage_engine=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes no event
        await asyncio.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def wire_get(
    target: str | httpx.AsyncClient, path: str, headers: dict[str, str]
) -> tuple[httpx.Response, bytes]:
    """GET, returning the response and its body exactly as it travelled (not decoded)."""
    async with contextlib.AsyncExitStack() as stack:
        if isinstance(target, str):
            target = await stack.enter_async_context(httpx.AsyncClient(base_url=target))
        response = await stack.enter_async_context(target.stream("GET", path, headers=headers))
        body = b"".join([chunk async for chunk in response.aiter_raw()])
        return response, body


async def test_a_large_json_answer_is_gzipped_and_not_stored(
    client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> None:
    await fast.make_tickets(
        db, by=agent, specs=[{"title": f"Printer on floor {i} jams"} for i in range(60)]
    )
    response, body = await wire_get(client, "/api/tickets?limit=100", GZIP)
    assert response.status_code == 200, body[:200]
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    assert response.headers["cache-control"] == "no-store"
    decoded = gzip.decompress(body)
    assert len(json.loads(decoded)["items"]) == 60
    assert len(body) < len(decoded) / 3


async def test_without_accept_encoding_nothing_is_compressed(web: str) -> None:
    response, body = await wire_get(web, f"/{HASHED_JS}", {"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert body.decode() == SCRIPT


async def test_a_small_answer_is_sent_as_it_is(web: str) -> None:
    response, body = await wire_get(web, "/api/health", GZIP)
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert json.loads(body) == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"


async def test_an_event_stream_is_never_gzipped(client: httpx.AsyncClient) -> None:
    session = (await client.post("/api/chat/sessions", json={})).json()
    async with client.stream(
        "POST",
        f"/api/chat/sessions/{session['id']}/messages",
        json={"content": "find printer tickets"},
        headers={**SSE, **GZIP},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in response.headers
        events = await read_events(response)
    assert names(events)[0] == "user_message"
    assert names(events)[-1] == "done"


async def test_a_hashed_file_is_cached_for_a_year_and_gzipped(web: str) -> None:
    response, body = await wire_get(web, f"/{HASHED_JS}", GZIP)
    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).decode() == SCRIPT
    assert len(body) < len(SCRIPT) / 10

    etag = response.headers["etag"]
    again, _ = await wire_get(web, f"/{HASHED_JS}", {"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["cache-control"] == IMMUTABLE


@pytest.mark.parametrize("path", ["/", "/dashboard/chat/", "/favicon.ico"])
async def test_pages_and_unhashed_files_are_revalidated(web: str, path: str) -> None:
    response, _ = await wire_get(web, path, GZIP)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    assert "etag" in response.headers


async def test_a_page_is_gzipped(web: str) -> None:
    response, body = await wire_get(web, "/dashboard/chat/", GZIP)
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"<!doctype html><title>chat</title>")


async def test_a_missing_hashed_file_is_not_cached_for_a_year(web: str) -> None:
    response, body = await wire_get(web, "/_next/static/chunks/app-00000000.js", GZIP)
    assert b"not found" in body
    assert response.status_code == 404
    assert response.headers["cache-control"] == "no-cache"
