"""The caller card of a reply (ChatMessagePublic.callers): the contacts its tool calls
identified, each with their open tickets. The contacts a call wrote for or checked
duplicates for come first; contacts find_contact merely listed are shown only when the
turn identified no one else."""

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from deskpilot.core.db import Reader
from deskpilot.models import Contact, Organization
from deskpilot.schemas.chat import CallerCard, ChatMessagePublic
from deskpilot.schemas.common import ContactRef
from deskpilot.services.chat.contact_view import open_tickets_of

SHOWN = ("ok", "executed", "proposed")
_REFS = (
    select(Contact.id, Contact.number, Contact.name, Organization.name, Contact.phone)
    .outerjoin(Organization, Organization.id == Contact.organization_id)
    .where(Contact.id == func.any(bindparam("ids", type_=ARRAY(UUID(as_uuid=True)))))
)
MAX_CALLERS = 5


def callers_named(message: ChatMessagePublic) -> list[uuid.UUID]:
    calls = [c for c in message.tool_calls or [] if c.status in SHOWN and c.contact_ids]
    chosen = [i for c in calls if c.name != "find_contact" for i in c.contact_ids]
    found = [i for c in calls if c.name == "find_contact" for i in c.contact_ids]
    return list(dict.fromkeys(chosen or found))[:MAX_CALLERS]


async def with_callers(db: Reader, messages: Sequence[ChatMessagePublic]) -> None:
    """Fills each message's callers (one query for the contacts, one for their tickets,
    only when a message has any)."""
    wanted = {m.id: callers_named(m) for m in messages}
    ids = list(dict.fromkeys(i for found in wanted.values() for i in found))
    if not ids:
        return
    rows = await db.execute(_REFS, {"ids": ids})
    refs = {
        row[0]: ContactRef(id=row[0], number=row[1], name=row[2], organization=row[3], phone=row[4])
        for row in rows
    }
    tickets = await open_tickets_of(db, list(refs))
    for message in messages:
        message.callers = [
            CallerCard.model_validate({"contact": refs[i], "open_tickets": tickets[i]})
            for i in wanted[message.id]
            if i in refs
        ]
