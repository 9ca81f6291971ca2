"""A contact's organisation, named by the agent: found whatever its case, or created."""

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.models import Organization


async def organization_named(*, db: AsyncSession, name: str | None) -> Organization | None:
    """The organisation called `name` (any case), created if there is none; None for no
    name. Two agents creating it at once get the same row (ON CONFLICT on lower(name))."""
    shown = " ".join((name or "").split())
    if not shown:
        return None
    statement = select(Organization).where(func.lower(Organization.name) == shown.lower())
    found = await db.scalar(statement)
    if found is not None:
        return found
    await db.execute(
        insert(Organization)
        .values(name=shown)
        .on_conflict_do_nothing(index_elements=[func.lower(Organization.name)])
    )
    created: Organization = (await db.execute(statement)).scalar_one()
    return created
