"""XDG_RUNTIME_DIR for the processes Deskpilot starts: no platformdirs RuntimeDirWarning
when the embedded PostgreSQL package is imported without one (containers, CI, root)."""

import os
import stat
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import platformdirs
import pytest

from deskpilot.core.runtime_dir import ensure_runtime_dir
from tests.support.commands import run_command

IMPORT_PGSERVER = """
import os, warnings, platformdirs
warnings.simplefilter("error", platformdirs.RuntimeDirWarning)
{prepare}
import pgserver
print(os.environ.get("XDG_RUNTIME_DIR", "unset"))
"""


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    return run_command([sys.executable, "-c", code], env=env, timeout=60)


def test_importing_the_embedded_server_package_does_not_warn() -> None:
    prepare = "from deskpilot.core.runtime_dir import ensure_runtime_dir; ensure_runtime_dir()"
    result = run_python(IMPORT_PGSERVER.format(prepare=prepare))
    assert result.returncode == 0, result.stderr
    runtime_dir = Path(result.stdout.strip())
    info = runtime_dir.lstat()
    assert stat.S_ISDIR(info.st_mode)
    assert info.st_uid == os.geteuid()
    assert stat.S_IMODE(info.st_mode) == 0o700


@pytest.fixture
def unset_runtime_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No XDG_RUNTIME_DIR, and temporary files under tmp_path (where the fallback goes)."""
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return monkeypatch


@pytest.mark.usefixtures("unset_runtime_dir")
def test_the_runtime_dir_is_platformdirs_own_fallback() -> None:
    """The lock file stays where a process that never set the variable looks for it."""
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        fallback = platformdirs.user_runtime_path()
    ensure_runtime_dir()
    assert os.environ["XDG_RUNTIME_DIR"] == str(fallback)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert platformdirs.user_runtime_path("app") == fallback / "app"


def test_a_fallback_left_too_open_is_made_private(
    unset_runtime_dir: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    unset_runtime_dir.setattr("deskpilot.core.runtime_dir.Path", _no_system_runtime_dir)
    left = tmp_path / f"runtime-{os.geteuid()}"
    left.mkdir(mode=0o755)
    left.chmod(0o755)
    ensure_runtime_dir()
    assert os.environ["XDG_RUNTIME_DIR"] == str(left)
    assert stat.S_IMODE(left.stat().st_mode) == 0o700


def _no_system_runtime_dir(path: str | Path) -> Path:
    text = str(path)
    return Path("/nonexistent" + text) if text.startswith("/run/user/") else Path(text)


def test_a_runtime_dir_already_set_is_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    ensure_runtime_dir()
    assert os.environ["XDG_RUNTIME_DIR"] == str(tmp_path)
