"""Browser test harness: the REAL server (`uv run deskpilot serve`) on its own database,
driven by Playwright (sync API, pytest-playwright's fixture names) in the system's Chromium.

- Database: `deskpilot_browser_<pid>` on the test server (tests/support/databases.py),
  migrated, then seeded by `deskpilot seed-demo`, whose printed credentials are parsed.
  Tests share it (no table cleaning): each works in chats and on tickets of its own.
- Web app: built (`npm run build`) when `frontend/out` is missing or its sources changed
  (the content hash scripts/common.sh keeps; DESKPILOT_BROWSER_NO_BUILD=1 uses whatever is
  there), then copied so a concurrent rebuild cannot pull files from under a running test.
- Servers, started side by side with the seed:
  `deskpilot`: the offline assistant (the default provider); `restart()` keeps the port, so
  open pages and cookies stay valid across a restart. Its writes wait for approval (the
  default DESKPILOT_CHAT_APPROVAL=writes).
  `never_server`: the offline assistant with DESKPILOT_CHAT_APPROVAL=never (writes at once),
  for the tests of what a write does and of that mode (`never_page`).
  `model_server`: provider `openai` pointed at the fake OpenAI server (tests/fakes) running on
  a background thread; tests script its answers (a stalled stream for Stop, a 500 for Retry).
  Logs: test-artifacts/server-<name>.log.
- Signed in: `agent_page` / `new_agent_page` reuse one API sign-in's cookies (cookies ignore
  the port, so they work on both servers).
"""

import asyncio
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    BrowserType,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from deskpilot.core import migrations
from tests.support.commands import deskpilot_command, stop_process
from tests.support.databases import drop_database, fresh_database

