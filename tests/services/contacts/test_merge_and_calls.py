"""Merging contacts moves their tickets and calls, fills the kept one's empty fields and
leaves an audit (contact_merges, and a `contact` event per moved ticket); calls are listed
newest first by contact and by ticket."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import ValidationFailed
from deskpilot.models import Contact, ContactMerge, Ticket, TicketEvent, User
from deskpilot.schemas.contact import CallCreate
from deskpilot.services import contact_service
from deskpilot.services.actor import Actor
from tests.support.factories import make_contact, make_ticket


async def test_merge_moves_everything_and_is_audited(db: AsyncSession, admin: User) -> None:
    kept = await make_contact(db, name="Maria Lopez", phone="+1 555 010 2030")
    duplicate = await make_contact(
        db, name="M. Lopez", email="maria@acme.example.com", organization="Acme", notes="VIP"
    )
    mine = await make_ticket(db, by=admin, title="Printer jams", contact_id=kept.id)
    theirs = [
        await make_ticket(db, by=admin, title=f"VPN drops {i}", contact_id=duplicate.id)
        for i in range(2)
    ]
    actor = Actor(user_id=admin.id, channel="ui")
    for ticket in (mine, *theirs):
        await contact_service.log_call(
            db=db,
            data=CallCreate(contact_id=duplicate.id, ticket_id=ticket.id, summary="s"),
            actor=actor,
        )
    await db.commit()

    merged = await contact_service.merge_contacts(
        db=db, kept_id=kept.id, duplicate_id=duplicate.id, actor=actor
    )
    await db.commit()
    assert (merged.tickets_moved, merged.calls_moved) == (2, 3)
    assert await db.get(Contact, duplicate.id) is None
    refreshed = await db.get(Contact, kept.id, populate_existing=True)
    assert refreshed is not None
    assert refreshed.phone == "+15550102030"  # kept
    assert refreshed.email == "maria@acme.example.com"  # filled from the duplicate
    assert refreshed.notes == "VIP"
    assert refreshed.organization_id is not None
    owners = set(await db.scalars(select(Ticket.contact_id)))
    assert owners == {kept.id}
    calls = await contact_service.list_calls(db=db, contact_id=kept.id)
    assert len(calls.items) == 3

    audit = (await db.scalars(select(ContactMerge))).one()
    assert (audit.kept_id, audit.merged_id, audit.merged_name) == (
        kept.id,
        duplicate.id,
        "M. Lopez",
    )
    assert audit.merged_snapshot["email"] == "maria@acme.example.com"
    assert audit.merged_snapshot["organization"] == "Acme"
    assert (audit.tickets_moved, audit.calls_moved, audit.actor_id) == (2, 3, admin.id)
    events = list(await db.scalars(select(TicketEvent).where(TicketEvent.field == "contact")))
    assert sorted(e.ticket_id for e in events) == sorted(t.id for t in theirs)
    for event in events:
        assert event.action == "updated"
        assert event.actor_id == admin.id
        assert event.old_value == {
            "id": str(duplicate.id),
            "number": duplicate.number,
            "name": "M. Lopez",
        }
        assert event.new_value == {"id": str(kept.id), "number": kept.number, "name": "Maria Lopez"}


async def test_a_contact_is_not_merged_into_itself(db: AsyncSession, admin: User) -> None:
    kept = await make_contact(db, name="Maria Lopez")
    with pytest.raises(ValidationFailed):
        await contact_service.merge_contacts(
            db=db, kept_id=kept.id, duplicate_id=kept.id, actor=Actor(user_id=admin.id)
        )


async def test_calls_newest_first_by_contact_and_by_ticket(db: AsyncSession, agent: User) -> None:
    maria = await make_contact(db, name="Maria Lopez")
    dana = await make_contact(db, name="Dana Kim")
    ticket = await make_ticket(db, by=agent, contact_id=maria.id)
    actor = Actor(user_id=agent.id)
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    for hours, contact, about in ((0, maria, ticket.id), (1, maria, None), (2, dana, ticket.id)):
        await contact_service.log_call(
            db=db,
            data=CallCreate(
                contact_id=contact.id,
                ticket_id=about,
                started_at=start + timedelta(hours=hours),
                summary=f"call {hours}",
            ),
            actor=actor,
        )
    await db.commit()
    of_maria = await contact_service.list_calls(db=db, contact_id=maria.id)
    assert [c.summary for c in of_maria.items] == ["call 1", "call 0"]
    assert of_maria.items[1].ticket is not None
    assert of_maria.items[1].ticket.number == ticket.number
    assert of_maria.items[0].agent is not None and of_maria.items[0].agent.id == agent.id
    about = await contact_service.list_calls(db=db, ticket_id=ticket.id, limit=1)
    assert [c.summary for c in about.items] == ["call 2"]
    rest = await contact_service.list_calls(
        db=db, ticket_id=ticket.id, limit=1, cursor=about.next_cursor
    )
    assert [c.summary for c in rest.items] == ["call 0"]
    assert rest.next_cursor is None
    assert await db.scalar(select(func.count()).select_from(Contact)) == 2


async def test_an_unused_contact_can_be_deleted_one_in_use_cannot(
    db: AsyncSession, agent: User
) -> None:
    unused = await make_contact(db, name="Nobody Yet")
    with_ticket = await make_contact(db, name="Maria Lopez")
    with_call = await make_contact(db, name="Dana Kim")
    await make_ticket(db, by=agent, contact_id=with_ticket.id)
    await contact_service.log_call(
        db=db, data=CallCreate(contact_id=with_call.id, summary="s"), actor=Actor(user_id=agent.id)
    )
    await db.commit()
    for contact, deleted in ((unused, True), (with_ticket, False), (with_call, False)):
        assert await contact_service.delete_unused_contact(db=db, contact_id=contact.id) is deleted
    await db.commit()
    assert await contact_service.delete_unused_contact(db=db, contact_id=unused.id) is False
    assert await db.scalar(select(func.count()).select_from(Contact)) == 2
