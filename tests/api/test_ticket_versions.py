"""A ticket write sent with the version its writer saw (If-Match: the ticket's updated_at)
is refused with 409 and the fresh ticket when someone changed the ticket since: never a
silent overwrite."""

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import fast
from tests.support.factories import make_user

client_for, client = fast.client_for, fast.client
Client = httpx.AsyncClient


async def created(client: Client) -> dict[str, Any]:
    response = await client.post("/api/tickets", json={"title": "Printer jammed"})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_get_names_the_version_in_its_etag(client: Client) -> None:
    await created(client)

    response = await client.get("/api/tickets/1")

    assert response.headers["etag"] == f'"{_iso(response.json()["updated_at"])}"'


def _iso(value: str) -> str:
    """The API's "…Z" as Python writes the same instant ("…+00:00")."""
    return value.replace("Z", "+00:00")


async def test_a_write_on_the_version_seen_goes_through(client: Client) -> None:
    await created(client)
    seen = await client.get("/api/tickets/1")

    patched = await client.patch(
        "/api/tickets/1", json={"status": "in_progress"}, headers={"If-Match": seen.headers["etag"]}
    )
    noted = await client.post(
        "/api/tickets/1/notes",
        json={"body": "Called back"},
        headers={"If-Match": patched.json()["updated_at"]},  # the body's value works too
    )

    assert patched.status_code == 200, patched.text
    assert noted.status_code == 201, noted.text


async def test_a_stale_write_gets_409_with_the_fresh_ticket(
    client: Client, client_for: Any, db: AsyncSession
) -> None:
    await created(client)
    seen = (await client.get("/api/tickets/1")).json()
    theirs = await client_for(await make_user(db, email="otto@example.com", name="Otto"))
    assert (await theirs.patch("/api/tickets/1", json={"priority": "urgent"})).status_code == 200

    stale = await client.patch(
        "/api/tickets/1", json={"priority": "low"}, headers={"If-Match": seen["updated_at"]}
    )
    stale_note = await client.post(
        "/api/tickets/1/notes", json={"body": "x"}, headers={"If-Match": seen["updated_at"]}
    )

    assert stale.status_code == stale_note.status_code == 409
    body = stale.json()
    assert body["error"]["code"] == "stale"
    assert body["ticket"]["priority"] == "urgent"
    assert body["ticket"]["updated_at"] > seen["updated_at"]
    now = (await client.get("/api/tickets/1")).json()
    assert (now["priority"], now["notes"]) == ("urgent", [])


@pytest.mark.parametrize("value", ["yesterday", '"2026-01-01T10:00:00"', "W/"])
async def test_an_unreadable_version_is_422(client: Client, value: str) -> None:
    await created(client)

    response = await client.patch(
        "/api/tickets/1", json={"status": "closed"}, headers={"If-Match": value}
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "If-Match"


async def test_without_if_match_or_with_a_star_writes_as_before(client: Client) -> None:
    await created(client)

    plain = await client.patch("/api/tickets/1", json={"status": "closed"})
    star = await client.patch("/api/tickets/1", json={"status": "open"}, headers={"If-Match": "*"})

    assert plain.status_code == star.status_code == 200
