"""The eval's own database, on the server the desk is configured with (the embedded one by
default): created and migrated before a run, dropped after. The desk's data is never read
or written; a scratch name equal to the desk's database is refused."""

import asyncio

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from deskpilot.core import migrations

DEFAULT_NAME = "deskpilot_eval"


class ScratchDatabaseError(RuntimeError):
    pass


def scratch_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of `server_url` (same user, host, socket)."""
    url = make_url(server_url)
    if url.database == name:
        raise ScratchDatabaseError(
            f"The eval database may not be the desk's own database ({name!r}): choose another "
            "name with --scratch-database."
        )
    return url.set(database=name).render_as_string(hide_password=False)


async def _on_server(server_url: str, *statements: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT", pool_size=1)
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_scratch(server_url: str, name: str = DEFAULT_NAME) -> str:
    """A fresh, migrated database `name` beside the desk's; its URL. Call outside an event
    loop (migrations run their own)."""
    url = scratch_url(server_url, name)
    asyncio.run(
        _on_server(
            server_url,
            f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)",
            f"CREATE DATABASE {_quoted(name)}",
        )
    )
    migrations.upgrade(url)
    return url


def drop_scratch(server_url: str, name: str = DEFAULT_NAME) -> None:
    scratch_url(server_url, name)  # the same refusal
    asyncio.run(_on_server(server_url, f"DROP DATABASE IF EXISTS {_quoted(name)} WITH (FORCE)"))
