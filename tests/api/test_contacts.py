"""/api/contacts: create, read, edit, search over HTTP; a bad phone or e-mail is 422 naming
the field, a taken one 409 naming the contact that has it; merge is for admins; every
route needs a signed-in user."""

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.api.test_errors import assert_error, fields
from tests.support import fast

client_for, client = fast.client_for, fast.client
Client = httpx.AsyncClient

MARIA = {
    "name": "Maria Lopez",
    "phone": "+1 (555) 010-2030",
    "email": "Maria.Lopez@acme.example.com",
    "organization": "Acme Corp",
    "notes": "Prefers e-mail",
}


async def create(client: Client, **body: Any) -> dict[str, Any]:
    response = await client.post("/api/contacts", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_create_and_read(client: Client) -> None:
    maria = await create(client, **MARIA)
    assert maria["number"] == 1
    assert maria["phone"] == "+15550102030"
    assert maria["phone_display"] == "+1 555-010-2030"
    assert maria["email"] == "Maria.Lopez@acme.example.com"  # stored as given
    assert maria["organization"]["name"] == "Acme Corp"
    assert maria["open_tickets"] == 0
    for ref in ("1", "C-1", maria["id"]):
        detail = await fast.get_ok(client, f"/api/contacts/{ref}")
        assert detail["id"] == maria["id"]
        assert detail["open_ticket_list"] == detail["recent_tickets"] == detail["calls"] == []
    second = await create(client, name="Kevin O'Brien", organization="ACME CORP")
    assert second["organization"] == maria["organization"]  # the same organisation


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "phone": "555-0102"}, "phone"),
        ({"name": "X", "phone": "call me maybe"}, "phone"),
        ({"name": "X", "email": "maria(at)acme"}, "email"),
        ({"name": "X", "email": "maria@"}, "email"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"phone": "+15550102030"}, "name"),
        ({"name": "X", "shoe_size": 42}, "shoe_size"),
    ],
)
async def test_bad_fields_are_422_naming_the_field(
    client: Client, body: dict[str, Any], field: str
) -> None:
    error = assert_error(await client.post("/api/contacts", json=body), 422, "validation_error")
    assert fields(error) == [field]


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "555.010.2030"), ("email", "MARIA.LOPEZ@ACME.EXAMPLE.COM")],
)
async def test_a_taken_phone_or_email_is_409_naming_the_contact(
    client: Client, field: str, value: str
) -> None:
    maria = await create(client, **MARIA)
    response = await client.post("/api/contacts", json={"name": "M. Lopez", field: value})
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["error"]["code"] == "conflict"
    assert fields(body["error"]) == [field]
    assert "C-1 Maria Lopez" in body["error"]["message"]
    assert body["contact"]["id"] == maria["id"]
    # and on an edit, but not when a contact keeps its own
    other = await create(client, name="Dana Kim")
    taken = await client.patch(f"/api/contacts/{other['number']}", json={field: value})
    assert taken.status_code == 409
    same = await client.patch("/api/contacts/1", json={field: value})
    assert same.status_code == 200, same.text


async def test_edit_and_clear(client: Client) -> None:
    await create(client, **MARIA)
    response = await client.patch(
        "/api/contacts/1", json={"name": "María López", "phone": "5550109999", "organization": ""}
    )
    assert response.status_code == 200, response.text
    edited = response.json()
    assert (edited["name"], edited["phone"], edited["organization"]) == (
        "María López",
        "+15550109999",
        None,
    )
    assert edited["email"] == MARIA["email"]  # left out: kept
    cleared = (await client.patch("/api/contacts/1", json={"phone": None, "email": ""})).json()
    assert (cleared["phone"], cleared["email"]) == (None, None)
    error = assert_error(
        await client.patch("/api/contacts/1", json={"email": "nope"}), 422, "validation_error"
    )
    assert fields(error) == ["email"]
    error = assert_error(
        await client.patch("/api/contacts/1", json={"name": None}), 422, "validation_error"
    )
    assert fields(error) == ["name"]


async def test_search_over_http(client: Client) -> None:
    await create(client, **MARIA)
    await create(client, name="Dana Kim", phone="555 010 7781", organization="Northwind")
    for q, expected in (
        ("maria", ["Maria Lopez"]),
        ("northwind", ["Dana Kim"]),
        ("(555) 010-7781", ["Dana Kim"]),
        ("7781", ["Dana Kim"]),
        ("maria.lopez@acme.example.com", ["Maria Lopez"]),
        ("", ["Dana Kim", "Maria Lopez"]),
    ):
        page = await fast.get_ok(client, "/api/contacts", q=q)
        assert [c["name"] for c in page["items"]] == expected, q
    error = assert_error(
        await client.get("/api/contacts", params={"cursor": "not-a-cursor"}),
        422,
        "validation_error",
    )
    assert fields(error) == ["cursor"]


@pytest.mark.parametrize("ref", ["99", "C-99", "00000000-0000-0000-0000-000000000000", "maria"])
async def test_an_unknown_contact_is_404(client: Client, ref: str) -> None:
    assert_error(await client.get(f"/api/contacts/{ref}"), 404, "not_found")


async def test_merge_is_for_admins(
    client: Client, client_for: Any, admin: User, db: AsyncSession
) -> None:
    maria = await create(client, **MARIA)
    duplicate = await create(client, name="M Lopez", email="m@acme.example.com")
    ticket = await client.post("/api/tickets", json={"title": "VPN", "contact_id": duplicate["id"]})
    assert ticket.status_code == 201, ticket.text
    refused = await client.post("/api/contacts/1/merge", json={"duplicate_id": duplicate["id"]})
    assert_error(refused, 403, "forbidden")

    admin_client = await client_for(admin)
    response = await admin_client.post(
        "/api/contacts/1/merge", json={"duplicate_id": duplicate["id"]}
    )
    assert response.status_code == 200, response.text
    kept = response.json()
    assert kept["id"] == maria["id"]
    assert kept["email"] == MARIA["email"]  # its own kept
    assert [t["number"] for t in kept["open_ticket_list"]] == [1]
    assert kept["open_tickets"] == 1
    assert_error(await client.get(f"/api/contacts/{duplicate['id']}"), 404, "not_found")
    trail = (await fast.get_ok(client, "/api/tickets/1"))["events"]
    moved = [e for e in trail if e["field"] == "contact"]
    assert [(e["old_value"]["name"], e["new_value"]["name"]) for e in moved] == [
        ("M Lopez", "Maria Lopez")
    ]
    assert moved[0]["actor"]["id"] == str(admin.id)
    again = await admin_client.post("/api/contacts/1/merge", json={"duplicate_id": maria["id"]})
    assert fields(assert_error(again, 422, "validation_error")) == ["duplicate_id"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/contacts"),
        ("POST", "/api/contacts"),
        ("GET", "/api/contacts/1"),
        ("PATCH", "/api/contacts/1"),
        ("POST", "/api/contacts/1/merge"),
        ("GET", "/api/calls"),
        ("POST", "/api/calls"),
    ],
)
async def test_signed_out_is_401(anon: Client, method: str, path: str) -> None:
    assert_error(await anon.request(method, path, json={}), 401, "unauthorized")
