"""`deskpilot backup` and `deskpilot restore`: the whole database in pg_dump's custom format.

A backup is one consistent snapshot taken while Deskpilot runs (pg_dump reads in one
repeatable-read transaction), written to FILE.partial and renamed when complete. A restore
needs Deskpilot stopped (no other connection to the database) and runs in one transaction:
into an empty database, or, with `replace`, over an existing one whose public schema is
dropped first, in the same transaction. Either it all happens or nothing changes.
Programs and versions: core/pg_tools.py.
"""

import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from deskpilot.core.pg_tools import BackupError, PgTools, Target, available_tools, choose, target_of

_RELAY_BYTES = 1 << 20
COUNTED_TABLES = ("users", "tickets", "chat_sessions", "chat_messages")
_DUMPED_BY = re.compile(r"Dumped by pg_dump version: (\d+)")
_DUMPED_FROM = re.compile(r"Dumped from database version: (\d+)")
_DESKPILOT_TABLE = re.compile(r"\bTABLE public alembic_version\b")
_STATE_SQL = """
SELECT current_setting('server_version') AS version,
       current_setting('server_version_num')::int / 10000 AS major,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')) AS tables,
       (SELECT count(*) FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid()
           AND backend_type = 'client backend') AS others,
       to_regclass('public.alembic_version') IS NOT NULL AS versioned
"""


@dataclass(frozen=True)
class DatabaseState:
    version: str  # the server's, e.g. "18.6" or "15.20 (Debian 15.20-0+deb12u1)"
    major: int
    tables: int  # in the public schema
    others: int  # other client connections to this database
    revision: str | None  # Deskpilot's schema revision (alembic_version), if any
    counts: dict[str, int]  # rows of COUNTED_TABLES that exist

    def summary(self) -> str:
        parts = [f"{count} {table.replace('_', ' ')}" for table, count in self.counts.items()]
        return ", ".join(parts) or "no Deskpilot tables"


async def _read_state(url: str) -> DatabaseState:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            row = (await connection.execute(text(_STATE_SQL))).one()
            revision = None
            if row.versioned:
                revision = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            counts: dict[str, int] = {}
            for table in COUNTED_TABLES:
                if await connection.scalar(
                    text(f"SELECT to_regclass('public.{table}') IS NOT NULL")
                ):
                    counts[table] = int(
                        await connection.scalar(text(f"SELECT count(*) FROM {table}"))
                    )
    except (OSError, SQLAlchemyError) as exc:
        raise BackupError(f"Cannot read the database: {exc}") from exc
    finally:
        await engine.dispose()
    return DatabaseState(
        version=row.version,
        major=row.major,
        tables=row.tables,
        others=row.others,
        revision=revision,
        counts=counts,
    )


def database_state(url: str) -> DatabaseState:
    return asyncio.run(_read_state(url))


