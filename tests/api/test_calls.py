"""/api/calls: log a call (by the signed-in agent) and list calls by contact or ticket."""

import uuid
from typing import Any

import httpx
import pytest

from deskpilot.models import User
from tests.api.test_errors import assert_error, fields
from tests.support import fast

client_for, client = fast.client_for, fast.client
Client = httpx.AsyncClient


async def post_ok(client: Client, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_log_and_list(client: Client, agent: User) -> None:
    maria = await post_ok(
        client,
        "/api/contacts",
        {"name": "Maria Lopez", "phone": "+1 555 010 2030", "organization": "Acme"},
    )
    ticket = await post_ok(
        client, "/api/tickets", {"title": "Printer jams", "contact_id": maria["id"]}
    )
    call = await post_ok(
        client,
        "/api/calls",
        {
            "contact_id": maria["id"],
            "ticket_id": ticket["id"],
            "summary": "Printer jams again",
            "duration_seconds": 240,
            "started_at": "2026-12-07T09:00:00Z",
        },
    )
    assert call["channel"] == "call"
    assert call["direction"] == "inbound"
    assert call["contact"] == {
        "id": maria["id"],
        "number": 1,
        "name": "Maria Lopez",
        "organization": "Acme",
        "phone": "+15550102030",
    }
    assert call["ticket"] == {"id": ticket["id"], "number": 1, "title": "Printer jams"}
    assert call["agent"]["id"] == str(agent.id)
    later = await post_ok(
        client,
        "/api/calls",
        {"contact_id": maria["id"], "summary": "Asked about invoices", "direction": "outbound"},
    )
    assert later["ticket"] is None
    by_contact = await fast.get_ok(client, "/api/calls", contact_id=maria["id"])
    assert [c["id"] for c in by_contact["items"]] == [later["id"], call["id"]]  # newest first
    by_ticket = await fast.get_ok(client, "/api/calls", ticket_id=ticket["id"])
    assert [c["id"] for c in by_ticket["items"]] == [call["id"]]
    first = await fast.get_ok(client, "/api/calls", contact_id=maria["id"], limit=1)
    rest = await fast.get_ok(
        client, "/api/calls", contact_id=maria["id"], limit=1, cursor=first["next_cursor"]
    )
    assert [c["id"] for c in first["items"] + rest["items"]] == [later["id"], call["id"]]
    detail = await fast.get_ok(client, "/api/contacts/1")
    assert [c["id"] for c in detail["calls"]] == [later["id"], call["id"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contact_id": str(uuid.uuid4()), "summary": "x"}, "contact_id"),
        ({"summary": "x"}, "contact_id"),
        ({"contact_id": "{contact}", "summary": ""}, "summary"),
        ({"contact_id": "{contact}", "summary": "x", "direction": "sideways"}, "direction"),
        ({"contact_id": "{contact}", "summary": "x", "duration_seconds": -1}, "duration_seconds"),
        ({"contact_id": "{contact}", "summary": "x", "ticket_id": str(uuid.uuid4())}, "ticket_id"),
        (
            {"contact_id": "{contact}", "summary": "x", "started_at": "2026-12-07T09:00:00"},
            "started_at",
        ),
    ],
)
async def test_bad_calls_are_422_naming_the_field(
    client: Client, body: dict[str, Any], field: str
) -> None:
    contact = await post_ok(client, "/api/contacts", {"name": "Dana Kim"})
    sent = {k: (contact["id"] if v == "{contact}" else v) for k, v in body.items()}
    error = assert_error(await client.post("/api/calls", json=sent), 422, "validation_error")
    assert fields(error) == [field]
