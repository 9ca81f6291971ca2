"""Chat sessions over HTTP: create, list, open, rename, delete, attach/detach, message pages,
tickets created from chat, and /api/chat/config."""

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.db import session_factory
from deskpilot.models import ChatMessage, ChatSession, Ticket, TicketEvent, User
from tests.chat.helpers import Client, attach, new_session, send, send_sse, use_fake
from tests.chat.proposals import never
from tests.chat.reads import fetch_all, fetch_one, stored_messages
from tests.chat.received import user_texts_in
from tests.conftest import ClientFactory, LiveServer
from tests.fakes import FakeOpenAIServer, text
from tests.support.factories import make_ticket, make_user
from tests.support.shapes import TICKET_SUMMARY_KEYS

SUMMARY_KEYS = {
    "id",
    "title",
    "created_at",
    "updated_at",
    "attached_ticket_count",
    "last_message_preview",
    "pending_proposals",
    "match",
}


async def add_messages(session_id: str, count: int, *, prefix: str = "message") -> list[str]:
    """Store `count` alternating user/assistant messages directly; returns their ids in order."""
    async with session_factory()() as db:
        rows = [
            ChatMessage(
                session_id=uuid.UUID(session_id),
                role="user" if i % 2 == 0 else "assistant",
                content=f"{prefix} {i}",
            )
            for i in range(count)
        ]
        db.add_all(rows)
        await db.commit()
        return [str(row.id) for row in rows]


# -- create ---------------------------------------------------------------------------------
async def test_create_session_empty_and_with_title(client: Client) -> None:
    bare = await client.post("/api/chat/sessions")
    empty = await client.post("/api/chat/sessions", json={})
    titled = await client.post("/api/chat/sessions", json={"title": "Berlin VPN"})

    assert bare.status_code == empty.status_code == titled.status_code == 201
    body = empty.json()
    assert set(body) == {"id", "title", "created_at", "updated_at", "attached_tickets"}
    assert body["title"] is None
    assert body["attached_tickets"] == []
    assert uuid.UUID(body["id"])
    assert titled.json()["title"] == "Berlin VPN"
    assert len({bare.json()["id"], body["id"], titled.json()["id"]}) == 3


async def test_create_session_rejects_unknown_fields(client: Client) -> None:
    response = await client.post("/api/chat/sessions", json={"titel": "typo"})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "titel"


# -- list -----------------------------------------------------------------------------------
async def test_list_most_recent_activity_first_with_metadata_only(
    client: Client, client_for: ClientFactory, other: User, agent: User, db: AsyncSession
) -> None:
    first = await new_session(client)
    second = await new_session(client, title="Second")
    third = await new_session(client)
    await make_ticket(db, by=agent, title="Printer on floor 3 jammed")
    await attach(client, second["id"], 1)
    long_message = "The printer on floor three " + "keeps jamming " * 40
    reply = await send(client, first["id"], long_message)
    assert reply.status_code == 200, reply.text
    someone_else = await client_for(other)
    await new_session(someone_else, title="Not yours")

    response = await client.get("/api/chat/sessions")

    assert response.status_code == 200
    page = response.json()
    assert page["next_cursor"] is None
    items = page["items"]
    assert [i["id"] for i in items] == [first["id"], second["id"], third["id"]]
    assert all(set(item) == SUMMARY_KEYS for item in items)
    by_id = {i["id"]: i for i in items}
    assert by_id[first["id"]]["title"] == long_message[:59].rsplit(" ", 1)[0] + "…"
    assert by_id[first["id"]]["last_message_preview"] == reply.json()["content"][:120]
    assert by_id[first["id"]]["attached_ticket_count"] == 0
    assert [i["pending_proposals"] for i in items] == [0, 0, 0]
    assert by_id[second["id"]]["title"] == "Second"
    assert by_id[second["id"]]["attached_ticket_count"] == 1
    assert by_id[second["id"]]["last_message_preview"] is None  # system notices are not previews
    assert by_id[third["id"]]["title"] is None
    assert by_id[third["id"]]["last_message_preview"] is None


