"""`deskpilot serve` on the embedded PostgreSQL: SIGTERM and SIGINT stop the database with the
app, and a start after the app was killed (SIGKILL) recovers from what it left behind."""

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import free_port
from tests.support.commands import deskpilot_command, run_command
from tests.support.scratch import embedded_scratch_dir

pytestmark = pytest.mark.embedded

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 300.0  # the first start creates, migrates and seeds the database


class Serve:
    """One `deskpilot serve` process on the embedded database in data_dir."""

    def __init__(self, data_dir: Path, log: Path, port: int | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
        env.update(DESKPILOT_DATA_DIR=str(data_dir), DESKPILOT_ENVIRONMENT="test")
        self.port = port or free_port()
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [*deskpilot_command(), "serve", "--port", str(self.port), "--no-access-log"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"serve exited early:\n{self.log.read_text()}"
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/health", timeout=2).is_success:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"serve did not answer in {START_TIMEOUT} s:\n{self.log.read_text()}")

    def stop(self, signum: int) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout=120)


def postgres_processes(pgdata: Path) -> list[psutil.Process]:
    """Every postgres process (postmaster or backend) of pgdata's cluster."""
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and str(pgdata) in (process.info["cmdline"] or []):
            found.append(process)
            found.extend(process.children(recursive=True))
    return found


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().splitlines()[0])


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    """One data directory for the module: only the first start pays for initdb and seeding."""
    with embedded_scratch_dir("serve-lifecycle") as scratch:
        path = scratch / "data"
        yield path
        for process in postgres_processes(path / "pgdata"):  # a failed test must not leak one
            process.kill()


class Servers:
    """`deskpilot serve` processes on the module's data directory, each logging to a file of
    its own."""

    def __init__(self, data_dir: Path, logs: Path) -> None:
        self.data_dir = data_dir
        self.pgdata = data_dir / "pgdata"
        self.started: list[Serve] = []
        self._logs = logs

    def start(self, name: str, port: int | None = None) -> Serve:
        """A server logging to `name`.log, once it answers /api/health."""
        server = Serve(self.data_dir, self._logs / f"{name}.log", port)
        self.started.append(server)
        server.wait_until_healthy()
        return server


@pytest.fixture
def serve(data_dir: Path, tmp_path: Path) -> Iterator[Servers]:
    """Starts servers for the test; kills any it left running."""
    servers = Servers(data_dir, tmp_path)
    yield servers
    for server in servers.started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_embedded_database_with_the_app(signum: int, serve: Servers) -> None:
    server = serve.start("serve")
    pgdata = serve.pgdata
    assert postgres_processes(pgdata), "the embedded server should be running"

    server.stop(signum)

    assert postgres_processes(pgdata) == [], server.log.read_text()
    assert not (pgdata / "postmaster.pid").exists()


def running(process: psutil.Process) -> bool:
    """Alive, not a zombie: a stopped orphan stays a zombie where nothing reaps it."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_after_a_sigkill_the_next_start_replaces_the_orphaned_database(serve: Servers) -> None:
    pgdata = serve.pgdata
    killed = serve.start("killed")
    orphan = psutil.Process(postmaster_pid(pgdata))

    killed.stop(signal.SIGKILL)
    assert running(orphan), "a SIGKILL leaves the database running: the case under test"

    second = serve.start("second", port=killed.port)  # same port
    assert not running(orphan)
    assert postmaster_pid(pgdata) != orphan.pid

    second.stop(signal.SIGTERM)
    assert postgres_processes(pgdata) == [], second.log.read_text()


def test_after_a_crash_of_app_and_database_a_stale_pid_file_does_not_stop_the_start(
    serve: Servers,
) -> None:
    pgdata = serve.pgdata
    crashed = serve.start("crashed")
    postmaster = psutil.Process(postmaster_pid(pgdata))

    crashed.stop(signal.SIGKILL)
    postmaster.kill()  # as in a power cut: nothing cleans up
    postmaster.wait(timeout=30)
    assert (pgdata / "postmaster.pid").exists()

    second = serve.start("second", port=crashed.port)
    second.stop(signal.SIGINT)
    assert postgres_processes(pgdata) == [], second.log.read_text()


def test_a_command_run_beside_serve_leaves_its_database_running(serve: Servers) -> None:
    pgdata = serve.pgdata
    server = serve.start("serve")
    postmaster = postmaster_pid(pgdata)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
    env["DESKPILOT_DATA_DIR"] = str(serve.data_dir)
    created = run_command(
        [*deskpilot_command(), "create-user", "--email", "lee@example.com", "--name", "Lee",
         "--password", "a long enough password"],
        env=env, timeout=300,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr

    assert postmaster_pid(pgdata) == postmaster and psutil.pid_exists(postmaster)
    login = httpx.post(
        f"http://127.0.0.1:{server.port}/api/auth/login",
        json={"email": "lee@example.com", "password": "a long enough password"},
        timeout=30,
    )
    assert login.status_code == 200, login.text
    server.stop(signal.SIGTERM)
    assert postgres_processes(pgdata) == []