ROOT = Path(__file__).resolve().parents[2]
# Assertions wait up to 10 s (Playwright's default is 5): CI's 2 cores also run the servers,
# PostgreSQL and the browser, and a first render there can take longer than 5 s.
expect.set_options(timeout=10_000)
FRONTEND = ROOT / "frontend"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("DESKPILOT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 375, "height": 812}
AGENT_EMAIL = "maria@deskpilot.local"  # the signed-in user of most tests
OTHER_EMAIL = "sam@deskpilot.local"  # signs in and out through the form (own server session)


# ---------------------------------------------------------------- the web app


def _build_inputs_hash() -> str:
    """The content hash scripts/common.sh keeps for the last build (scripts/inputs_hash.py)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "inputs_hash.py"), "web-build"],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def _ensure_frontend_built() -> None:
    """Same rule as scripts/common.sh: build when the sources' content hash has changed."""
    out, stamp = FRONTEND / "out", FRONTEND / "out" / ".deskpilot-build-hash"
    if os.environ.get("DESKPILOT_BROWSER_NO_BUILD") and (out / "index.html").exists():
        return
    wanted = _build_inputs_hash()  # before the build: sources edited during it are a change
    if (out / "index.html").exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return
    if not (FRONTEND / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
    subprocess.run(["npm", "run", "build", "--silent"], cwd=FRONTEND, check=True)
    if not (out / "index.html").exists():
        pytest.fail("npm run build did not produce frontend/out/index.html")
    stamp.write_text(wanted + "\n")


@pytest.fixture(scope="session")
def frontend_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _ensure_frontend_built()
    copy = tmp_path_factory.mktemp("web") / "out"
    shutil.copytree(FRONTEND / "out", copy)
    return copy


# ---------------------------------------------------------------- database and demo data


@dataclass(frozen=True)
class Credential:
    email: str
    password: str
    role: str


_CREDENTIAL_LINE = re.compile(r"^\s*(admin|agent)\s+(\S+@\S+)\s+password:\s*(\S+)\s*$", re.M)


def _off_thread(function: Callable[..., Any], *args: Any) -> Any:
    """Run `function` on a fresh thread: these helpers call asyncio.run(), which refuses to
    run on a thread where sync Playwright's event loop is registered as running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


@pytest.fixture(scope="session")
def browser_database_url() -> Iterator[str]:
    name = f"deskpilot_browser_{os.getpid()}"
    url: str = _off_thread(fresh_database, name)
    _off_thread(migrations.upgrade, url)
    yield url
    with contextlib.suppress(Exception):
        _off_thread(drop_database, name)


def _base_env(database_url: str, frontend: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
    env.update(
        DESKPILOT_DATABASE_URL=database_url,
        DESKPILOT_ENVIRONMENT="test",
        DESKPILOT_CHAT_MESSAGES_PER_MINUTE="1000",
        DESKPILOT_FRONTEND_DIR=str(frontend),
        DESKPILOT_SECRET_KEY="browser-tests",
    )
    return env


def _launch_seed(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        deskpilot_command("seed-demo"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _seeded_credentials(process: subprocess.Popen[str]) -> dict[str, Credential]:
    """Wait for `deskpilot seed-demo` and parse the credentials it prints."""
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, f"deskpilot seed-demo failed:\n{output}"
    found = {
        email: Credential(email, password, role)
        for role, email, password in _CREDENTIAL_LINE.findall(output)
    }
    assert AGENT_EMAIL in found and OTHER_EMAIL in found, output
    return found


# ---------------------------------------------------------------- the real server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DeskpilotServer:
    """`uv run deskpilot serve` as a subprocess; output goes to test-artifacts/."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.env = env
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = ARTIFACTS / f"server-{name}.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._log: Any = None
        self._started_once = False
        self._launched_at = 0.0

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process without waiting (servers and the seed start side by side)."""
        ARTIFACTS.mkdir(exist_ok=True)
        self._log = self.log_path.open("ab" if self._started_once else "wb")
        self._started_once = True
        self._launched_at = time.monotonic()
        self._process = subprocess.Popen(
            deskpilot_command("serve", "--port", str(self.port)),
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        assert self._process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited; see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base_url}/api/health", timeout=1).status_code == 200:
                    self._note(f"answering after {time.monotonic() - self._launched_at:.1f}s")
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} server did not answer /api/health; see {self.log_path}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            began = time.monotonic()
            stop_process(process, grace=15)
            self._note(f"stopped after {time.monotonic() - began:.1f}s")
        if self._log is not None:
            self._log.close()
            self._log = None

    def _note(self, text: str) -> None:
        if self._log is not None:
            self._log.write(f"== [browser tests] {self.name} server {text}\n".encode())
            self._log.flush()

    def restart(self) -> None:
        """Stop and start again on the same port (same URL for open pages and cookies)."""
        self.stop()
        self.start()

    def url(self, path: str = "/") -> str:
        return self.base_url + path


# ---------------------------------------------------------------- the fake model server


class ThreadedFakeOpenAI:
    """tests.fakes.FakeOpenAIServer in its own event loop on a background thread."""

    def __init__(self) -> None:
        from tests.fakes import FakeOpenAIServer

        self.fake = FakeOpenAIServer()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def _run(self, coro: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=30)

    def start(self) -> None:
        self._thread.start()
        self._run(self.fake.start())

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(self.fake.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def script(self, *items: Any) -> None:
        async def apply() -> None:
            self.fake.reset()
            self.fake.script(*items)

        self._run(apply())

    @property
    def base_url(self) -> str:
        return self.fake.base_url

    @property
    def requests(self) -> list[dict[str, Any]]:
        return list(self.fake.requests)


@dataclass
class Stack:
    credentials: dict[str, Credential]
    offline: DeskpilotServer
    model: DeskpilotServer
    fake: ThreadedFakeOpenAI
    never: DeskpilotServer


@pytest.fixture(scope="session")
def _stack(browser_database_url: str, frontend_dir: Path) -> Iterator[Stack]:
    """Seed the demo data and start both servers side by side (each start is mostly imports)."""
    fake = ThreadedFakeOpenAI()
    fake.start()
    env = _base_env(browser_database_url, frontend_dir)
    offline = DeskpilotServer("offline", env)
    # The real server with provider `openai` at the fake: no retries, no title requests.
    model = DeskpilotServer(
        "openai",
        {
            **env,
            "DESKPILOT_LLM_PROVIDER": "openai",
            "DESKPILOT_LLM_BASE_URL": fake.base_url,
            "DESKPILOT_LLM_API_KEY": "test-key",
            "DESKPILOT_LLM_MODEL": "fake-model",
            "DESKPILOT_LLM_MAX_RETRIES": "0",
            "DESKPILOT_LLM_GENERATE_TITLES": "false",
        },
    )
    never = DeskpilotServer("never", {**env, "DESKPILOT_CHAT_APPROVAL": "never"})
    seed = _launch_seed(env)
    try:
        offline.launch()
        model.launch()
        never.launch()
        stack = Stack(_seeded_credentials(seed), offline, model, fake, never)
        offline.wait_ready()
        model.wait_ready()
        never.wait_ready()
        yield stack
    finally:
        if seed.poll() is None:
            seed.kill()
        offline.stop()
        model.stop()
        never.stop()
        fake.stop()


@pytest.fixture(scope="session")
def credentials(_stack: Stack) -> dict[str, Credential]:
    return _stack.credentials


@pytest.fixture(scope="session")
def deskpilot(_stack: Stack) -> DeskpilotServer:
    """The server with the offline assistant (the default provider)."""
    return _stack.offline


@pytest.fixture(scope="session")
def model_server(_stack: Stack) -> DeskpilotServer:
    """The server whose provider is `openai` at the fake OpenAI server."""
    return _stack.model


@pytest.fixture(scope="session")
def fake_openai(_stack: Stack) -> ThreadedFakeOpenAI:
    return _stack.fake


@pytest.fixture(scope="session")
def never_server(_stack: Stack) -> DeskpilotServer:
    """The offline assistant with DESKPILOT_CHAT_APPROVAL=never: its writes run at once."""
    return _stack.never


# ---------------------------------------------------------------- Playwright
#
# pytest-playwright keeps sync Playwright alive for the whole pytest session, and while it
# lives its event loop is registered as running on the main thread: pytest-asyncio could no
# longer run any async fixture or test (the root conftest's autouse `_clean_tables`
# included). So the Playwright objects are re-declared here with package scope (torn down
# when the browser tests are done, before tests/chat etc. run) and `_clean_tables` is
# replaced by a sync no-op for the browser tests (they never use the `engine` fixture).


@pytest.fixture(autouse=True)
def _clean_tables() -> None:
    """Overrides the root conftest's async cleaner: these tests share one seeded database."""


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    pw = sync_playwright().start()
    yield pw
    pw.stop()


@pytest.fixture(scope="package")
def browser_type(playwright: Playwright, browser_name: str) -> BrowserType:
    return getattr(playwright, browser_name or "chromium")  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="package")
def launch_browser(
    browser_type_launch_args: dict[str, Any], browser_type: BrowserType
) -> Callable[..., Browser]:
    def launch(**kwargs: Any) -> Browser:
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser: Callable[..., Browser]) -> Iterator[Browser]:
    launched = launch_browser()
    yield launched
    launched.close()


