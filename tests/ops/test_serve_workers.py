"""`deskpilot serve` as operations meet it: several workers whose metrics add up on the
metrics port (a worker killed and replaced counts once), JSON log lines on stderr, and the
demo credentials of a first start on the console only, never in the log."""

import asyncio
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.api.deps import CSRF_HEADER, SESSION_COOKIE
from deskpilot.models import User
from tests.conftest import LiveServer, free_port
from tests.ops.support import Scrape
from tests.support.commands import ROOT, deskpilot_command, stop_process, until_healthy
from tests.support.fast import open_session

START_SECONDS = 180  # workers import the app first: tens of seconds on a busy machine


class Served:
    def __init__(self, *args: str, env: dict[str, str], logs: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.stdout, self.stderr = logs / "stdout.log", logs / "stderr.log"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DESKPILOT_")}
        with self.stdout.open("wb") as out, self.stderr.open("wb") as err:
            self.process = subprocess.Popen(
                deskpilot_command("serve", "--port", str(self.port), *args),
                cwd=ROOT,
                env={**clean, "DESKPILOT_SECRET_KEY": "test-secret", **env},
                stdout=out,
                stderr=err,
            )

    def wait_healthy(self) -> None:
        until_healthy(
            self.process, self.base_url, timeout=START_SECONDS, output=self.stderr.read_text
        )

    def workers(self) -> list[psutil.Process]:
        """uvicorn's worker processes (not multiprocessing's resource tracker)."""
        children = psutil.Process(self.process.pid).children()
        return [p for p in children if "spawn_main" in " ".join(p.cmdline())]

    def log_lines(self) -> list[dict[str, Any]]:
        """stderr, where every line must be one JSON object."""
        return [json.loads(line) for line in self.stderr.read_text().splitlines() if line]

    def stop(self) -> None:
        if self.process.poll() is None:
            stop_process(self.process, grace=60, signum=signal.SIGINT)


@pytest.fixture
def serving() -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for served in started:
        served.stop()


def scrape(url: str, **kwargs: Any) -> Scrape:
    response = httpx.get(url, timeout=10, **kwargs)
    assert response.status_code == 200, response.text
    return Scrape(response.text)


def until(check: Any, seconds: float = START_SECONDS) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail("gave up waiting")


async def test_two_workers_metrics_add_up_and_a_dead_workers_gauges_go(
    live_server: LiveServer,
    database_url: str,
    db: AsyncSession,
    admin: User,
    serving: list[Served],
    tmp_path: Path,
) -> None:
    session = await open_session(live_server, db, admin)
    await asyncio.to_thread(two_workers, database_url, session, admin, serving, tmp_path)


def two_workers(
    database_url: str, session: tuple[str, str], admin: User, serving: list[Served], tmp_path: Path
) -> None:
    token, csrf = session
    metrics_port = free_port()
    served = Served(
        "--workers",
        "2",
        env={
            "DESKPILOT_DATABASE_URL": database_url,
            "DESKPILOT_ENVIRONMENT": "test",
            "DESKPILOT_LOG_FORMAT": "json",
            "DESKPILOT_METRICS_PORT": str(metrics_port),
            "DESKPILOT_DB_POOL_SIZE": "3",
        },
        logs=tmp_path,
    )
    serving.append(served)
    served.wait_healthy()
    metrics_url = f"http://127.0.0.1:{metrics_port}/metrics"
    # Both workers up: each counts its pool's limit (2 x 3) into the one sum.
    until(lambda: scrape(metrics_url).value("deskpilot_db_connections_max") == 12)

    for n in range(12):  # a connection each: the kernel spreads them over the workers
        with httpx.Client(base_url=served.base_url, cookies={SESSION_COOKIE: token}) as one:
            assert one.get("/api/tickets", headers={"X-Request-ID": f"w-{n}"}).status_code == 200

    counted = until(
        lambda: (s := scrape(metrics_url)).value(
            "deskpilot_http_request_duration_seconds_count",
            method="GET", route="/api/tickets", status="200",
        ) == 12 and s
    )  # fmt: skip
    assert "deskpilot_http_request_duration_seconds_bucket" in counted.text
    # The app's own /metrics, answered by either worker for an administrator, says the same.
    mine = scrape(
        f"{served.base_url}/metrics", cookies={SESSION_COOKIE: token}, headers={CSRF_HEADER: csrf}
    )
    assert mine.value(
        "deskpilot_http_request_duration_seconds_count",
        method="GET", route="/api/tickets", status="200",
    ) == 12  # fmt: skip

    victim = served.workers()[0]
    victim.kill()  # SIGKILL: no exit hook runs
    victim.wait(timeout=30)
    # uvicorn starts a replacement; once it is up, the sum is two workers' again, not three.
    until(lambda: served.stderr.read_text().count("Application startup complete") == 3)
    assert len(served.workers()) == 2 and victim.pid not in {w.pid for w in served.workers()}
    assert scrape(metrics_url).value("deskpilot_db_connections_max") == 12

    lines = served.log_lines()  # every stderr line is JSON
    requests = [line for line in lines if line.get("event") == "request"]
    assert {line["request_id"] for line in requests} >= {f"w-{n}" for n in range(12)}
    assert {line["user_id"] for line in requests} == {str(admin.id)}
    assert any("Started parent process" in line["message"] for line in lines)


@pytest.mark.embedded
def test_a_first_start_prints_the_credentials_on_the_console_not_in_the_log(
    serving: list[Served], tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    served = Served(
        env={
            "DESKPILOT_DATA_DIR": str(data_dir),
            "DESKPILOT_LOG_FORMAT": "json",
            "DESKPILOT_FRONTEND_DIR": str(tmp_path / "no-web-app"),
        },
        logs=tmp_path,
    )
    serving.append(served)
    served.wait_healthy()
    served.stop()

    console = served.stdout.read_text()
    passwords = [line.split()[-1] for line in console.splitlines() if "password:" in line]
    assert len(passwords) == 3, console
    log = served.stderr.read_text()
    lines = served.log_lines()  # JSON, every one
    assert any(line["message"].startswith("Uvicorn running") for line in lines)
    assert not [p for p in passwords if p in log]
    assert "password" not in log.lower()