async def test_list_preview_is_short_and_never_the_history(client: Client) -> None:
    session = await new_session(client)
    await add_messages(session["id"], 3, prefix="x" * 300)

    items = (await client.get("/api/chat/sessions")).json()["items"]

    assert items[0]["last_message_preview"] == ("x" * 300 + " 2")[:120]
    assert "messages" not in items[0]


async def test_search_finds_chats_by_title_or_message_and_shows_the_match(
    client: Client, client_for: ClientFactory, db: AsyncSession
) -> None:
    printer = await new_session(client, title="Printer on 3F")
    vpn = await new_session(client, title="Morning calls")
    await add_messages(vpn["id"], 2, prefix="raj says the VPN drops every ten minutes, 100%_sure")
    await new_session(client, title="Nothing to see")
    someone = await make_user(db, email="someone@example.com", name="Someone Else")
    other = await client_for(someone)  # someone else's chat never shows
    await new_session(other, title="VPN for the other agent")

    async def search(q: str) -> list[dict[str, Any]]:
        response = await client.get("/api/chat/sessions", params={"q": q})
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    by_title = await search("printer")
    assert [i["id"] for i in by_title] == [printer["id"]]
    assert by_title[0]["match"] is None

    by_message = await search("vpn DROPS")
    assert [i["id"] for i in by_message] == [vpn["id"]]
    assert "VPN drops every ten minutes" in by_message[0]["match"]

    assert [i["id"] for i in await search("100%_sure")] == [vpn["id"]]
    assert await search("100%_surely") == []
    # taken literally: only the chat whose message holds a % sign
    assert [i["id"] for i in await search("%")] == [vpn["id"]]
    assert len(await search("")) == 3  # no search: every chat of the user's


