"""GET /api/users?q=: people found by name or e-mail, ignoring case and accents."""

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from deskpilot.services.user_service import find_users
from tests.api.test_errors import assert_error, fields
from tests.support import fast
from tests.support.factories import make_user

client_for, client = fast.client_for, fast.client

PEOPLE = [
    ("jose.alvarez@example.com", "José Álvarez"),
    ("jsmith@example.com", "Jose Smith"),
    ("zoe@example.com", "Zoë Brønn"),
    ("maria@example.com", "María Josefa Núñez"),
    ("francois@example.com", "François Müller"),
]


@pytest.fixture
async def people(db: AsyncSession, agent: User) -> None:
    for email, name in PEOPLE:
        await make_user(db, email=email, name=name)
    await make_user(db, email="gone@example.com", name="José Gone", active=False)


async def lookup(client: httpx.AsyncClient, q: str) -> list[str]:
    response = await client.get("/api/users", params={"q": q})
    assert response.status_code == 200, response.text
    users: list[dict[str, Any]] = response.json()
    return [user["name"] for user in users]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # whole names first, then names that start with it, then the rest; inactive never
        ("jose", ["Jose Smith", "José Álvarez", "María Josefa Núñez"]),
        ("José", ["Jose Smith", "José Álvarez", "María Josefa Núñez"]),
        ("JOSE ALVAREZ", ["José Álvarez"]),
        ("alvarez", ["José Álvarez"]),
        ("zoe", ["Zoë Brønn"]),
        ("nunez", ["María Josefa Núñez"]),
        ("francois muller", ["François Müller"]),
        ("jsmith@", ["Jose Smith"]),
        ("ada", ["Ada Agent"]),
        ("nobody", []),
        ("%", []),  # no wildcard: a plain character
        ("_", []),
    ],
)
async def test_names_are_found_without_their_accents(
    client: httpx.AsyncClient, people: None, q: str, expected: list[str]
) -> None:
    assert await lookup(client, q) == expected


async def test_without_q_every_active_user_is_listed(
    client: httpx.AsyncClient, people: None
) -> None:
    names = await lookup(client, "")
    assert names == sorted(names)
    assert len(names) == len(PEOPLE) + 1  # and the agent; not the inactive one
    assert "José Gone" not in names


async def test_the_lookup_service_caps_its_answer(db: AsyncSession, people: None) -> None:
    # Every e-mail contains "example": the first two names.
    assert [u.name for u in await find_users(db=db, query="example", limit=2)] == [
        "Ada Agent",
        "François Müller",
    ]


@pytest.mark.parametrize(("q", "field"), [("x" * 121, "q"), ("jo\x00se", "q")])
async def test_bad_input_is_422(client: httpx.AsyncClient, q: str, field: str) -> None:
    error = assert_error(await client.get("/api/users", params={"q": q}), 422, "validation_error")
    assert fields(error) == [field]
