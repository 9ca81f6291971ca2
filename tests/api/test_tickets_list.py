"""GET /api/tickets: each filter, newest first, keyset pagination, limits."""

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.support import fast
from tests.support.factories import make_ticket, make_user
from tests.support.shapes import TICKET_SUMMARY_KEYS

client_for, client = fast.client_for, fast.client

# number: (status, priority, source, category, assignee) — every value of every filter is
# present, and each filter value picks a different set of tickets.
MIX: dict[int, tuple[str, str, str, str | None, str | None]] = {
    1: ("open", "low", "call", "network", None),
    2: ("in_progress", "medium", "chat", "billing", "agent"),
    3: ("resolved", "high", "call", "hardware", "admin"),
    4: ("closed", "urgent", "chat", "network", "agent"),
    5: ("open", "high", "call", None, "admin"),
    6: ("in_progress", "urgent", "call", "billing", None),
    7: ("resolved", "low", "chat", "hardware", "agent"),
    8: ("closed", "medium", "call", "Network", None),
    9: ("open", "medium", "call", "account", "agent"),
}


@pytest.fixture
async def mix(db: AsyncSession, agent: User, admin: User) -> dict[str, User]:
    users = {"agent": agent, "admin": admin}
    tickets = await fast.make_tickets(
        db,
        by=admin,
        specs=(
            {
                "title": f"Ticket {number}",
                "status": status,
                "priority": priority,
                "source": source,
                "category": category,
                "assignee_id": users[assignee].id if assignee else None,
            }
            for number, (status, priority, source, category, assignee) in MIX.items()
        ),
    )
    assert [t.number for t in tickets] == list(MIX)
    return users


async def numbers(client: httpx.AsyncClient, query: str = "") -> list[int]:
    response = await client.get(f"/api/tickets?{query}")
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    return [item["number"] for item in response.json()["items"]]


async def test_newest_first_with_summaries(
    client: httpx.AsyncClient, mix: dict[str, User], agent: User
) -> None:
    response = await client.get("/api/tickets")
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    assert [item["number"] for item in body["items"]] == [9, 8, 7, 6, 5, 4, 3, 2, 1]
    item = body["items"][0]
    assert set(item) == TICKET_SUMMARY_KEYS
    assert (item["title"], item["status"], item["priority"], item["source"], item["category"]) == (
        "Ticket 9",
        "open",
        "medium",
        "call",
        "account",
    )
    assert item["assignee"] == {"id": str(agent.id), "name": agent.name, "email": agent.email}


async def test_empty_list(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/tickets")).json() == {
        "items": [],
        "next_cursor": None,
        "total": None,
        "total_capped": False,
    }
    assert (await client.get("/api/tickets?with_total=true")).json()["total"] == 0


FILTER_CASES = [
    ("status=open", [9, 5, 1]),
    ("status=in_progress", [6, 2]),
    ("status=resolved", [7, 3]),
    ("status=closed", [8, 4]),
    ("priority=low", [7, 1]),
    ("priority=medium", [9, 8, 2]),
    ("priority=high", [5, 3]),
    ("priority=urgent", [6, 4]),
    ("source=call", [9, 8, 6, 5, 3, 1]),
    ("source=chat", [7, 4, 2]),
    ("category=network", [4, 1]),
    ("category=Network", [8]),
    ("category=billing", [6, 2]),
    ("category=nothing-here", []),
    ("assignee=none", [8, 6, 1]),
    ("assignee=me", [9, 7, 4, 2]),
    ("status=open&assignee=none", [1]),
    ("status=closed&source=chat&priority=urgent&category=network&assignee=me", [4]),
    ("status=open&priority=urgent", []),
]


async def test_each_filter_picks_exactly_its_tickets(
    client: httpx.AsyncClient, mix: dict[str, User]
) -> None:
    # One test over the whole table: the mix is built once.
    results = {query: await numbers(client, query) for query, _ in FILTER_CASES}
    assert results == dict(FILTER_CASES)


async def test_assignee_by_user_id(
    client: httpx.AsyncClient, mix: dict[str, User], db: AsyncSession
) -> None:
    assert await numbers(client, f"assignee={mix['admin'].id}") == [5, 3]
    assert await numbers(client, f"assignee={mix['agent'].id}") == [9, 7, 4, 2]
    nobody = await make_user(db, email="idle@example.com")
    assert await numbers(client, f"assignee={nobody.id}") == []


async def test_me_is_whoever_is_signed_in(client_for: Any, mix: dict[str, User]) -> None:
    as_admin = await client_for(mix["admin"])
    assert await numbers(as_admin, "assignee=me") == [5, 3]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=pending", "status"),
        ("priority=critical", "priority"),
        ("source=email", "source"),
        ("assignee=someone", "assignee"),
        ("assignee=12345", "assignee"),
        ("category=" + "x" * 65, "category"),
    ],
)
async def test_bad_filter_values_are_422(client: httpx.AsyncClient, query: str, field: str) -> None:
    response = await client.get(f"/api/tickets?{query}")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [d["field"] for d in error["details"]] == [field]