async def test_list_keyset_pagination_covers_every_session_once(
    client: Client,
) -> None:
    created = [(await new_session(client, title=f"s{i}"))["id"] for i in range(5)]
    # Same activity time for all: the id breaks the tie, no page repeats or skips one.
    async with session_factory()() as db:
        await db.execute(
            update(ChatSession).values(updated_at=datetime(2025, 3, 14, 9, 0, tzinfo=UTC))
        )
        await db.commit()
    expected = sorted(created, reverse=True)  # updated_at DESC, then id DESC

    seen: list[str] = []
    sizes: list[int] = []
    cursor: str | None = None
    for _ in range(5):
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        response = await client.get("/api/chat/sessions", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        sizes.append(len(page["items"]))
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert sizes == [2, 2, 1]
    assert seen == [str(uuid.UUID(i)) for i in expected]


async def test_list_pagination_follows_activity_order(client: Client) -> None:
    ids = [(await new_session(client))["id"] for _ in range(3)]
    assert (await send(client, ids[0], "hello")).status_code == 200  # activity

    first = (await client.get("/api/chat/sessions", params={"limit": 1})).json()
    second = (
        await client.get("/api/chat/sessions", params={"limit": 5, "cursor": first["next_cursor"]})
    ).json()

    assert [i["id"] for i in first["items"]] == [ids[0]]
    assert [i["id"] for i in second["items"]] == [ids[2], ids[1]]
    assert second["next_cursor"] is None


async def test_list_rejects_a_forged_cursor(client: Client) -> None:
    response = await client.get("/api/chat/sessions", params={"cursor": "not-a-cursor"})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "cursor"


# -- get and message pages ------------------------------------------------------------------
async def test_get_session_has_attached_summaries_and_the_latest_page(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session = await new_session(client)
    await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="VPN down", priority="urgent")
    assert (await attach(client, session["id"], 2, 1)).status_code == 200
    ids = await add_messages(session["id"], 55)

    response = await client.get(f"/api/chat/sessions/{session['id']}")

    assert response.status_code == 200
    body = response.json()
    assert [t["number"] for t in body["attached_tickets"]] == [2, 1]
    assert all(set(t) == TICKET_SUMMARY_KEYS for t in body["attached_tickets"])
    assert body["attached_tickets"][0]["priority"] == "urgent"
    assert body["has_more"] is True
    assert len(body["messages"]) == 50
    assert [m["id"] for m in body["messages"]] == ids[5:]  # latest 50, oldest first
    assert body["messages"][-1]["content"] == "message 54"


async def test_message_pages_before_a_message(client: Client) -> None:
    session = await new_session(client)
    ids = await add_messages(session["id"], 7)
    url = f"/api/chat/sessions/{session['id']}/messages"

    latest = (await client.get(url, params={"limit": 3})).json()
    older = (await client.get(url, params={"limit": 3, "before": ids[4]})).json()
    oldest = (await client.get(url, params={"limit": 3, "before": ids[1]})).json()

    assert [m["id"] for m in latest["items"]] == ids[4:]
    assert latest["has_more"] is True
    assert [m["id"] for m in older["items"]] == ids[1:4]
    assert older["has_more"] is True
    assert [m["id"] for m in oldest["items"]] == ids[:1]
    assert oldest["has_more"] is False


async def test_message_page_before_an_unknown_message_is_404(client: Client) -> None:
    session = await new_session(client)
    other_session = await new_session(client)
    foreign = await add_messages(other_session["id"], 1)

    response = await client.get(
        f"/api/chat/sessions/{session['id']}/messages", params={"before": foreign[0]}
    )

    assert response.status_code == 404


async def test_unknown_or_malformed_session_id_is_404(client: Client) -> None:
    for session_id in (str(uuid.uuid4()), "not-a-uuid"):
        response = await client.get(f"/api/chat/sessions/{session_id}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "session_not_found"


# -- rename ---------------------------------------------------------------------------------
async def test_rename_and_a_later_generated_title_never_overwrites_it(
    server: LiveServer, client: Client, openai_fake: FakeOpenAIServer
) -> None:
    session = await new_session(client)
    renamed = await client.patch(
        f"/api/chat/sessions/{session['id']}", json={"title": "Printer triage"}
    )
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Printer triage"
    use_fake(server, openai_fake, llm_generate_titles=True)
    openai_fake.script(text("Sure, let me help."), text("Model Made Title"))

    status, events = await send_sse(client, session["id"], "help me with the printers")

    assert status == 200
    assert "session_title" not in [name for name, _ in events]
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert detail["title"] == "Printer triage"


async def test_rename_validates_the_title(client: Client) -> None:
    session = await new_session(client)

    empty = await client.patch(f"/api/chat/sessions/{session['id']}", json={"title": ""})
    too_long = await client.patch(f"/api/chat/sessions/{session['id']}", json={"title": "x" * 121})

    assert empty.status_code == too_long.status_code == 422
    assert empty.json()["error"]["details"][0]["field"] == "title"


async def test_first_message_derives_a_title(client: Client) -> None:
    session = await new_session(client)

    await send(client, session["id"], "  what's   the status of #1? ")

    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert detail["title"] == "what's the status of #1?"


# -- delete ---------------------------------------------------------------------------------
async def test_delete_cascades_messages_and_keeps_tickets_made_there(
    server: LiveServer, client: Client
) -> None:
    never(server)  # the copilot creates the ticket at once
    session = await new_session(client)
    created = await send(
        client, session["id"], "create a ticket for the VPN outage in Berlin, it's urgent"
    )
    assert created.status_code == 200
    assert len(await stored_messages(session["id"])) == 2

    response = await client.delete(f"/api/chat/sessions/{session['id']}")

    assert response.status_code == 204
    assert (await client.get(f"/api/chat/sessions/{session['id']}")).status_code == 404
    assert await stored_messages(session["id"]) == []
    tickets = await fetch_all(select(Ticket))
    assert [(t.number, t.source, t.chat_session_id) for t in tickets] == [(1, "chat", None)]
    assert (await client.get("/api/tickets/1")).status_code == 200
    assert (await client.delete(f"/api/chat/sessions/{session['id']}")).status_code == 404


# -- attach / detach ------------------------------------------------------------------------
async def test_attach_by_uuid_and_number_forms_ignoring_duplicates(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session = await new_session(client)
    tickets = [await make_ticket(db, by=agent, title=f"Ticket {i}") for i in range(1, 5)]

    response = await client.patch(
        f"/api/chat/sessions/{session['id']}/tickets",
        json={"attach": [str(tickets[0].id), 2, "3", "#4", "#1", 2, str(tickets[2].id)]},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert [t["number"] for t in body["attached_tickets"]] == [1, 2, 3, 4]
    notice = body["system_message"]
    assert notice["role"] == "system"
    assert notice["content"] == ("Attached #1, #2, #3, #4.")
    assert notice["ticket_refs"] == [str(t.id) for t in tickets]

    again = await attach(client, session["id"], 1, "#2")
    assert again.status_code == 200
    assert again.json()["system_message"] is None  # nothing changed, nothing recorded
    assert [m.role for m in await stored_messages(session["id"])] == ["system"]


async def test_detach_records_a_system_message_the_model_sees(
    server: LiveServer, client: Client, db: AsyncSession, agent: User, openai_fake: FakeOpenAIServer
) -> None:
    session = await new_session(client)
    first = await make_ticket(db, by=agent, title="Printer jammed")
    await make_ticket(db, by=agent, title="VPN down")
    await attach(client, session["id"], 1, 2)

    response = await client.patch(
        f"/api/chat/sessions/{session['id']}/tickets", json={"detach": [str(first.id)]}
    )

    assert response.status_code == 200
    assert [t["number"] for t in response.json()["attached_tickets"]] == [2]
    assert response.json()["system_message"]["content"] == "Detached #1."
    stored = await stored_messages(session["id"])
    assert [(m.role, m.content) for m in stored] == [
        ("system", "Attached #1, #2."),
        ("system", "Detached #1."),
    ]
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert [m["content"] for m in detail["messages"]] == [m.content for m in stored]
    # The model is told too, as a notice before the user's next message.
    use_fake(server, openai_fake)
    openai_fake.script(text("Noted: only #2 is attached now."))
    assert (await send(client, session["id"], "what is attached?")).status_code == 200
    sent = "\n\n".join(user_texts_in(openai_fake.requests[0]))
    assert (
        sent.index("[Deskpilot notice] Attached #1, #2.")
        < sent.index("[Deskpilot notice] Detached #1.")
        < sent.index("what is attached?")
    )


async def test_attach_unknown_tickets_is_404_naming_them(
    client: Client, db: AsyncSession, agent: User
) -> None:
    session = await new_session(client)
    await make_ticket(db, by=agent)
    ghost = uuid.uuid4()

    response = await client.patch(
        f"/api/chat/sessions/{session['id']}/tickets", json={"attach": [1, 99, str(ghost)]}
    )

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "#99" in error["message"] and str(ghost) in error["message"]
    assert "#1" not in error["message"]
    assert [d["message"] for d in error["details"]] == ["#99", str(ghost)]
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert detail["attached_tickets"] == []  # all or nothing


async def test_attach_rejects_refs_that_are_not_tickets(client: Client) -> None:
    session = await new_session(client)

    response = await attach(client, session["id"], "printer")

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "attach"


async def test_detach_rejects_refs_that_are_not_tickets(client: Client) -> None:
    session = await new_session(client)

    response = await client.patch(
        f"/api/chat/sessions/{session['id']}/tickets", json={"detach": ["#1", "printer"]}
    )

    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["detach"]


async def test_attach_over_the_cap_is_422_and_changes_nothing(
    server: LiveServer, client: Client, db: AsyncSession, agent: User
) -> None:
    server.configure(chat_max_attached_tickets=3)
    session = await new_session(client)
    for i in range(5):
        await make_ticket(db, by=agent, title=f"Ticket {i + 1}")

    at_cap = await attach(client, session["id"], 1, 2, 3)
    over = await attach(client, session["id"], 4)
    too_many_at_once = await client.patch(
        f"/api/chat/sessions/{session['id']}/tickets", json={"detach": [1], "attach": [4, 5]}
    )
    swap = await client.patch(
        f"/api/chat/sessions/{session['id']}/tickets", json={"detach": [1], "attach": [4]}
    )

    assert at_cap.status_code == 200
    assert over.status_code == too_many_at_once.status_code == 422
    assert over.json()["error"]["details"][0]["field"] == "attach"
    assert swap.status_code == 200
    assert [t["number"] for t in swap.json()["attached_tickets"]] == [2, 3, 4]


# -- tickets created from chat --------------------------------------------------------------
async def test_create_ticket_from_chat(client: Client, agent: User) -> None:
    session = await new_session(client)

    response = await client.post(
        "/api/chat/tickets",
        json={
            "session_id": session["id"],
            "title": "Badge reader broken",
            "description": "Front door badge reader rejects every card",
            "priority": "high",
            "category": "facilities",
        },
    )

    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["number"] == 1
    assert ticket["source"] == "chat"
    assert ticket["chat_session_id"] == session["id"]
    assert (ticket["priority"], ticket["category"]) == ("high", "facilities")
    assert ticket["created_by"]["id"] == str(agent.id)
    detail = (await client.get(f"/api/chat/sessions/{session['id']}")).json()
    assert [t["id"] for t in detail["attached_tickets"]] == [ticket["id"]]
    assert [m["content"] for m in detail["messages"]] == ["Attached #1."]
    events = await fetch_all(select(TicketEvent).where(TicketEvent.ticket_id == ticket["id"]))
    assert [(e.action, e.channel, str(e.chat_session_id), e.actor_id) for e in events] == [
        ("created", "chat", session["id"], agent.id)
    ]


async def test_create_ticket_from_chat_needs_a_known_session(client: Client) -> None:
    response = await client.post(
        "/api/chat/tickets",
        json={"session_id": str(uuid.uuid4()), "title": "x", "description": "y"},
    )

    assert response.status_code == 404
    assert await fetch_one(select(Ticket.id)) is None


# -- config ---------------------------------------------------------------------------------
async def test_config_reports_the_offline_assistant_by_default(client: Client) -> None:
    response = await client.get("/api/chat/config")

    assert response.status_code == 200
    assert response.json() == {
        "provider": "offline",
        "model": "deskpilot-offline",
        "offline": True,
        "max_message_chars": 8000,
        "max_attached_tickets": 20,
        "approval": {"policy": "writes", "ask_before_changes": True, "can_change": False},
    }


async def test_config_reports_configured_providers(server: LiveServer, client: Client) -> None:
    server.configure(
        llm_provider="openai",
        llm_model="gpt-test-1",
        llm_base_url="http://127.0.0.1:9/v1",
        chat_max_message_chars=500,
        chat_max_attached_tickets=7,
    )
    openai = (await client.get("/api/chat/config")).json()
    server.configure(llm_provider="anthropic")
    anthropic = (await client.get("/api/chat/config")).json()

    assert openai == {
        "provider": "openai",
        "model": "gpt-test-1",
        "offline": False,
        "max_message_chars": 500,
        "max_attached_tickets": 7,
        "approval": {"policy": "writes", "ask_before_changes": True, "can_change": False},
    }
    assert anthropic == {
        "provider": "anthropic",
        "model": "claude-sonnet-4-5",
        "offline": False,
        "max_message_chars": 8000,
        "max_attached_tickets": 20,
        "approval": {"policy": "writes", "ask_before_changes": True, "can_change": False},
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/chat/config"),
        ("GET", "/api/chat/sessions"),
        ("POST", "/api/chat/sessions"),
        ("POST", "/api/chat/tickets"),
        ("GET", "/api/chat/sessions/00000000-0000-4000-8000-000000000001"),  # no such chat
    ],
)
async def test_chat_routes_need_a_signed_in_user(
    anon: httpx.AsyncClient, method: str, path: str
) -> None:
    response = await anon.request(method, path, json={})
    assert response.status_code == 401, response.text
