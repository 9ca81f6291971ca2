"""GET /api/tickets/search when full-text search finds too few: misspelt and unaccented
words are searched again as the words the tickets contain, and the response says so.
(On the test servers pg_trgm and unaccent are installed; tests/services/
test_search_without_extensions.py covers a server without them.)"""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from deskpilot.services.actor import Actor
from deskpilot.services.chat.tools.base import ToolContext, ToolScope
from deskpilot.services.chat.tools.search_tickets import SearchTicketsArgs, search_tickets
from deskpilot.services.tickets.spelling import allowed_edits, edit_distance
from tests.support import fast

client_for, client = fast.client_for, fast.client

CORPUS: list[dict[str, Any]] = [
    {  # 1
        "title": "Printer jams on floor 3",
        "description": "The Kyocera printer jams on every job",
        "category": "hardware",
    },
    {  # 2
        "title": "Café espresso machine leaks",
        "description": "Water under the machine in the Café",
        "category": "facilities",
    },
    {  # 3
        "title": "Password reset for José Álvarez",
        "description": "He forgot his password after the holiday",
        "category": "account",
        "status": "resolved",
    },
    {  # 4
        "title": "Desk phone not ringing",
        "description": "Calls go straight to voicemail",
        "category": "telephony",
    },
    {  # 5
        "title": "Cafe wifi is slow",
        "description": "Guests in the cafe cannot stream",
        "category": "network",
        "status": "closed",
    },
    {  # 6
        "title": "Toner empty",
        "description": "The printer on floor 2 needs toner",
        "category": "hardware",
    },
]


@pytest.fixture
async def corpus(db: AsyncSession, agent: User) -> None:
    await fast.make_desk(db, by=agent, specs=CORPUS)


async def search(client: httpx.AsyncClient, q: str, **params: Any) -> dict[str, Any]:
    return await fast.get_ok(client, "/api/tickets/search", q=q, **params)


def numbers(body: dict[str, Any]) -> list[int]:
    return [hit["number"] for hit in body["items"]]


@pytest.mark.parametrize(
    ("q", "expected", "meant"),
    [
        ("pritner", [1, 6], "printer"),  # two letters swapped
        ("printr jams", [1], "printer jams"),  # a letter missing
        ("pritner jamed", [1], "printer jams"),
        ("expresso machine", [2], "espresso machine"),
        ("tonner", [6], "toner"),
        ("phone ringign", [4], "phone ringing"),
        ("pasword reset", [3], "password reset"),
    ],
)
async def test_a_misspelt_word_finds_what_it_meant(
    client: httpx.AsyncClient, corpus: None, q: str, expected: list[int], meant: str
) -> None:
    body = await search(client, q)
    assert numbers(body) == expected
    assert body["approximate"] is True
    assert body["did_you_mean"] == meant
    assert all(hit["rank"] > 0 for hit in body["items"])


async def test_approximate_hits_are_marked_in_their_snippets(
    client: httpx.AsyncClient, corpus: None
) -> None:
    [hit] = (await search(client, "pritner jamed"))["items"]
    assert "<mark>Printer</mark> <mark>jams</mark>" in hit["snippet"]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("cafe espresso", [2]),  # the ticket writes Café
        ("jose", [3]),
        ("alvarez", [3]),
        ("ALVAREZ password", [3]),
    ],
)
async def test_accents_need_not_be_typed(
    client: httpx.AsyncClient, corpus: None, q: str, expected: list[int]
) -> None:
    body = await search(client, q)
    assert numbers(body) == expected
    assert body["approximate"] is True


async def test_the_exact_spelling_is_found_first_and_the_other_after(
    client: httpx.AsyncClient, corpus: None
) -> None:
    body = await search(client, "cafe")  # #5 writes "cafe", #2 "Café"
    assert numbers(body) == [5, 2]
    assert body["approximate"] is True
    assert body["did_you_mean"] == "café"
    body = await search(client, "café")
    assert numbers(body) == [2, 5]


async def test_exact_matches_alone_are_not_approximate(
    client: httpx.AsyncClient, corpus: None
) -> None:
    for q in ("printer", "José", "toner", "#4", ""):
        body = await search(client, q)
        assert body["items"], q
        assert body["approximate"] is False, q
        assert body["did_you_mean"] is None, q


async def test_known_words_that_meet_nowhere_are_not_respelt(
    client: httpx.AsyncClient, corpus: None
) -> None:
    # Every word is in some ticket, just not together: no guessing.
    body = await search(client, "printer holiday")
    assert body == {"items": [], "approximate": False, "did_you_mean": None}


@pytest.mark.parametrize("q", ["kangaroo", "xylophone", "zzzz", "qwerty", "the"])
async def test_words_nothing_resembles_find_nothing(
    client: httpx.AsyncClient, corpus: None, q: str
) -> None:
    # "xylophone" shares "phone" with #4 but is no typo of it (4 edits away).
    body = await search(client, q)
    assert body == {"items": [], "approximate": False, "did_you_mean": None}


async def test_the_status_filter_and_limit_hold_for_approximate_hits(
    client: httpx.AsyncClient, corpus: None
) -> None:
    assert numbers(await search(client, "cafe", status="open")) == [2]
    assert numbers(await search(client, "cafe", status="closed")) == [5]
    assert numbers(await search(client, "jose", status="open")) == []
    assert numbers(await search(client, "pritner", limit=1)) == [1]
    assert numbers(await search(client, "cafe", limit=1)) == [5]  # room for the exact hit only


async def test_the_chat_tool_tells_the_model_the_hits_are_approximate(
    db: AsyncSession, agent: User, corpus: None
) -> None:
    context = ToolContext(
        actor=Actor(user_id=agent.id),
        scope=ToolScope(attached_ids=set(), user_texts=[], session_id=uuid.uuid4()),
        max_attached=10,
    )
    outcome = await search_tickets(db, SearchTicketsArgs(query="pritner jamed"), context)
    assert [t["number"] for t in outcome.result["tickets"]] == [1]
    assert outcome.result["approximate"] is True
    assert outcome.result["did_you_mean"] == "printer jams"
    exact = await search_tickets(db, SearchTicketsArgs(query="printer jams"), context)
    assert "approximate" not in exact.result


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("printer", "printer", 0),
        ("pritner", "printer", 1),  # a swap is one edit
        ("printr", "printer", 1),
        ("jamed", "jams", 2),
        ("xylophone", "phone", 4),
        ("", "abc", 3),
        ("abc", "", 3),
        ("ca", "abc", 3),  # optimal string alignment: no edit of a swapped pair
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


def test_longer_words_allow_more_edits() -> None:
    assert [allowed_edits("x" * n) for n in (4, 5, 8, 9, 20)] == [1, 2, 2, 3, 3]
