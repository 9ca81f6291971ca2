"""The app on databases migrated by a role that may not create extensions (see
tests/support/limited_database.py): without pg_trgm and unaccent, search keeps to
full-text matching, the duplicate check to shared words, and name lookup to plain
case-insensitive matching, and nothing fails; with pg_trgm installed by a DBA but no
unaccent, typos are respelt and accents are folded nowhere."""

import os
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from deskpilot.core.db_features import database_features, forget_database_features
from deskpilot.services.contact_service import find_contacts
from deskpilot.services.tickets.search import search_rows
from deskpilot.services.tickets.similar import similar_tickets
from deskpilot.services.user_service import find_users
from tests.support import fast
from tests.support.factories import make_contact, make_user
from tests.support.limited_database import (
    LimitedDatabase,
)

NAME = f"deskpilot_test_app_plain_{os.getpid()}"
TICKETS = [
    {"title": "Printer jams on floor 3", "description": "The Kyocera printer jams"},
    {"title": "Café espresso machine leaking", "description": "Water under the machine"},
    {"title": "Printer offline on floor 2", "description": "Shows offline since Monday"},
]


async def _session_on(database: LimitedDatabase) -> AsyncIterator[AsyncSession]:
    """A session on `database`, with its tickets; the features are asked of it afresh."""
    forget_database_features()
    engine = create_async_engine(database.url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as session:
            user = await make_user(session, email="ops@example.com", name="José Álvarez")
            await make_user(session, email="js@example.com", name="Jose Smith")
            await fast.make_tickets(session, by=user, specs=TICKETS)
            yield session
            await session.execute(
                text(
                    "TRUNCATE tickets, ticket_events, search_terms, users, contacts, organizations"
                    " RESTART IDENTITY CASCADE"
                )
            )
            await session.commit()
    finally:
        await engine.dispose()
        forget_database_features()


@pytest.fixture
async def plain_db(plain: LimitedDatabase) -> AsyncIterator[AsyncSession]:
    async for session in _session_on(plain):
        yield session


@pytest.fixture
async def trigram_db(trigram_only: LimitedDatabase) -> AsyncIterator[AsyncSession]:
    async for session in _session_on(trigram_only):
        yield session


async def _found(db: AsyncSession, q: str) -> tuple[list[int], bool]:
    found = await search_rows(db=db, q=q, status=None, limit=10, headlines=True)
    return [row.number for row, _, _ in found.hits], found.approximate


async def test_without_extensions_search_keeps_to_full_text(plain_db: AsyncSession) -> None:
    assert (await database_features(plain_db)).trigram is False
    assert await _found(plain_db, "printer jams") == ([1], False)
    assert await _found(plain_db, "pritner") == ([], False)  # no typo tolerance
    assert await _found(plain_db, "cafe") == ([], False)  # nor accents
    assert await _found(plain_db, "CAFÉ") == ([2], False)  # case, as ever


async def test_without_extensions_the_duplicate_check_ranks_by_shared_words(
    plain_db: AsyncSession,
) -> None:
    found = (
        await similar_tickets(db=plain_db, title="Printer jam on floor 3", description="")
    ).items
    assert [t.number for t in found] == [1, 3]
    assert found[0].score == 1.0  # every word shared: no title likeness to weigh in
    assert found[0].matched_words == ["printer", "jam", "floor"]
    assert (await similar_tickets(db=plain_db, title="Pritner jamed", description="")).items == []


async def test_without_extensions_names_match_ignoring_case_only(plain_db: AsyncSession) -> None:
    assert [u.name for u in await find_users(db=plain_db, query="JOSÉ")] == ["José Álvarez"]
    assert [u.name for u in await find_users(db=plain_db, query="jose")] == ["Jose Smith"]


async def test_with_pg_trgm_alone_typos_are_respelt(
    trigram_db: AsyncSession,
) -> None:
    assert (await database_features(trigram_db)).trigram is True
    assert await _found(trigram_db, "pritner jamed") == ([1], True)
    assert await _found(trigram_db, "expresso") == ([2], True)
    # One letter off: respelt as a typo, though no accent is folded (as in name lookup).
    assert await _found(trigram_db, "cafe") == ([2], True)
    found = (await similar_tickets(db=trigram_db, title="Pritner jamed", description="")).items
    assert [t.number for t in found][:1] == [1]
    assert [u.name for u in await find_users(db=trigram_db, query="jose")] == ["Jose Smith"]


async def test_without_extensions_contacts_are_found_by_every_field(
    plain_db: AsyncSession,
) -> None:
    await make_contact(
        plain_db, name="José Núñez", phone="555.010.2030", email="jn@acme.example.com",
        organization="Acme Corp",
    )  # fmt: skip

    async def names(q: str) -> list[str]:
        return [c.name for c in (await find_contacts(db=plain_db, q=q, region="US")).items]

    for q in ("josé", "NÚÑ", "acme", "jn@acme.example.com", "+1 (555) 010-2030", "2030"):
        assert await names(q) == ["José Núñez"], q
    assert await names("jose") == []  # accents are not folded without unaccent