def _run(tools: PgTools, target: Target, program: str, *args: str) -> str:
    result = subprocess.run(
        [tools.path(program), *args],
        env=_environment(target),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def _environment(target: Target) -> dict[str, str]:
    # PG* variables of the caller's own (a PGSERVICE, a PGOPTIONS) must not redirect us.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    return {**inherited, **target.env}


@dataclass(frozen=True)
class BackupDone:
    file: Path
    size: int
    tools: PgTools
    state: DatabaseState
    target: Target


def default_backup_file(database: str, now: datetime | None = None) -> Path:
    return Path(f"deskpilot-{database}-{(now or datetime.now()):%Y%m%d-%H%M%S}.dump")


def backup(url: str, file: Path | None, *, bin_dir: Path | None) -> BackupDone:
    target = target_of(url)
    state = database_state(url)
    tools = choose(
        available_tools(bin_dir),
        at_least=state.major,
        prefer=state.major,
        need=f"Backing up PostgreSQL {state.major}",
    )
    file = file or default_backup_file(target.database)
    if file.is_dir():
        file = file / default_backup_file(target.database)
    partial = file.with_name(file.name + ".partial")
    try:
        _run(tools, target, "pg_dump", "--format=custom", "--no-password", f"--file={partial}")
        partial.replace(file)
    finally:
        partial.unlink(missing_ok=True)
    return BackupDone(file, file.stat().st_size, tools, state, target)


@dataclass(frozen=True)
class RestoreDone:
    tools: PgTools
    dumped_by: int
    before: DatabaseState
    after: DatabaseState
    target: Target


@dataclass(frozen=True)
class Archive:
    dumped_by: int  # the major of the pg_dump that made it
    dumped_from: int  # the major of the server it was made from


def _archive(tools: list[PgTools], file: Path, target: Target) -> Archive:
    """What made `file`, read with the newest pg_restore here."""
    newest = max(tools, key=lambda t: (t.major, t.version))
    try:
        listing = _run(newest, target, "pg_restore", "--list", str(file))
    except BackupError as exc:
        raise BackupError(
            f"{file} is not a backup pg_restore {newest.version} can read (a pg_dump "
            f"custom-format archive, made by pg_dump {newest.major} or older): {exc}"
        ) from None
    if not _DESKPILOT_TABLE.search(listing):
        raise BackupError(f"{file} is not a Deskpilot backup (it has no alembic_version table).")
    by, source = _DUMPED_BY.search(listing), _DUMPED_FROM.search(listing)
    dumped_by = int(by.group(1)) if by else newest.major
    return Archive(dumped_by, int(source.group(1)) if source else dumped_by)


def restore(
    url: str, file: Path, *, replace: bool, bin_dir: Path | None, others_ok: bool = False
) -> RestoreDone:
    if not file.is_file():
        raise BackupError(f"No such backup file: {file}")
    target = target_of(url)
    before = database_state(url)
    if before.others and not others_ok:
        raise BackupError(
            f"{before.others} other connection(s) to the database {target.database!r}: stop "
            f"Deskpilot (every `deskpilot serve` using it) before restoring."
        )
    if before.tables and not replace:
        raise BackupError(
            f"The database {target.database!r} is not empty ({before.summary()}). "
            f"`deskpilot restore {file} --replace` replaces everything in it with the backup."
        )
    found = available_tools(bin_dir)
    archive = _archive(found, file, target)
    tools = choose(
        found,
        at_least=archive.dumped_by,
        prefer=before.major,
        need=f"Reading a backup made by pg_dump {archive.dumped_by}",
    )
    try:
        _restore_in_one_transaction(tools, target, file, replace=replace)
    except BackupError as exc:
        if archive.dumped_from <= before.major:
            raise
        raise BackupError(
            f"{exc}\nThe backup comes from PostgreSQL {archive.dumped_from}; this server is "
            f"PostgreSQL {before.major}. Restore into PostgreSQL {archive.dumped_from} or newer."
        ) from None
    return RestoreDone(tools, archive.dumped_by, before, database_state(url), target)


def _restore_in_one_transaction(
    tools: PgTools, target: Target, file: Path, *, replace: bool
) -> None:
    """pg_restore writes the SQL, one psql runs it in one transaction (after dropping the
    old schema, with `replace`), stopping at the first error. The SQL is relayed here, so
    that psql sees the end of its input, and commits, only once pg_restore has succeeded;
    if pg_restore fails, psql is killed mid-transaction and PostgreSQL rolls it back."""
    env = _environment(target)
    drop = ["-c", "DROP SCHEMA public CASCADE", "-c", "CREATE SCHEMA public"] if replace else []
    with tempfile.TemporaryFile() as writer_log, tempfile.TemporaryFile() as runner_log:
        writer = subprocess.Popen(
            [tools.path("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(file)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=writer_log,
        )
        runner = subprocess.Popen(
            [tools.path("psql"), "-X", "-q", "--no-password", "-v", "ON_ERROR_STOP=1",
             "--single-transaction", *drop, "-f", "-"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=runner_log,
        )  # fmt: skip
        assert writer.stdout is not None and runner.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # psql stopped at an error
            shutil.copyfileobj(writer.stdout, runner.stdin, _RELAY_BYTES)
        writer.stdout.close()
        wrote = writer.wait() == 0
        if runner.poll() is None and not wrote:
            runner.kill()  # before it reads the end of its input: nothing is committed
        with contextlib.suppress(BrokenPipeError):
            runner.stdin.close()
        ran = runner.wait() == 0
        if not ran:
            raise BackupError(
                "The restore failed and was rolled back; the database is as it was. "
                + (f"psql: {_tail(runner_log)}" if wrote else f"pg_restore: {_tail(writer_log)}")
            )
        if not wrote:
            raise BackupError(f"pg_restore failed: {_tail(writer_log)}")


def _tail(log: IO[bytes]) -> str:
    log.seek(0)
    return log.read().decode(errors="replace").strip()[-2000:]
