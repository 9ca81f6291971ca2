"""The wheel is the whole product: built from this checkout, installed into a fresh virtual
environment (no uv project, nothing of the checkout on the path), `deskpilot serve` gives the
web app and the API on the embedded PostgreSQL."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.commands import run_command, stop_process

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "deskpilot"


@dataclass(frozen=True)
class Installed:
    venv: Path
    workdir: Path  # outside the checkout: nothing there can shadow the installed package

    @property
    def deskpilot(self) -> Path:
        return self.venv / "bin" / "deskpilot"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


def _uv() -> str:
    # `uv run` exports its own path as UV; scripts/common.sh may keep uv in .tools/
    for candidate in (os.environ.get("UV"), shutil.which("uv"), str(ROOT / ".tools/bin/uv")):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail("uv is needed to build the wheel: install it or run the tests with `uv run`")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DESKPILOT_", "VIRTUAL_ENV", "UV_PROJECT", "PYTHON"))
    }
    return {**env, **extra}


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> str:
    result = run_command(args, env=_clean_env(), timeout=timeout, cwd=cwd)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    _run(_uv(), "build", "--wheel", "--out-dir", dist, cwd=ROOT)
    wheels = list(dist.glob(f"{DISTRIBUTION}-*.whl"))
    assert len(wheels) == 1, wheels
    venv = base / "venv"
    # The interpreter's own venv module, as a user would; uv only to install fast from its cache.
    base_python = getattr(sys, "_base_executable", sys.executable)
    _run(base_python, "-m", "venv", venv, cwd=base)
    _run(_uv(), "pip", "install", "--python", venv / "bin" / "python", wheels[0], cwd=base)
    workdir = base / "work"
    workdir.mkdir()
    return Installed(venv=venv, workdir=workdir)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop_postmasters(data_dir: Path) -> None:
    """Stop the embedded PostgreSQL the server started, whichever package started it (a
    postmaster may outlive its SIGTERMed parent): a fast shutdown through its pid file."""
    for pid_file in data_dir.rglob("postmaster.pid"):
        with contextlib.suppress(ValueError, IndexError, OSError):
            pid = int(pid_file.read_text().splitlines()[0])
            os.kill(pid, signal.SIGINT)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and pid_file.exists():
                time.sleep(0.1)


@dataclass(frozen=True)
class Served:
    base_url: str
    log: Path


@pytest.fixture(scope="module")
def served(installed: Installed) -> Iterator[Served]:
    data_dir = installed.workdir / "data"
    log = installed.workdir / "serve.log"
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(installed.deskpilot), "serve", "--port", str(port)],
            cwd=installed.workdir,
            env=_clean_env(DESKPILOT_DATA_DIR=str(data_dir)),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 180  # embedded initdb, migrations and demo data
        while True:
            assert process.poll() is None, f"deskpilot serve exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no /api/health answer:\n{log.read_text()}"
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/api/health", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        yield Served(base_url=base_url, log=log)
    finally:
        stop_process(process, grace=20)
        _stop_postmasters(data_dir)


def test_the_installed_command_prints_the_distributions_version(installed: Installed) -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    output = _run(installed.deskpilot, "--version", cwd=installed.workdir)
    assert output.strip() == f"deskpilot {declared}"


def test_the_wheel_carries_the_web_app_inside_the_package(installed: Installed) -> None:
    location = _run(
        installed.python,
        "-c",
        "import deskpilot.main as m; print(m.PACKAGED_WEB_APP); print(m.default_web_app())",
        cwd=installed.workdir,
    ).split()
    packaged, chosen = Path(location[0]), Path(location[1])
    assert installed.venv in packaged.parents, packaged
    assert chosen == packaged
    assert (packaged / "index.html").is_file()


def test_serve_gives_the_web_app_and_the_api_on_the_embedded_database(served: Served) -> None:
    health = httpx.get(f"{served.base_url}/api/health", timeout=10)
    assert health.json() == {"status": "ok"}

    page = httpx.get(f"{served.base_url}/", timeout=10)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text and "/_next/static/" in page.text

    # a script the page loads is served too: the static export's assets came along
    script = page.text.split('src="/_next/static/', 1)[1].split('"', 1)[0]
    asset = httpx.get(f"{served.base_url}/_next/static/{script}", timeout=10)
    assert asset.status_code == 200
    assert "javascript" in asset.headers["content-type"]

    login = httpx.get(f"{served.base_url}/login/", timeout=10)
    assert login.status_code == 200
    assert "text/html" in login.headers["content-type"]

    # the demo data went into the embedded database: signing in with a wrong password is
    # refused by the API (the one JSON error shape), not by a missing table
    refused = httpx.post(
        f"{served.base_url}/api/auth/login",
        json={"email": "admin@deskpilot.local", "password": "not the password"},
        timeout=10,
    )
    assert refused.status_code == 401, refused.text
    assert "Demo users created" in served.log.read_text()
