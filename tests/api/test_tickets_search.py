"""GET /api/tickets/search: ranking, stemming, prefix, #47 lookup, filters, limits, snippets,
and hostile input that must never reach PostgreSQL as syntax."""

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from tests.support import fast
from tests.support.shapes import TICKET_SUMMARY_KEYS

client_for, client = fast.client_for, fast.client

CORPUS: list[dict[str, Any]] = [
    {  # 1
        "title": "Printer on floor 3 offline",
        "description": "The office printer shows offline since Monday",
        "category": "hardware",
    },
    {  # 2
        "title": "Email bounces",
        "description": "Mail to the printer vendor bounces back",
        "category": "network",
        "status": "in_progress",
    },
    {  # 3
        "title": "Reset password for Maria",
        "description": "She forgot her password after the holiday",
        "category": "account",
        "status": "resolved",
    },
    {  # 4
        "title": "Printing is very slow",
        "description": "Jobs take minutes to print",
        "category": "hardware",
        "status": "closed",
    },
    {  # 5
        "title": "Accounting app crashes at start",
        "description": "It crashes with error 3 since the update",
        "category": "software",
    },
]


@pytest.fixture
async def corpus(db: AsyncSession, agent: User) -> None:
    await fast.make_desk(db, by=agent, specs=CORPUS)
    await spread_updated_at(db)


async def spread_updated_at(db: AsyncSession) -> None:
    """Tickets made in one transaction share updated_at; make the later ones more recent."""
    await db.execute(
        text("UPDATE tickets SET updated_at = now() - interval '1 minute' * (1000 - number)")
    )
    await db.commit()


async def search(client: httpx.AsyncClient, q: str, **params: Any) -> list[dict[str, Any]]:
    body = await fast.get_ok(client, "/api/tickets/search", q=q, **params)
    items: list[dict[str, Any]] = body["items"]
    return items


async def found(client: httpx.AsyncClient, q: str, **params: Any) -> list[int]:
    return [hit["number"] for hit in await search(client, q, **params)]


async def test_hit_shape(client: httpx.AsyncClient, corpus: None) -> None:
    hits = await search(client, "password")
    assert [h["number"] for h in hits] == [3]
    assert set(hits[0]) == TICKET_SUMMARY_KEYS | {"snippet", "rank"}
    assert hits[0]["title"] == "Reset password for Maria"
    assert hits[0]["rank"] > 0


async def test_title_match_outranks_description_only_match(
    client: httpx.AsyncClient, corpus: None
) -> None:
    # #2 only mentions the printer in its description and is newer; #1 has it in its title.
    assert await found(client, "printer") == [1, 2]
    hits = await search(client, "printer")
    assert hits[0]["rank"] > hits[1]["rank"]


