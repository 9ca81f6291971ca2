"""A database migrated by a role that may not create extensions.

`pg_trgm` and `unaccent` are trusted extensions: any role with CREATE on the database may
install them. A role without it is refused (insufficient_privilege), as on a managed or
locked-down server, so migration 0005 leaves them out there: the app's plain path, on a
real server. `preinstalled` extensions are created first by the superuser, as a DBA would.

As a plugin (tests/conftest.py) it gives every module that sets `NAME` (its databases'
name stem) two such databases for the module: `plain`, and `trigram_only` with pg_trgm
installed by a DBA.
"""

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from deskpilot.core import migrations
from tests.support.databases import admin_execute, drop_database, fresh_database, on_server


@dataclass(frozen=True)
class LimitedDatabase:
    name: str
    role: str
    url: str  # as the limited role
    admin_url: str  # as the superuser


def create_limited_database(name: str, *, preinstalled: tuple[str, ...] = ()) -> LimitedDatabase:
    """Database `name`, owned by the superuser, migrated to head by role `<name>_role`,
    which may create tables in its public schema but not extensions."""
    role = f"{name}_role"
    admin_url = fresh_database(name)
    on_server(f'DROP ROLE IF EXISTS "{role}"', f'CREATE ROLE "{role}" LOGIN')
    asyncio.run(
        admin_execute(
            admin_url,
            f'GRANT USAGE, CREATE ON SCHEMA public TO "{role}"',
            *(f'CREATE EXTENSION "{extension}"' for extension in preinstalled),
        )
    )
    scheme, rest = admin_url.split("://", 1)
    url = f"{scheme}://{role}@{rest.split('@', 1)[1]}"  # no password: the test server trusts
    migrations.upgrade(url)
    return LimitedDatabase(name=name, role=role, url=url, admin_url=admin_url)


def drop_limited_database(database: LimitedDatabase) -> None:
    drop_database(database.name)
    on_server(f'DROP ROLE IF EXISTS "{database.role}"')


def _for_module(name: str, preinstalled: tuple[str, ...] = ()) -> Iterator[LimitedDatabase]:
    database = create_limited_database(name, preinstalled=preinstalled)
    yield database
    drop_limited_database(database)


@pytest.fixture(scope="module")
def plain(request: pytest.FixtureRequest) -> Iterator[LimitedDatabase]:
    yield from _for_module(request.module.NAME)


@pytest.fixture(scope="module")
def trigram_only(request: pytest.FixtureRequest) -> Iterator[LimitedDatabase]:
    yield from _for_module(request.module.NAME + "_trgm", preinstalled=("pg_trgm",))
