"""PATCH /api/tickets/{ref} with `assignee`: a person by name, first name, surname or e-mail,
"me" or "none"; no one, several people or a team is a 422 that says why."""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.support import fast
from tests.support.factories import make_user

client_for, client = fast.client_for, fast.client


@pytest.fixture
async def desk(db: AsyncSession) -> dict[str, User]:
    people = {
        "jose": ("jose.nunez@desk.example", "José Núñez"),
        "becker": ("tom.becker@desk.example", "Tom Becker"),
        "lindqvist": ("tom.lindqvist@desk.example", "Tom Lindqvist"),
        "gone": ("old.hand@desk.example", "Olga Hand"),
    }
    made = {k: await make_user(db, email=e, name=n) for k, (e, n) in people.items()}
    made["gone"].is_active = False
    await db.commit()
    return made


async def assign(client: httpx.AsyncClient, value: object) -> httpx.Response:
    return await client.patch("/api/tickets/1", json={"assignee": value})


async def new_ticket(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/tickets", json={"title": "Dock flickers"})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("written", "who"),
    [
        ("José Núñez", "jose"),
        ("jose", "jose"),
        ("NUNEZ", "jose"),
        ("jose.nunez@desk.example", "jose"),
        ("Tom.Becker@Desk.Example", "becker"),
        ("becker", "becker"),
        ("tom lindqvist", "lindqvist"),
    ],
)
async def test_assign_by_name_or_email(
    client: httpx.AsyncClient, desk: dict[str, User], written: str, who: str
) -> None:
    await new_ticket(client)
    response = await assign(client, written)
    assert response.status_code == 200, response.text
    ticket = response.json()
    assert ticket["assignee"]["id"] == str(desk[who].id)
    [event] = [e for e in ticket["events"] if e["field"] == "assignee_id"]
    assert event["new_value"] == str(desk[who].id), "audited like an assignee_id change"


async def test_me_and_none(client: httpx.AsyncClient, agent: User, desk: dict[str, User]) -> None:
    await new_ticket(client)
    assert (await assign(client, "me")).json()["assignee"]["id"] == str(agent.id)
    assert (await assign(client, "none")).json()["assignee"] is None


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("tom", "'tom' could be Tom Becker or Tom Lindqvist: say which one"),
        ("sarah", "no agent of this desk is called 'sarah'"),
        ("olga", "no agent of this desk is called 'olga'"),  # inactive
        ("the network team", "is a team"),
    ],
)
async def test_what_cannot_be_settled_is_a_422_saying_why(
    client: httpx.AsyncClient, desk: dict[str, User], written: str, says: str
) -> None:
    await new_ticket(client)
    response = await assign(client, written)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert says in error["message"]
    assert [d["field"] for d in error["details"]] == ["assignee"]
    assert (await client.get("/api/tickets/1")).json()["assignee"] is None


async def test_assignee_and_assignee_id_together_are_refused(
    client: httpx.AsyncClient, desk: dict[str, User]
) -> None:
    await new_ticket(client)
    body = {"assignee": "jose", "assignee_id": str(desk["becker"].id)}
    response = await client.patch("/api/tickets/1", json=body)
    assert response.status_code == 422
    assert "not both" in response.json()["error"]["message"]