async def test_category_outranks_description(
    client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> None:
    await fast.make_tickets(
        db,
        by=agent,
        specs=[
            {"title": "Cannot log in", "description": "x", "category": "network"},
            {"title": "Slow wifi", "description": "the network is slow", "category": "wifi"},
        ],
    )
    assert await found(client, "network") == [1, 2]


async def test_stemming(client: httpx.AsyncClient, corpus: None) -> None:
    assert await found(client, "printers") == [1, 2]  # plural finds the singular
    assert await found(client, "printers offline") == [1]  # stemmed in any position
    assert await found(client, "crashed") == [5]  # "crashed" is no prefix of "crashes"
    assert await found(client, "passwords reset") == [3]
    # English stemming makes "printing" and "print" one word, and "printer" another; with the
    # prefix match on the last word, "printing" (→ print:*) also reaches "printer".
    assert set(await found(client, "printing")) == {1, 2, 4}
    assert await found(client, "printing slow") == [4]


async def test_prefix_match_on_the_last_word_only(client: httpx.AsyncClient, corpus: None) -> None:
    assert await found(client, "pass") == [3]
    assert await found(client, "reset passw") == [3]
    assert await found(client, "PASS") == [3]
    assert await found(client, "pass reset") == []  # not the last word: no prefix
    assert await found(client, "accou") == [5, 3]  # title "Accounting" > category "account"


async def test_all_words_must_match(client: httpx.AsyncClient, corpus: None) -> None:
    assert await found(client, "printer offline") == [1]
    assert await found(client, "printer holiday") == []


async def test_no_match(client: httpx.AsyncClient, corpus: None) -> None:
    assert await search(client, "kangaroo") == []


async def test_number_lookup_puts_that_ticket_first(
    client: httpx.AsyncClient, corpus: None
) -> None:
    hits = await search(client, "#4")
    assert [h["number"] for h in hits] == [4]
    assert hits[0]["rank"] == 1000.0
    assert hits[0]["snippet"] == "Printing is very slow — Jobs take minutes to print"
    # "#2 printer": #2 first (though #1 ranks higher for "printer"), and only once.
    assert await found(client, "#2 printer") == [2, 1]
    assert await found(client, "printer #2") == [2, 1]
    # A bare number is a ticket number too, and text that mentions it follows.
    numbers = await found(client, "3")
    assert numbers[0] == 3
    assert sorted(numbers[1:]) == [1, 5]  # "floor 3", "error 3"
    assert await found(client, "5") == [5]
    assert await found(client, " #5 ") == [5]


async def test_unknown_number_is_no_hit(client: httpx.AsyncClient, corpus: None) -> None:
    assert await found(client, "#99") == []
    assert await found(client, "#0") == []
    assert await found(client, "#999999999999999999") == []
    assert await found(client, "#99 printer") == [1, 2]


async def test_number_lookup_respects_the_status_filter(
    client: httpx.AsyncClient, corpus: None
) -> None:
    assert await found(client, "#3", status="resolved") == [3]
    assert await found(client, "#3", status="open") == []


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", [1]),
        ("in_progress", [2]),
        ("resolved", [3]),
        ("closed", [4]),
        ("all", [4, 3, 2, 1]),
    ],
)
async def test_status_filter(
    client: httpx.AsyncClient, db: AsyncSession, agent: User, status: str, expected: list[int]
) -> None:
    await fast.make_tickets(
        db,
        by=agent,
        specs=[
            {"title": "Laptop fan loud", "status": s}
            for s in ("open", "in_progress", "resolved", "closed")
        ],
    )
    await spread_updated_at(db)
    assert await found(client, "laptop", status=status) == expected
    assert await found(client, "", status=status) == expected  # empty q: recent, filtered


async def test_status_defaults_to_all(client: httpx.AsyncClient, corpus: None) -> None:
    assert sorted(await found(client, "")) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("status", ["pending", "ALL", "Open", ""])
async def test_unknown_status_is_422(client: httpx.AsyncClient, status: str) -> None:
    response = await client.get("/api/tickets/search", params={"q": "x", "status": status})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["status"]


async def test_limit(client: httpx.AsyncClient, db: AsyncSession, agent: User) -> None:
    await fast.make_tickets(db, by=agent, specs=[{"title": f"VPN issue {i}"} for i in range(12)])
    assert len(await search(client, "vpn")) == 10
    assert len(await search(client, "vpn", limit=12)) == 12
    assert len(await search(client, "vpn", limit=50)) == 12
    assert await found(client, "vpn", limit=1) == [12]  # equal rank: newest first
    assert await found(client, "#3 vpn", limit=2) == [3, 12]
    assert len(await search(client, "")) == 10


@pytest.mark.parametrize("limit", ["0", "51", "-1", "ten"])
async def test_limit_out_of_bounds_is_422(client: httpx.AsyncClient, limit: str) -> None:
    response = await client.get("/api/tickets/search", params={"q": "vpn", "limit": limit})
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["limit"]


async def test_snippet_marks_matched_words(client: httpx.AsyncClient, corpus: None) -> None:
    hits = await search(client, "printer")
    assert hits[0]["snippet"] == (
        "<mark>Printer</mark> on floor 3 offline — The office <mark>printer</mark> shows offline"
        " since Monday"
    )
    assert (
        hits[1]["snippet"] == "Email bounces — Mail to the <mark>printer</mark> vendor bounces back"
    )
    prefix = await search(client, "pass")
    assert "<mark>password</mark>" in prefix[0]["snippet"]
    stemmed = await search(client, "crashed")
    assert stemmed[0]["snippet"].count("<mark>crashes</mark>") == 2


