"""The `deskpilot` command's Typer app and what its commands share: the settings, the database
URL (the embedded server started if need be), console steps, the demo data."""

from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from deskpilot import __version__
from deskpilot.core.config import Settings, get_settings
from deskpilot.core.database_url import resolve_database_url
from deskpilot.core.db import dispose_engine, init_engine, session_factory
from deskpilot.core.embedded_postgres import EmbeddedDatabaseError
from deskpilot.services import demo_seed

app = typer.Typer(help="Deskpilot helpdesk server and tools.", no_args_is_help=True)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"deskpilot {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Deskpilot helpdesk server and tools."""


def settings_or_exit() -> Settings:
    """The settings, or a one-line reason they are invalid (no traceback, no values echoed)."""
    try:
        return get_settings()
    except ValidationError as exc:
        reasons = "; ".join(_setting_error(e["loc"], str(e["msg"])) for e in exc.errors())
        fail(f"Invalid configuration: {reasons}")


def fail(message: str) -> NoReturn:
    """End the command with `message` in red on stderr: no traceback."""
    typer.secho(message, err=True, fg="red")
    raise typer.Exit(1) from None


def database_url_or_exit(settings: Settings) -> str:
    """The database URL, starting (and if need be upgrading) the embedded server; a refusal to
    open the embedded data directory ends the command with its message, no traceback."""
    try:
        return resolve_database_url(settings)
    except EmbeddedDatabaseError as exc:
        fail(str(exc))


def _setting_error(loc: tuple[int | str, ...], message: str) -> str:
    """`DESKPILOT_PORT: Input should be …`; a check across settings has no name to give."""
    message = message.removeprefix("Value error, ")
    return f"DESKPILOT_{str(loc[0]).upper()}: {message}" if loc else message


def step(text: str) -> None:
    """One start-up step on the console (plain text, before any server log)."""
    typer.echo(f"{text}...")


def print_credentials(credentials: list[demo_seed.DemoCredential]) -> None:
    typer.secho("\nDemo users created (shown once; change them or create your own):", bold=True)
    for cred in credentials:
        typer.echo(f"  {cred.role:<6} {cred.email:<26} password: {cred.password}")
    typer.echo("")


async def seed_if_empty(url: str, *, force: bool) -> list[demo_seed.DemoCredential] | None:
    init_engine(url, pool_size=2)
    try:
        async with session_factory()() as db:
            if await demo_seed.has_users(db=db):
                if not force:
                    return None
                raise typer.BadParameter("The database already has users; demo data not added.")
            step("Adding demo data (users and about 60 tickets)")
            credentials = await demo_seed.seed_demo(db=db)
            await db.commit()
            return credentials
    finally:
        await dispose_engine()