async def walk(client: httpx.AsyncClient, query: str) -> list[list[int]]:
    """Every page, following next_cursor; returns the numbers page by page."""
    pages: list[list[int]] = []
    cursor: str | None = None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        response = await client.get(f"/api/tickets?{query}{suffix}")
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append([item["number"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 50, "pagination does not end"


async def test_keyset_pagination_walks_every_ticket_once(
    client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> None:
    specs = ({"title": f"t{i}", "status": "open" if i % 3 else "closed"} for i in range(23))
    await fast.make_tickets(db, by=agent, specs=specs)
    pages = await walk(client, "limit=5")
    assert pages == [
        [23, 22, 21, 20, 19],
        [18, 17, 16, 15, 14],
        [13, 12, 11, 10, 9],
        [8, 7, 6, 5, 4],
        [3, 2, 1],
    ]
    # With a filter: i % 3 == 0 are closed, i.e. numbers 1, 4, 7, ..., 22.
    assert await walk(client, "status=closed&limit=3") == [[22, 19, 16], [13, 10, 7], [4, 1]]
    # A last page that is exactly full says there is no next page.
    assert await walk(client, "status=closed&limit=4") == [[22, 19, 16, 13], [10, 7, 4, 1]]
    assert await walk(client, "limit=23") == [list(range(23, 0, -1))]


async def test_new_tickets_do_not_shift_later_pages(
    client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> None:
    await fast.make_tickets(db, by=agent, specs=({"title": f"t{i}"} for i in range(6)))
    first = (await client.get("/api/tickets?limit=3")).json()
    assert [t["number"] for t in first["items"]] == [6, 5, 4]
    await make_ticket(db, by=agent, title="arrived while paging")
    second = (await client.get(f"/api/tickets?limit=3&cursor={first['next_cursor']}")).json()
    assert [t["number"] for t in second["items"]] == [3, 2, 1]
    assert second["next_cursor"] is None


async def test_default_limit_is_25(
    client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> None:
    await fast.make_tickets(db, by=agent, specs=({"title": f"t{i}"} for i in range(26)))
    body = (await client.get("/api/tickets")).json()
    assert [t["number"] for t in body["items"]] == list(range(26, 1, -1))
    assert body["next_cursor"] is not None
    rest = (await client.get(f"/api/tickets?cursor={body['next_cursor']}")).json()
    assert [t["number"] for t in rest["items"]] == [1]
    assert body["total"] is None, "counted only when asked"
    first = (await client.get("/api/tickets?with_total=true")).json()
    assert (first["total"], first["total_capped"]) == (26, False)
    later = (await client.get(f"/api/tickets?with_total=true&cursor={first['next_cursor']}")).json()
    assert later["total"] is None, "counted on the first page only"


async def test_the_first_page_counts_what_the_filters_pick(
    client: httpx.AsyncClient, mix: dict[str, User]
) -> None:
    for query, expected in FILTER_CASES:
        body = (await client.get(f"/api/tickets?limit=1&with_total=true&{query}")).json()
        assert (body["total"], body["total_capped"]) == (len(expected), False), query


async def test_the_count_stops_at_its_cap(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, db: AsyncSession, agent: User
) -> None:
    from deskpilot.services.tickets import queries

    await fast.make_tickets(db, by=agent, specs=({"title": f"t{i}"} for i in range(5)))
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    queries._count_statement.cache_clear()
    try:
        body = (await client.get("/api/tickets?limit=2&with_total=true")).json()
    finally:
        queries._count_statement.cache_clear()
    assert (body["total"], body["total_capped"]) == (3, True)


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", "99999999999999999999"])
async def test_limit_out_of_bounds_is_422(client: httpx.AsyncClient, limit: str) -> None:
    response = await client.get(f"/api/tickets?limit={limit}")
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["limit"]


@pytest.mark.parametrize("limit", [1, 100])
async def test_limit_bounds_are_inclusive(
    client: httpx.AsyncClient, db: AsyncSession, agent: User, limit: int
) -> None:
    await fast.make_tickets(db, by=agent, specs=[{}, {}])
    body = (await client.get(f"/api/tickets?limit={limit}")).json()
    assert [t["number"] for t in body["items"]] == [2, 1][:limit]


@pytest.mark.parametrize(
    "cursor", ["abc", "-5", "1.5", "0x10", "1" * 19, "1" * 33, "%20", "²", "٣"]
)
async def test_bad_cursor_is_422(client: httpx.AsyncClient, cursor: str) -> None:
    response = await client.get(f"/api/tickets?cursor={cursor}")
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["cursor"]
