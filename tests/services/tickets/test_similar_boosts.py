"""The duplicate check's boosts multiply the likeness of the words: recent activity and the
same caller lift a ticket a little, and never lift one that shares no telling word."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import User
from deskpilot.services.tickets.similar import CALLER_WEIGHT, RECENT_WEIGHT, similar_tickets
from tests.support import fast
from tests.support.factories import make_contact


async def test_recent_activity_ranks_a_twin_first(db: AsyncSession, agent: User) -> None:
    twins = [{"title": "Printer jams on floor 3", "description": "HP LaserJet"}] * 2
    old, recent = await fast.make_tickets(db, by=agent, specs=twins)
    await db.execute(
        text("UPDATE tickets SET updated_at = now() - interval '30 days' WHERE id = :id"),
        {"id": old.id},
    )
    await db.commit()
    found = (
        await similar_tickets(db=db, title="Printer jams", description="Paper stuck in tray")
    ).items
    assert [t.number for t in found] == [recent.number, old.number]
    assert found[0].score > found[1].score
    assert found[0].score <= found[1].score * (1 + RECENT_WEIGHT) + 1e-4


async def test_the_caller_lifts_only_what_the_words_found(db: AsyncSession, agent: User) -> None:
    maria = await make_contact(db, name="Maria Lopez")
    await fast.make_tickets(
        db,
        by=agent,
        specs=[
            {"title": "Kitchen fridge broken", "contact_id": maria.id},
            {"title": "VPN drops every few minutes", "contact_id": maria.id},
            {"title": "VPN drops every few minutes"},
        ],
    )
    found = (
        await similar_tickets(
            db=db, title="VPN drops", description="GlobalProtect client", contact_id=maria.id
        )
    ).items
    assert [t.number for t in found] == [2, 3]  # not the fridge: it shares no word
    assert found[0].contact is not None and found[0].contact.id == maria.id
    assert found[0].score <= 1
    assert found[0].score > found[1].score
    assert CALLER_WEIGHT > RECENT_WEIGHT