@pytest.fixture(scope="session")
def base_url(deskpilot: DeskpilotServer) -> str:
    return deskpilot.base_url


@pytest.fixture(scope="package")
def browser_context_args(base_url: str) -> dict[str, Any]:
    return {"base_url": base_url, "viewport": DESKTOP}


@pytest.fixture(scope="session")
def agent_cookies(deskpilot: DeskpilotServer, credentials: dict[str, Credential]) -> list[Any]:
    """One API sign-in for the whole run; tests reuse its cookies (never sign this one out)."""
    cred = credentials[AGENT_EMAIL]
    response = httpx.post(
        deskpilot.url("/api/auth/login"),
        json={"email": cred.email, "password": cred.password},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return [
        {"name": cookie.name, "value": cookie.value or "", "domain": "127.0.0.1", "path": "/"}
        for cookie in response.cookies.jar
    ]


@pytest.fixture
def agent_page(context: BrowserContext, page: Page, agent_cookies: list[Any]) -> Page:
    """A page signed in as the demo agent (cookies shared by every port on 127.0.0.1)."""
    context.add_cookies(agent_cookies)
    return page


@pytest.fixture
def new_agent_page(browser: Browser, agent_cookies: list[Any], base_url: str) -> Iterator[Any]:
    """new_agent_page(viewport=...) → another signed-in page in its own context."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        ctx = browser.new_context(**{"base_url": base_url, "viewport": DESKTOP, **options})
        ctx.add_cookies(agent_cookies)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def never_page(new_agent_page: Any, never_server: DeskpilotServer) -> Page:
    """A signed-in page on the server whose copilot writes at once (relative URLs go there)."""
    page: Page = new_agent_page(base_url=never_server.base_url)
    return page


def artifact_path(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
