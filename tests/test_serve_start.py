"""`deskpilot serve` as a new user meets it: where it listens (flags, else DESKPILOT_HOST /
DESKPILOT_PORT), what the first start prints while it creates the embedded database, and no
stray warnings on the way."""

import contextlib
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.support.commands import deskpilot_command, run_command, stop_process, until_healthy

ROOT = Path(__file__).resolve().parents[1]
RUNNING = "Deskpilot is running at"


class ServeProcess:
    """`deskpilot serve` with its console read line by line on a thread."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            deskpilot_command("serve", *args),
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def read_until(self, marker: str, timeout: float = 180) -> list[str]:
        """Lines printed until (and including) the first one containing marker."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if marker in line:
                return self.lines
        pytest.fail(f"no {marker!r} line; the console so far:\n" + "\n".join(self.lines))

    def wait_healthy(self, base_url: str, timeout: float = 60) -> None:
        until_healthy(self.process, base_url, timeout=timeout, output=lambda: "\n".join(self.lines))

    def stop(self) -> None:
        """Ctrl-C, as a person at the console stops it."""
        if self.process.poll() is None:
            stop_process(self.process, grace=30, signum=signal.SIGINT)


def clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
    env.pop("XDG_RUNTIME_DIR", None)  # as in containers and CI: the cause of the old warning
    env["COLUMNS"] = "200"
    env.update(values)
    return env


@pytest.fixture
def serving() -> Iterator[list[ServeProcess]]:
    started: list[ServeProcess] = []
    yield started
    for process in started:
        process.stop()


def _stop_leftover_postgres(pgdata: Path) -> None:
    """If a server outlived its `serve` (not this test's subject), stop it: it is ours."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.is_file():
        return
    with contextlib.suppress(ValueError, ProcessLookupError):
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)


@pytest.mark.parametrize(
    ("args", "settings", "listens_on"),
    [
        ((), {"DESKPILOT_HOST": "127.0.0.2", "DESKPILOT_PORT": "{port}"}, "127.0.0.2"),
        (("--host", "127.0.0.3", "--port", "{port}"), {"DESKPILOT_PORT": "1"}, "127.0.0.3"),
    ],
    ids=["settings", "flags-win-over-settings"],
)
def test_serve_listens_where_settings_or_flags_say(
    database_url: str,
    serving: list[ServeProcess],
    tmp_path: Path,
    args: tuple[str, ...],
    settings: dict[str, str],
    listens_on: str,
) -> None:
    port = str(free_port())
    env = clean_env(
        DESKPILOT_DATABASE_URL=database_url,
        DESKPILOT_FRONTEND_DIR=str(tmp_path / "no-web-app"),
        **{name: value.format(port=port) for name, value in settings.items()},
    )
    server = ServeProcess(*(arg.format(port=port) for arg in args), env=env)
    serving.append(server)
    lines = server.read_until(RUNNING)
    assert f"{RUNNING} http://{listens_on}:{port}/" in lines[-1]
    server.wait_healthy(f"http://{listens_on}:{port}")
    # Bound to that interface only: the default address does not answer on that port.
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)


def test_an_invalid_port_setting_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run_command(
        deskpilot_command("serve"),
        env=clean_env(DESKPILOT_PORT="70000", DESKPILOT_DATA_DIR=str(tmp_path)),
        timeout=60,
    )
    assert result.returncode == 1
    assert "Invalid configuration: DESKPILOT_PORT: Input should be less than or equal to 65535" in (
        " ".join(result.stderr.split())
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "pgdata").exists()  # refused before any database work


def test_first_start_prints_each_step_then_the_credentials_once(
    serving: list[ServeProcess], tmp_path: Path
) -> None:
    data_dir, port = tmp_path / "data", free_port()
    pgdata = (data_dir / "pgdata").resolve()
    env = clean_env(
        DESKPILOT_DATA_DIR=str(data_dir),
        DESKPILOT_PORT=str(port),
        DESKPILOT_FRONTEND_DIR=str(tmp_path / "no-web-app"),
    )
    try:
        first = ServeProcess(env=env)
        serving.append(first)
        lines = first.read_until(RUNNING)
        first.wait_healthy(f"http://127.0.0.1:{port}")
        first.stop()
        assert first.process.returncode is not None

        second = ServeProcess(env=env)
        serving.append(second)
        again = second.read_until(RUNNING)
        second.stop()
    finally:
        _stop_leftover_postgres(pgdata)

    steps = [
        f"Creating and starting the embedded PostgreSQL in {pgdata} (first start)...",
        "Applying database migrations...",
        "Adding demo data (users and about 60 tickets)...",
        "Demo users created (shown once; change them or create your own):",
    ]
    positions = [lines.index(step) for step in steps]
    assert positions == sorted(positions), lines
    credentials = [line.split() for line in lines if "password:" in line]
    assert [(c[0], c[1]) for c in credentials] == [
        ("admin", "admin@deskpilot.local"),
        ("agent", "maria@deskpilot.local"),
        ("agent", "sam@deskpilot.local"),
    ]
    # A real `serve` without a built web app says so, in plain words, before it runs.
    assert any(line.startswith("Web app not built") for line in lines), lines
    # No platformdirs RuntimeDirWarning (or any other Python warning) on the console.
    assert not [line for line in lines if "Warning" in line or "XDG_RUNTIME_DIR" in line]

    assert again[:2] == [
        f"Starting the embedded PostgreSQL in {pgdata}...",
        "Applying database migrations...",
    ]
    assert not [line for line in again if "demo" in line.lower() or "password:" in line]


def test_tools_that_need_no_web_app_do_not_warn_about_it(tmp_path: Path) -> None:
    """`deskpilot openapi` (run by `make test` before the build) builds the app too."""
    result = run_command(
        deskpilot_command("openapi", "--output", str(tmp_path / "openapi.json")),
        env=clean_env(DESKPILOT_FRONTEND_DIR=str(tmp_path / "no-web-app")),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "openapi.json").is_file()
    assert "Web app not built" not in result.stdout + result.stderr
