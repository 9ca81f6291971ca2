"""Stopping the embedded server through postmaster.pid never signals a process that is not
that directory's postmaster (a stale file's pid may have been reused by anything)."""

import subprocess
from pathlib import Path

import pytest

from deskpilot.core.embedded_postgres import stop_postmaster

pytestmark = pytest.mark.embedded


def test_a_stale_pid_file_naming_another_process_stops_nothing(tmp_path: Path) -> None:
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    other = subprocess.Popen(["sleep", "60"])
    try:
        (pgdata / "postmaster.pid").write_text(f"{other.pid}\n{pgdata}\n1700000000\n5432\n")
        assert stop_postmaster(pgdata) is False
        assert other.poll() is None, "an unrelated process was signalled"
    finally:
        other.kill()
        other.wait()


def test_no_pid_file_means_nothing_to_stop(tmp_path: Path) -> None:
    assert stop_postmaster(tmp_path) is False
