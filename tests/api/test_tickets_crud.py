"""Tickets: create, read by id or number, update with an audit event per change, notes."""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.support import fast
from tests.support.factories import make_user
from tests.support.shapes import TICKET_SUMMARY_KEYS

client_for, client = fast.client_for, fast.client


def ref(user: User) -> dict[str, str]:
    return {"id": str(user.id), "name": user.name, "email": user.email}


async def create(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"title": "Printer jammed", "description": "Paper stuck in tray 2", **fields}
    response = await client.post("/api/tickets", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def detail(client: httpx.AsyncClient, ticket_ref: str | int) -> dict[str, Any]:
    response = await client.get(f"/api/tickets/{ticket_ref}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def events(ticket: dict[str, Any]) -> list[dict[str, Any]]:
    """Events without their generated id and time."""
    return [{k: v for k, v in e.items() if k not in ("id", "created_at")} for e in ticket["events"]]


def by_a_person(can_undo: bool) -> dict[str, Any]:
    """An event's audit fields when a person made the change (not the copilot), not undone."""
    return {
        "write_id": None,
        "approved_by": None,
        "reverts_id": None,
        "reverted": False,
        "can_undo": can_undo,
    }


async def test_create_applies_defaults_and_records_a_created_event(
    client: httpx.AsyncClient, agent: User
) -> None:
    response = await client.post(
        "/api/tickets", json={"title": "  VPN drops every hour ", "description": "Since Monday"}
    )
    assert response.status_code == 201
    ticket = response.json()
    assert set(ticket) == TICKET_SUMMARY_KEYS | {"description", "created_by", "chat_session_id"}
    uuid.UUID(ticket["id"])
    assert ticket["number"] == 1
    assert ticket["title"] == "VPN drops every hour"  # surrounding whitespace trimmed
    assert ticket["description"] == "Since Monday"
    assert (ticket["status"], ticket["priority"], ticket["source"]) == ("open", "medium", "call")
    assert ticket["category"] is None
    assert ticket["assignee"] is None
    assert ticket["created_by"] == ref(agent)
    assert ticket["chat_session_id"] is None
    assert ticket["created_at"] == ticket["updated_at"]

    stored = await detail(client, 1)
    assert stored["notes"] == []
    assert events(stored) == [
        {
            "action": "created",
            "field": None,
            "old_value": None,
            "new_value": {
                "title": "VPN drops every hour",
                "status": "open",
                "priority": "medium",
                "category": None,
                "source": "call",
            },
            "actor": ref(agent),
            "channel": "api",
            "chat_session_id": None,
            **by_a_person(can_undo=False),  # creating a ticket is not undone
        }
    ]


async def test_create_with_every_field(client: httpx.AsyncClient, agent: User, admin: User) -> None:
    ticket = await create(
        client,
        title="Invoice shows wrong VAT",
        description="",
        priority="urgent",
        category="billing",
        status="in_progress",
        assignee_id=str(admin.id),
        source="chat",
    )
    assert ticket["description"] == ""
    assert ticket["priority"] == "urgent"
    assert ticket["category"] == "billing"
    assert ticket["status"] == "in_progress"
    assert ticket["assignee"] == ref(admin)
    assert ticket["source"] == "chat"
    assert ticket["created_by"] == ref(agent)


async def test_numbers_count_up_from_one(client: httpx.AsyncClient) -> None:
    numbers = [(await create(client, title=f"t{i}"))["number"] for i in range(3)]
    assert numbers == [1, 2, 3]


async def test_create_through_the_web_app_records_channel_ui(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/tickets", json={"title": "From the UI"}, headers={"X-Deskpilot-Channel": "ui"}
    )
    assert response.status_code == 201
    assert [e["channel"] for e in (await detail(client, 1))["events"]] == ["ui"]


@pytest.mark.parametrize("bad", [{"source": "email"}, {"status": "new"}, {"priority": "p1"}])
async def test_create_rejects_values_outside_the_enums(
    client: httpx.AsyncClient, bad: dict[str, str]
) -> None:
    response = await client.post("/api/tickets", json={"title": "t", **bad})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == list(bad)


async def test_get_by_uuid_number_and_hash_number_are_the_same(client: httpx.AsyncClient) -> None:
    await create(client, title="first")
    second = await create(client, title="second")
    assert (
        await client.post("/api/tickets/2/notes", json={"body": "Rang back"})
    ).status_code == 201
    by_id = await detail(client, second["id"])
    assert [n["body"] for n in by_id["notes"]] == ["Rang back"]
    assert [e["action"] for e in by_id["events"]] == ["created", "note_added"]
    assert by_id["number"] == 2
    assert by_id["title"] == "second"
    assert await detail(client, 2) == by_id
    assert await detail(client, "%232") == by_id  # "#2"
    assert await detail(client, second["id"].upper()) == by_id


async def test_unknown_ticket_is_404(client: httpx.AsyncClient) -> None:
    await create(client)
    for missing in ("2", "%23999", str(uuid.uuid4())):
        response = await client.get(f"/api/tickets/{missing}")
        assert response.status_code == 404, missing
        assert response.json()["error"]["code"] == "not_found"
    assert "#2" in (await client.get("/api/tickets/2")).json()["error"]["message"]


FIELD_CHANGES = [
    ("status", "open", "resolved"),
    ("priority", "medium", "urgent"),
    ("category", None, "network"),
    ("title", "Printer jammed", "Printer on floor 3 jammed"),
    ("description", "Paper stuck in tray 2", "Paper stuck in tray 2 and tray 3"),
]


@pytest.mark.parametrize(("field", "old", "new"), FIELD_CHANGES)
async def test_patch_one_field_writes_one_event(
    client: httpx.AsyncClient, agent: User, field: str, old: Any, new: Any
) -> None:
    created = await create(client)
    assert created[field] == old
    response = await client.patch("/api/tickets/1", json={field: new})
    assert response.status_code == 200
    ticket = response.json()
    assert ticket[field] == new
    assert ticket["updated_at"] > created["updated_at"]
    assert events(ticket)[1:] == [
        {
            "action": "updated",
            "field": field,
            "old_value": old,
            "new_value": new,
            "actor": ref(agent),
            "channel": "api",
            "chat_session_id": None,
            **by_a_person(can_undo=True),  # the agent's own change
        }
    ]
    # The response is what is stored.
    assert await detail(client, 1) == ticket


async def test_assign_and_unassign_record_user_ids(
    client: httpx.AsyncClient, agent: User, admin: User
) -> None:
    await create(client)
    assigned = await client.patch("/api/tickets/1", json={"assignee_id": str(admin.id)})
    assert assigned.status_code == 200
    assert assigned.json()["assignee"] == ref(admin)
    unassigned = await client.patch("/api/tickets/1", json={"assignee_id": None})
    assert unassigned.status_code == 200
    assert unassigned.json()["assignee"] is None
    assert [(e["field"], e["old_value"], e["new_value"]) for e in events(unassigned.json())] == [
        (None, None, events(unassigned.json())[0]["new_value"]),
        ("assignee_id", None, str(admin.id)),
        ("assignee_id", str(admin.id), None),
    ]


async def test_patch_several_fields_writes_one_event_each(
    client: httpx.AsyncClient, agent: User, admin: User
) -> None:
    await create(client)
    changes = {field: new for field, _, new in FIELD_CHANGES} | {"assignee_id": str(admin.id)}
    response = await client.patch("/api/tickets/%231", json=changes)
    assert response.status_code == 200
    ticket = response.json()
    recorded = {e["field"]: (e["old_value"], e["new_value"]) for e in events(ticket)[1:]}
    assert recorded == {field: (old, new) for field, old, new in FIELD_CHANGES} | {
        "assignee_id": (None, str(admin.id))
    }
    assert len(ticket["events"]) == 1 + 6
    assert {e["action"] for e in ticket["events"][1:]} == {"updated"}
    assert {e["actor"]["id"] for e in ticket["events"]} == {str(agent.id)}


async def test_only_changed_fields_get_events(client: httpx.AsyncClient) -> None:
    await create(client, priority="high")
    response = await client.patch(
        "/api/tickets/1",
        json={"priority": "high", "status": "in_progress", "title": "Printer jammed"},
    )
    assert [(e["field"], e["old_value"], e["new_value"]) for e in events(response.json())[1:]] == [
        ("status", "open", "in_progress")
    ]


async def test_patch_that_changes_nothing_writes_no_event(client: httpx.AsyncClient) -> None:
    created = await create(client, category="hardware")
    same = {
        "title": created["title"],
        "description": created["description"],
        "status": "open",
        "priority": "medium",
        "category": "hardware",
        "assignee_id": None,
    }
    for body in (same, {}):
        response = await client.patch("/api/tickets/1", json=body)
        assert response.status_code == 200
        assert [e["action"] for e in response.json()["events"]] == ["created"]
        assert response.json()["updated_at"] == created["updated_at"]


async def test_patch_through_the_web_app_records_channel_ui(
    client: httpx.AsyncClient, agent: User
) -> None:
    await create(client)
    response = await client.patch(
        "/api/tickets/1",
        json={"status": "closed", "notes": "Closed by phone"},
        headers={"X-Deskpilot-Channel": "UI"},
    )
    assert [(e["action"], e["channel"]) for e in response.json()["events"]] == [
        ("created", "api"),
        ("updated", "ui"),
        ("note_added", "ui"),
    ]
    # Any other header value is the API.
    other = await client.patch(
        "/api/tickets/1", json={"status": "open"}, headers={"X-Deskpilot-Channel": "chat"}
    )
    assert other.json()["events"][-1]["channel"] == "api"


async def test_notes_in_patch_appends_a_note_and_a_note_added_event(
    client: httpx.AsyncClient, agent: User
) -> None:
    created = await create(client)
    response = await client.patch(
        "/api/tickets/1", json={"notes": "Called back, replaced the drum"}
    )
    assert response.status_code == 200
    ticket = response.json()
    assert [(n["body"], n["author"]) for n in ticket["notes"]] == [
        ("Called back, replaced the drum", ref(agent))
    ]
    assert events(ticket)[1:] == [
        {
            "action": "note_added",
            "field": None,
            "old_value": None,
            "new_value": {"note_id": ticket["notes"][0]["id"]},
            "actor": ref(agent),
            "channel": "api",
            "chat_session_id": None,
            **by_a_person(can_undo=True),
        }
    ]
    assert ticket["updated_at"] > created["updated_at"]
    assert ticket["status"] == "open"


async def test_post_note(
    client: httpx.AsyncClient, agent: User, admin: User, client_for: Any
) -> None:
    await create(client)
    first = await client.post("/api/tickets/1/notes", json={"body": "  First call  "})
    assert first.status_code == 201
    note = first.json()
    assert set(note) == {"id", "body", "author", "created_at", "retracted_at", "retracted_by"}
    assert (note["retracted_at"], note["retracted_by"]) == (None, None)
    assert note["body"] == "First call"
    assert note["author"] == ref(agent)
    as_admin = await client_for(admin)
    second = await as_admin.post(
        f"/api/tickets/{(await detail(client, 1))['id']}/notes", json={"body": "Second call"}
    )
    assert second.status_code == 201

    ticket = await detail(client, 1)
    assert [(n["body"], n["author"]["id"]) for n in ticket["notes"]] == [
        ("First call", str(agent.id)),
        ("Second call", str(admin.id)),
    ]
    assert ticket["notes"][0] == note
    assert [(e["action"], e["actor"]["id"], e["new_value"]) for e in ticket["events"]][1:] == [
        ("note_added", str(agent.id), {"note_id": note["id"]}),
        ("note_added", str(admin.id), {"note_id": second.json()["id"]}),
    ]


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "   "}, {"body": None}])
async def test_empty_note_is_rejected(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    await create(client)
    response = await client.post("/api/tickets/1/notes", json=body)
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["body"]
    assert (await detail(client, 1))["notes"] == []


async def test_note_on_unknown_ticket_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/tickets/9/notes", json={"body": "hello"})
    assert response.status_code == 404
    assert (await client.patch("/api/tickets/9", json={"status": "closed"})).status_code == 404


@pytest.mark.parametrize("unknown", ["number", "source", "created_by", "statsu", "note"])
async def test_patch_unknown_field_is_422_naming_it(
    client: httpx.AsyncClient, unknown: str
) -> None:
    await create(client)
    response = await client.patch("/api/tickets/1", json={"status": "closed", unknown: "x"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"] == [{"field": unknown, "message": "unknown field"}]
    # Nothing was applied.
    assert (await detail(client, 1))["status"] == "open"


async def test_create_unknown_field_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/tickets", json={"title": "t", "number": 5})
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [{"field": "number", "message": "unknown field"}]
    assert (await client.get("/api/tickets")).json()["items"] == []


async def test_assignee_that_does_not_exist_is_422(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    inactive = await make_user(db, email="left@example.com", active=False)
    for assignee in (str(uuid.uuid4()), str(inactive.id)):
        response = await client.post("/api/tickets", json={"title": "t", "assignee_id": assignee})
        assert response.status_code == 422
        assert [d["field"] for d in response.json()["error"]["details"]] == ["assignee_id"]
    assert (await client.get("/api/tickets")).json()["items"] == []

    await create(client)
    response = await client.patch("/api/tickets/1", json={"assignee_id": str(uuid.uuid4())})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["assignee_id"]
    assert (await detail(client, 1))["assignee"] is None


@pytest.mark.parametrize("field", ["title", "status", "priority"])
async def test_required_fields_cannot_be_nulled(client: httpx.AsyncClient, field: str) -> None:
    await create(client)
    response = await client.patch("/api/tickets/1", json={field: None})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == [field]


async def test_clearing_category_and_description(client: httpx.AsyncClient) -> None:
    await create(client, category="network")
    cleared = await client.patch("/api/tickets/1", json={"category": "", "description": None})
    assert cleared.status_code == 200
    ticket = cleared.json()
    assert (ticket["category"], ticket["description"]) == (None, "")
    assert [(e["field"], e["old_value"], e["new_value"]) for e in events(ticket)[1:]] == [
        ("description", "Paper stuck in tray 2", ""),
        ("category", "network", None),
    ]
