"""The duplicate check on the blind labelled pairs (evals/duplicate-pairs.jsonl, frozen)
against the desk of evals/world.json, its callers included: each true duplicate comes
first, and each similar-sounding non-duplicate stays below the threshold. Both with no
caller given and with the existing ticket's caller given (the same-caller boost must not
lift a non-duplicate over the threshold)."""

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.evals.world import install_agents, install_contacts, load_world, reset
from deskpilot.models import Ticket
from deskpilot.services.tickets.similar import similar_tickets

ROOT = Path(__file__).resolve().parents[3]
PAIRS = [
    json.loads(line)
    for line in (ROOT / "evals" / "duplicate-pairs.jsonl").read_text().splitlines()
    if line.strip()
]


@dataclass(frozen=True)
class Desk:
    callers: dict[int, uuid.UUID]  # ticket number -> its caller's id


@pytest.fixture
async def desk(db: AsyncSession) -> AsyncIterator[Desk]:
    world = load_world(ROOT / "evals" / "world.json")
    connection = await db.connection()
    agents = await install_agents(connection, world)
    contacts = await install_contacts(connection, world)
    await reset(connection, world, agents, contacts)
    await db.commit()
    rows = await db.execute(
        select(Ticket.number, Ticket.contact_id).where(Ticket.contact_id.is_not(None))
    )
    yield Desk(callers={number: contact for number, contact in rows.all()})


async def _ranked(
    db: AsyncSession, pair: dict[str, Any], contact_id: uuid.UUID | None
) -> list[int]:
    found = await similar_tickets(
        db=db,
        title=pair["new"]["title"],
        description=pair["new"]["description"],
        contact_id=contact_id,
    )
    return [item.number for item in found.items]


def _verdicts(pair: dict[str, Any], ranked: list[int]) -> bool:
    if pair["duplicate"]:
        return bool(ranked) and ranked[0] == pair["existing_id"]
    return pair["existing_id"] not in ranked


# Non-duplicates that still score above the threshold: both share their title's place or
# device words with the open ticket ("3rd floor printer", "driver ... new laptops") and
# differ only in the problem (toner, a scanner). Known misses, kept visible here rather
# than tuned away on a blind set.
KNOWN_MISSES = {"d016", "d030"}


@pytest.mark.parametrize("with_caller", [False, True], ids=["no caller", "the ticket's caller"])
async def test_duplicates_first_and_non_duplicates_below_the_threshold(
    db: AsyncSession, desk: Desk, with_caller: bool
) -> None:
    duplicates_first, below_threshold, misses = 0, 0, set()
    for pair in PAIRS:
        caller = desk.callers.get(pair["existing_id"]) if with_caller else None
        ranked = await _ranked(db, pair, caller)
        if not _verdicts(pair, ranked):
            misses.add(pair["id"])
        elif pair["duplicate"]:
            duplicates_first += 1
        else:
            below_threshold += 1
    assert sum(1 for p in PAIRS if p["duplicate"]) == 15 and len(PAIRS) == 30
    assert (duplicates_first, below_threshold) == (15, 13), misses
    assert misses == KNOWN_MISSES


async def test_the_same_caller_lifts_their_ticket(db: AsyncSession, desk: Desk) -> None:
    """d001's duplicate is Maria Lopez's #47: with her as the caller it scores higher, and a
    caller with no ticket like it changes nothing."""
    pair = next(p for p in PAIRS if p["id"] == "d001")
    title, description = pair["new"]["title"], pair["new"]["description"]
    plain = await similar_tickets(db=db, title=title, description=description)
    maria = desk.callers[47]
    boosted = await similar_tickets(db=db, title=title, description=description, contact_id=maria)
    other = await similar_tickets(
        db=db, title=title, description=description, contact_id=desk.callers[18]
    )
    assert plain.items[0].number == boosted.items[0].number == 47
    assert boosted.items[0].score > plain.items[0].score
    assert [(i.number, i.score) for i in other.items] == [(i.number, i.score) for i in plain.items]
    assert boosted.items[0].contact is not None
    assert boosted.items[0].contact.name == "Maria Lopez"
