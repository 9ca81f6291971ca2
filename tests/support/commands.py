"""How tests start Deskpilot in another process."""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
# The entry point installed in the environment running the tests (what `uv run deskpilot`
# runs), found beside this Python: no uv needed on PATH, no uv start-up cost.
DESKPILOT = Path(sys.executable).parent / "deskpilot"


def deskpilot_command(*args: str) -> list[str]:
    assert DESKPILOT.is_file(), f"the deskpilot command is not installed beside {sys.executable}"
    return [str(DESKPILOT), *args]


def run_command(
    argv: Sequence[str | Path], *, env: Mapping[str, str], timeout: float, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """`argv` run to its end (from the checkout's root unless `cwd` says otherwise), its output
    captured as text; whether it failed is for the caller to check."""
    return subprocess.run(
        [str(arg) for arg in argv],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def stop_process(
    process: subprocess.Popen[Any], *, grace: float, signum: int = signal.SIGTERM
) -> None:
    """Ask `process` to stop with `signum`; kill it if it has not stopped within `grace`
    seconds."""
    process.send_signal(signum)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def until_healthy(
    process: subprocess.Popen[Any], base_url: str, *, timeout: float, output: Callable[[], str]
) -> None:
    """Wait until `process` answers GET /api/health with 200; fail with its `output` (the
    last 3,000 characters when it never answers) if it exits first or takes over `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, output()
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/api/health", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    pytest.fail(f"{base_url}/api/health never answered:\n" + output()[-3000:])


@contextlib.asynccontextmanager
async def serve(
    database_url: str, log_dir: Path, *args: str, env: Mapping[str, str] | None = None
) -> AsyncIterator[str]:
    """`deskpilot serve *args` in a process of its own on the test database, with the test
    secret key (so sessions opened by `client_for` work there too) and no DESKPILOT_ setting
    but these and `env`. Yields its base URL once it answers; stopped on the way out."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
    settings = {
        "DESKPILOT_DATABASE_URL": database_url,
        "DESKPILOT_ENVIRONMENT": "test",
        "DESKPILOT_SECRET_KEY": "test-secret",
        **(env or {}),
    }
    log_path = log_dir / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *deskpilot_command("serve", "--port", str(port), *args),
            cwd=ROOT,
            env={**clean, **settings},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            await _until_healthy(base_url, process, log_path)
            yield base_url
        finally:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


async def _until_healthy(base_url: str, process: asyncio.subprocess.Process, log: Path) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as probe:
        for _ in range(600):
            if process.returncode is not None:
                break
            with contextlib.suppress(httpx.TransportError):
                if (await probe.get("/api/health")).status_code == 200:
                    return
            await asyncio.sleep(0.05)
    # Only on the way to failing: a short blocking read of a small file.
    raise AssertionError("the server did not start: " + log.read_text())  # noqa: ASYNC240
