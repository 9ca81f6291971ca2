"""The version a writer saw: a ticket write sent with `If-Match` (the ticket's updated_at,
as a GET returned it in its body and ETag) is refused with 409 and the fresh ticket when
the ticket changed since, never applied over a change the writer did not see."""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import Stale, ValidationFailed
from deskpilot.models import Ticket
from deskpilot.services.tickets.detail import ticket_detail


def etag(updated_at: datetime) -> str:
    return f'"{updated_at.isoformat()}"'


def _seen(if_match: str) -> datetime:
    value = if_match.strip().removeprefix("W/").strip().strip('"')
    try:
        seen = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.for_field(
            "If-Match", "expected the ticket's updated_at, as the API returned it"
        ) from None
    if seen.tzinfo is None:
        raise ValidationFailed.for_field("If-Match", "the time needs its offset")
    return seen


async def check_version(db: AsyncSession, ticket: Ticket, if_match: str | None) -> None:
    """409 `stale` with the fresh ticket when `if_match` names an older version."""
    if if_match is None or if_match.strip() == "*":
        return
    if _seen(if_match) != ticket.updated_at:
        fresh = await ticket_detail(db=db, ref=ticket.id)
        raise Stale(
            f"Ticket #{ticket.number} changed since you loaded it; check it again",
            extra={"ticket": fresh.model_dump(mode="json")},
        )
