"""The database's commands: migrate, seed-demo, create-user, backup, restore."""

import asyncio
from pathlib import Path
from typing import Annotated, Literal

import typer

from deskpilot.cli import common
from deskpilot.core import backup as backups
from deskpilot.core import migrations
from deskpilot.core.db import dispose_engine, init_engine, session_factory
from deskpilot.core.embedded_postgres import other_holders
from deskpilot.core.pg_tools import BackupError
from deskpilot.services import user_service


@common.app.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision")] = "head",
    down: Annotated[bool, typer.Option(help="Downgrade to the revision instead")] = False,
) -> None:
    """Apply (or roll back) database migrations."""
    url = common.database_url_or_exit(common.settings_or_exit())
    if down:
        migrations.downgrade(url, revision if revision != "head" else "base")
    else:
        migrations.upgrade(url, revision)
    typer.echo("Migrations done.")


@common.app.command("seed-demo")
def seed_demo() -> None:
    """Add the demo users and tickets to an empty database."""
    credentials = asyncio.run(
        common.seed_if_empty(common.database_url_or_exit(common.settings_or_exit()), force=True)
    )
    if credentials:
        common.print_credentials(credentials)


@common.app.command("create-user")
def create_user(
    email: Annotated[str, typer.Option(prompt=True)],
    name: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    role: Annotated[str, typer.Option(help="agent or admin")] = "agent",
) -> None:
    """Add a user who can sign in."""
    if role not in ("agent", "admin"):
        raise typer.BadParameter("role must be 'agent' or 'admin'")
    if len(password) < 8:
        raise typer.BadParameter("password must have at least 8 characters")
    role_value: Literal["agent", "admin"] = "admin" if role == "admin" else "agent"

    async def _create() -> None:
        init_engine(common.database_url_or_exit(common.settings_or_exit()), pool_size=1)
        try:
            async with session_factory()() as db:
                await user_service.create_user(
                    db=db, email=email, name=name, password=password, role=role_value
                )
                await db.commit()
        finally:
            await dispose_engine()

    asyncio.run(_create())
    typer.echo(f"Created {role_value} {email}")


@common.app.command()
def backup(
    file: Annotated[
        Path | None,
        typer.Argument(help="Where to write it (default: deskpilot-<database>-<time>.dump here)"),
    ] = None,
) -> None:
    """Back up the whole database to FILE (pg_dump's custom format), while Deskpilot runs."""
    settings = common.settings_or_exit()
    try:
        done = backups.backup(
            common.database_url_or_exit(settings), file, bin_dir=settings.pg_bin_dir
        )
    except BackupError as exc:
        common.fail(str(exc))
    typer.echo(
        f"Backed up {done.target.database!r} (PostgreSQL {done.state.version.split()[0]}, "
        f"{done.state.summary()}) to {done.file} ({_size(done.size)}) "
        f"with {done.tools.describe()}."
    )


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KiB" if size < 1_048_576 else f"{size / 1_048_576:.1f} MiB"


@common.app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file `deskpilot backup` wrote")],
    replace: Annotated[
        bool, typer.Option(help="Replace everything in a database that is not empty")
    ] = False,
) -> None:
    """Restore a backup into the database, in one transaction. Stop Deskpilot first."""
    settings = common.settings_or_exit()
    if settings.database_url is None:
        running = other_holders(settings.data_dir)
        if running:
            common.fail(
                f"Deskpilot is running on {settings.data_dir} (process {running[0]}): "
                "stop it before restoring."
            )
    try:
        done = backups.restore(
            common.database_url_or_exit(settings),
            file,
            replace=replace,
            bin_dir=settings.pg_bin_dir,
        )
    except BackupError as exc:
        common.fail(str(exc))
    head = migrations.head_revision()
    typer.echo(
        f"Restored {file} into {done.target.database!r} ({done.after.summary()}) "
        f"with {done.tools.describe()}."
    )
    if done.after.revision != head:
        step = (
            "`deskpilot serve` applies"
            if settings.database_url is None
            else "run `deskpilot migrate` for"
        )
        typer.echo(
            f"The backup's schema is revision {done.after.revision}; this Deskpilot's is "
            f"{head}: {step} the migrations in between."
        )
