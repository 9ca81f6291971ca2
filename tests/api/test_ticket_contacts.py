"""A ticket's caller: contact_id on create and update (audited as the field `contact`,
undoable, version-checked), the list filter, and `contact` on every TicketSummary."""

from typing import Any

import httpx
import pytest

from tests.api.test_errors import assert_error, fields
from tests.support import fast

client_for, client = fast.client_for, fast.client
Client = httpx.AsyncClient


async def post_ok(client: Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
async def callers(client: Client) -> list[dict[str, Any]]:
    return [
        await post_ok(
            client,
            "/api/contacts",
            {"name": "Maria Lopez", "phone": "+1 555 010 2030", "organization": "Acme"},
        ),
        await post_ok(client, "/api/contacts", {"name": "Dana Kim"}),
    ]


def ref(contact: dict[str, Any]) -> dict[str, Any]:
    organization = contact["organization"]["name"] if contact["organization"] else None
    return {
        "id": contact["id"],
        "number": contact["number"],
        "name": contact["name"],
        "organization": organization,
        "phone": contact["phone"],
    }


async def test_create_with_a_caller_shows_them_everywhere(
    client: Client, callers: list[dict[str, Any]]
) -> None:
    maria, _ = callers
    created = await post_ok(
        client, "/api/tickets", {"title": "Printer jams", "contact_id": maria["id"]}
    )
    assert created["contact"] == ref(maria)
    detail = await fast.get_ok(client, "/api/tickets/1")
    assert detail["contact"] == ref(maria)
    assert detail["events"][0]["new_value"]["contact"] == {
        "id": maria["id"],
        "number": 1,
        "name": "Maria Lopez",
    }
    listed = await fast.get_ok(client, "/api/tickets")
    assert listed["items"][0]["contact"] == ref(maria)
    similar = await fast.get_ok(client, "/api/tickets/similar", title="Printer jams again")
    assert similar["items"][0]["contact"] == ref(maria)
    hits = await fast.get_ok(client, "/api/tickets/search", q="printer")
    assert hits["items"][0]["contact"] == ref(maria)
    contact = await fast.get_ok(client, "/api/contacts/1")
    assert contact["open_tickets"] == 1
    assert [t["number"] for t in contact["open_ticket_list"]] == [1]


async def test_the_list_filters_by_caller(client: Client, callers: list[dict[str, Any]]) -> None:
    maria, dana = callers
    for title, caller in (("A", maria), ("B", dana), ("C", maria), ("D", None)):
        await post_ok(
            client, "/api/tickets", {"title": title, "contact_id": caller["id"] if caller else None}
        )
    page = await fast.get_ok(client, "/api/tickets", contact_id=maria["id"], with_total="true")
    assert [t["title"] for t in page["items"]] == ["C", "A"]
    assert page["total"] == 2
    page = await fast.get_ok(client, "/api/tickets", contact_id=dana["id"])
    assert [t["title"] for t in page["items"]] == ["B"]
    error = assert_error(
        await client.get("/api/tickets", params={"contact_id": "maria"}), 422, "validation_error"
    )
    assert fields(error) == ["contact_id"]


async def test_change_audit_and_undo(client: Client, callers: list[dict[str, Any]]) -> None:
    maria, dana = callers
    await post_ok(client, "/api/tickets", {"title": "Printer jams", "contact_id": maria["id"]})
    response = await client.patch("/api/tickets/1", json={"contact_id": dana["id"]})
    assert response.status_code == 200, response.text
    detail = response.json()
    assert detail["contact"] == ref(dana)
    [change] = [e for e in detail["events"] if e["field"] == "contact"]
    assert change["old_value"] == {"id": maria["id"], "number": 1, "name": "Maria Lopez"}
    assert change["new_value"] == {"id": dana["id"], "number": 2, "name": "Dana Kim"}
    assert change["can_undo"] is True
    undone = await client.post(f"/api/tickets/1/events/{change['id']}/undo")
    assert undone.status_code == 200, undone.text
    assert undone.json()["contact"] == ref(maria)
    # detaching, and a change that changes nothing
    detached = (await client.patch("/api/tickets/1", json={"contact_id": None})).json()
    assert detached["contact"] is None
    again = (await client.patch("/api/tickets/1", json={"contact_id": None})).json()
    assert len([e for e in again["events"] if e["field"] == "contact"]) == 3  # change, undo, detach


async def test_undo_refused_when_the_caller_changed_since(
    client: Client, callers: list[dict[str, Any]]
) -> None:
    maria, dana = callers
    await post_ok(client, "/api/tickets", {"title": "Printer jams"})
    first = (await client.patch("/api/tickets/1", json={"contact_id": maria["id"]})).json()
    [change] = [e for e in first["events"] if e["field"] == "contact"]
    await client.patch("/api/tickets/1", json={"contact_id": dana["id"]})
    refused = await client.post(f"/api/tickets/1/events/{change['id']}/undo")
    error = assert_error(refused, 409, "conflict")
    assert fields(error) == ["contact"]
    assert "another caller" in error["message"]


async def test_a_stale_caller_change_is_409(client: Client, callers: list[dict[str, Any]]) -> None:
    maria, dana = callers
    seen = await post_ok(client, "/api/tickets", {"title": "Printer jams"})
    await client.patch("/api/tickets/1", json={"contact_id": maria["id"]})
    stale = await client.patch(
        "/api/tickets/1", json={"contact_id": dana["id"]}, headers={"If-Match": seen["updated_at"]}
    )
    assert stale.status_code == 409, stale.text
    body = stale.json()
    assert body["error"]["code"] == "stale"
    assert body["ticket"]["contact"] == ref(maria)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
async def test_an_unknown_caller_is_422(client: Client, method: str) -> None:
    if method == "PATCH":
        await post_ok(client, "/api/tickets", {"title": "x"})
    body = {"title": "x", "contact_id": "00000000-0000-0000-0000-000000000000"}
    path = "/api/tickets" if method == "POST" else "/api/tickets/1"
    if method == "PATCH":
        body.pop("title")
    error = assert_error(await client.request(method, path, json=body), 422, "validation_error")
    assert fields(error) == ["contact_id"]
