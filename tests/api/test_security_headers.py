"""Security headers on API answers, web-app pages and static files: a CSP that allows each
page's own inline scripts by the hashes `npm run build` recorded (never 'unsafe-inline'
scripts), frame refusal, nosniff and Referrer-Policy."""

import asyncio
import base64
import hashlib
import json
import logging
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from deskpilot.main import create_app
from tests.conftest import free_port, make_settings

ROOT = Path(__file__).resolve().parents[2]
HASH_SCRIPT = ROOT / "frontend" / "scripts" / "csp-hashes.mjs"
UNUSED_DB = "postgresql+asyncpg://unused@localhost/unused"

COMMON = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}

# A small export shaped like Next's: external chunks plus inline bootstrap scripts that
# differ per page.
PAGES = {
    "index.html": '<script src="/_next/static/chunks/app.js" async=""></script>'
    "<script>(self.__next_f=self.__next_f||[]).push([0])</script>"
    '<script>self.__next_f.push([1,"home"])</script>',
    "login/index.html": "<script>(self.__next_f=self.__next_f||[]).push([0])</script>"
    '<script id="_R_">self.__next_f.push([1,"login\\u003c/script\\u003e"])</script>',
    "404.html": '<script>self.__next_f.push([1,"not found"])</script>',
}


def sha256_source(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in parsed, f"{name} twice in {policy}"
        parsed[name] = values
    return parsed


def assert_common_headers(response: httpx.Response) -> dict[str, list[str]]:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (name, response.url)
    policy = directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    return policy


def assert_data_policy(response: httpx.Response) -> None:
    policy = assert_common_headers(response)
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app behind uvicorn on 127.0.0.1 (real HTTP), with a client for it."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes no event
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        await task


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small export, hashed by the build's own script."""
    if shutil.which("node") is None:
        pytest.fail("node is needed to run frontend/scripts/csp-hashes.mjs")
    out = tmp_path_factory.mktemp("out")
    for rel, scripts in PAGES.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(f"<!DOCTYPE html><html><head>{scripts}</head><body></body></html>")
    (out / "_next/static/chunks").mkdir(parents=True)
    (out / "_next/static/chunks/app.js").write_text("console.log(1)")
    (out / "icon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    subprocess.run(["node", str(HASH_SCRIPT), str(out)], check=True, capture_output=True)
    return out


@pytest.fixture
async def web(export: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(UNUSED_DB, frontend_dir=export), manage_engine=False)
    async with serving(app) as client:
        yield client


def script_src(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"].startswith("text/html")
    policy = assert_common_headers(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    return policy["script-src"]


def quoted(*texts: str) -> set[str]:
    return {f"'{sha256_source(text)}'" for text in texts}


async def test_api_answers_carry_the_headers(anon: httpx.AsyncClient) -> None:
    ok = await anon.get("/api/health")
    assert ok.status_code == 200
    assert_data_policy(ok)
    unauthorised = await anon.get("/api/auth/me")
    assert unauthorised.status_code == 401
    assert_data_policy(unauthorised)
    not_found = await anon.get("/api/no/such/route")
    assert not_found.status_code == 404
    assert_data_policy(not_found)


async def test_each_page_allows_exactly_its_own_inline_scripts(web: httpx.AsyncClient) -> None:
    home = await web.get("/")
    assert home.status_code == 200
    assert set(script_src(home)) == {"'self'"} | quoted(
        "(self.__next_f=self.__next_f||[]).push([0])", 'self.__next_f.push([1,"home"])'
    )
    login = await web.get("/login/")
    assert login.status_code == 200
    assert set(script_src(login)) == {"'self'"} | quoted(
        "(self.__next_f=self.__next_f||[]).push([0])",
        'self.__next_f.push([1,"login\\u003c/script\\u003e"])',
    )
    for path in ("/login/index.html", "/login/../login/"):
        assert set(script_src(await web.get(path))) == set(script_src(login)), path


async def test_a_revalidated_page_keeps_its_own_policy(web: httpx.AsyncClient) -> None:
    """A 304 carries no Content-Type, and its headers replace the cached page's: a data
    policy there would block the page's scripts on every reload (seen in Chromium)."""
    page = await web.get("/login/")
    again = await web.get("/login/", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304
    assert "content-security-policy" not in again.headers
    assert {name: again.headers.get(name) for name in COMMON} == COMMON


async def test_the_not_found_page_allows_its_own_scripts(web: httpx.AsyncClient) -> None:
    missing = await web.get("/no/such/page/")
    assert missing.status_code == 404
    assert set(script_src(missing)) == {"'self'"} | quoted('self.__next_f.push([1,"not found"])')


async def test_static_files_carry_the_headers(web: httpx.AsyncClient) -> None:
    for path in ("/_next/static/chunks/app.js", "/icon.svg", "/csp-hashes.json"):
        response = await web.get(path)
        assert response.status_code == 200, path
        assert_data_policy(response)
    redirect = await web.get("/login")
    assert redirect.status_code in (301, 307)
    assert_common_headers(redirect)


async def test_the_server_uses_the_hashes_the_build_recorded(export: Path, tmp_path: Path) -> None:
    """The policy comes from the manifest written at build time, not from the page as sent."""
    copy = tmp_path / "out"
    shutil.copytree(export, copy)
    manifest = json.loads((copy / "csp-hashes.json").read_text())
    manifest["files"]["index.html"] = ["sha256-recorded"]
    (copy / "csp-hashes.json").write_text(json.dumps(manifest))
    app = create_app(make_settings(UNUSED_DB, frontend_dir=copy), manage_engine=False)
    async with serving(app) as web:
        assert script_src(await web.get("/")) == ["'self'", "'sha256-recorded'"]


async def test_without_the_manifest_pages_run_no_inline_script(
    export: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    copy = tmp_path / "out"
    shutil.copytree(export, copy)
    (copy / "csp-hashes.json").unlink()
    app = create_app(make_settings(UNUSED_DB, frontend_dir=copy), manage_engine=False)
    with caplog.at_level(logging.ERROR):
        async with serving(app) as web:
            assert script_src(await web.get("/")) == ["'self'"]
    assert "csp-hashes.json" in caplog.text


async def test_the_api_docs_page_runs_under_its_own_policy(web: httpx.AsyncClient) -> None:
    """FastAPI generates the docs page: its inline script is hashed as it is sent."""
    docs = await web.get("/api/docs")
    assert docs.status_code == 200
    policy = assert_common_headers(docs)
    assert policy["default-src"] == ["'none'"]
    inline = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
    assert inline, "the docs page has no inline script to check"
    assert quoted(*inline) <= set(policy["script-src"])
    assert "'unsafe-inline'" not in policy["script-src"]


async def test_an_unexpected_error_still_carries_the_headers(export: Path) -> None:
    app = create_app(make_settings(UNUSED_DB, frontend_dir=export), manage_engine=False)

    @app.get("/api/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    async with serving(app) as web:
        response = await web.get("/api/boom")
    assert response.status_code == 500
    assert_data_policy(response)