async def test_snippet_of_a_long_description_is_short(
    client: httpx.AsyncClient, db: AsyncSession, agent: User
) -> None:
    filler = " ".join(f"word{i}" for i in range(1000))
    await fast.make_tickets(
        db, by=agent, specs=[{"title": "Long one", "description": f"{filler} toner {filler}"}]
    )
    [hit] = await search(client, "toner")
    assert "<mark>toner</mark>" in hit["snippet"]
    assert len(hit["snippet"].split()) <= 40
    [recent] = await search(client, "")
    assert recent["snippet"].endswith(" …")
    assert len(recent["snippet"].split()) == 31


async def test_empty_query_lists_most_recently_updated(
    client: httpx.AsyncClient, corpus: None
) -> None:
    assert await found(client, "") == [5, 4, 3, 2, 1]
    response = await client.patch("/api/tickets/2", json={"priority": "high"})
    assert response.status_code == 200
    hits = await search(client, "   ")
    assert [h["number"] for h in hits] == [2, 5, 4, 3, 1]
    assert hits[0]["rank"] == 0.0
    assert hits[0]["snippet"] == "Email bounces — Mail to the printer vendor bounces back"
    response = await client.get("/api/tickets/search")  # no q at all
    assert [h["number"] for h in response.json()["items"]] == [2, 5, 4, 3, 1]


@pytest.mark.parametrize("q", ["!!!", "...", "?? -- ??", "#", "# #", "—", "_"])
async def test_punctuation_only_query_lists_recent(
    client: httpx.AsyncClient, corpus: None, q: str
) -> None:
    assert await found(client, q) == [5, 4, 3, 2, 1]


@pytest.mark.parametrize("q", ["the", "the and of", "a", "is it"])
async def test_stopword_only_query_is_a_clean_empty_result(
    client: httpx.AsyncClient, corpus: None, q: str
) -> None:
    assert await found(client, q) == []


@pytest.mark.parametrize(
    "q",
    [
        "a & b | !c:*",
        "'",
        "\\",
        "\\'",
        '"printer"',
        "printer:*",
        "printer & offline",
        "(printer",
        "printer)",
        "<->",
        "printer <-> offline",
        "!printer",
        "&&&|||",
        "%",
        "_%_",
        "'; DROP TABLE tickets; --",
        "printer' OR '1'='1",
        "\x00",
        "printer\x00",
        "café crème",
        "プリンター",
        "😀 printer",
        "²",
        "#²",
        "٣",
        "#٣",
        "1e5",
        "-1",
        "#-1",
        "9" * 19,
        "#" + "9" * 30,
        "a " * 100,
        "x" * 200,
        "printer:A",
        "printer:*B",
        "NULL",
        "%00",
        "\u202e printer",
    ],
)
async def test_hostile_input_never_500s(client: httpx.AsyncClient, corpus: None, q: str) -> None:
    response = await client.get("/api/tickets/search", params={"q": q})
    assert response.status_code == 200, (q, response.text)
    assert isinstance(response.json()["items"], list)


async def test_query_operators_are_words_not_syntax(
    client: httpx.AsyncClient, corpus: None
) -> None:
    # "!printer" is not a negation and "|" is not an or: the words are simply ANDed.
    assert await found(client, "!printer") == [1, 2]
    assert await found(client, "printer | holiday") == []
    assert await found(client, "printer' OR '1'='1") == []
    assert await found(client, '"printer"') == [1, 2]
    assert await found(client, "(printer & offline)") == [1]
    # The tickets table is still there.
    assert len(await found(client, "")) == 5


async def test_query_of_200_chars_is_fine_201_is_422(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/tickets/search", params={"q": "p" * 200})).status_code == 200
    response = await client.get("/api/tickets/search", params={"q": "p" * 201})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert [d["field"] for d in error["details"]] == ["q"]
    assert error["message"].startswith("q: ")
