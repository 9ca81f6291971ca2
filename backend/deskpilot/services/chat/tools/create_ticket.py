"""create_ticket: open a ticket from chat and attach it (the route's create-and-attach)."""

from typing import Any, Literal

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.schemas.common import DESCRIPTION_MAX, TITLE_MAX
from deskpilot.schemas.ticket import TicketCreate
from deskpilot.services.chat.attachments import at_cap, create_and_attach
from deskpilot.services.chat.contact_view import (
    contact_by_number,
    ref_by_number,
    shown,
    write_refusal,
)
from deskpilot.services.chat.proposals.drafts import ProposalDraft
from deskpilot.services.chat.ticket_view import ticket_for_model
from deskpilot.services.chat.tools.base import (
    ContactNumber,
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
    proposed,
    quoting_label,
    tool_error,
)
from deskpilot.services.chat.tools.duplicates import duplicate_of
from deskpilot.services.tickets.queries import summary_with_contact
from deskpilot.services.user_service import users_by_id

SPEC: dict[str, Any] = {
    "name": "create_ticket",
    "description": "Create a new support ticket",
    "parameters": {
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "Short descriptive title for the ticket"},
            "description": {"type": "string", "description": "Detailed description of the issue"},
            "priority": {
                "type": "string",
                "enum": ["low", "medium", "high", "urgent"],
                "description": "Ticket priority level",
            },
            "category": {"type": "string", "description": "Category/type of the ticket"},
            "contact_id": {
                "type": "integer",
                "description": "The caller's contact number (find_contact or create_contact)",
            },
        },
        "required": ["title", "description"],
    },
}


class CreateTicketArgs(ToolArgs):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(max_length=DESCRIPTION_MAX)
    priority: Literal["low", "medium", "high", "urgent"] = "medium"
    category: str | None = Field(default=None, max_length=64)
    contact_id: ContactNumber | None = None


label = quoting_label("title", "Creating ticket “{}”…", "Creating a ticket…")


async def preview(
    db: AsyncSession, args: CreateTicketArgs, context: ToolContext
) -> ToolOutcome | None:
    """The new ticket as a draft for the agent (the arguments are checked)."""
    if refused := await _repeated(db, args, context, proposing=True):
        return refused
    snapshot: dict[str, Any] = {}
    if args.contact_id is not None:
        snapshot["contact"] = await ref_by_number(db, args.contact_id)
    arguments = args.model_dump(exclude={"contact_id"} if args.contact_id is None else set())
    draft = ProposalDraft(tool=SPEC["name"], arguments=arguments, ticket=None, snapshot=snapshot)
    return proposed(draft)


async def create_ticket(
    db: AsyncSession, args: CreateTicketArgs, context: ToolContext
) -> ToolOutcome:
    if refused := await _repeated(db, args, context, proposing=False):
        return refused
    contact = await contact_by_number(db, args.contact_id) if args.contact_id else None
    if contact is not None and (refusal := await write_refusal(db, contact, context)):
        return tool_error("refused", refusal, status="refused")
    created = await create_and_attach(
        db=db,
        data=TicketCreate(
            title=args.title,
            description=args.description,
            priority=args.priority,
            category=args.category or None,
            source="chat",
            contact_id=contact.id if contact else None,
        ),
        actor=context.actor,
        session_id=context.scope.session_id,
        max_attached=context.max_attached,
        # The tool call in the reply records it; a notice would land before the reply.
        announce=False,
    )
    ticket = created.ticket
    context.scope.attached_ids.add(ticket.id)  # in scope either way: created here
    users = await users_by_id(db=db, ids=[ticket.assignee_id])
    result: dict[str, Any] = {
        "ticket": await ticket_for_model(db, ticket, with_notes=False, users=users),
        "created": True,
        "attached": created.attached,
    }
    summary = f"Created ticket #{ticket.number}"
    if contact is not None:
        result["contact"] = await shown(db, contact)
        summary += f" for C-{contact.number} {contact.name}"
    if not created.attached:
        result["note"] = (
            f"Ticket #{ticket.number} was created but not attached to this chat: "
            f"{at_cap(context.max_attached)}."
        )
        summary += f" (not attached: {at_cap(context.max_attached)})"
    return ToolOutcome(
        status="ok",
        result=result,
        summary=summary,
        ticket_ids=[ticket.id],
        mutated=[ticket.id],
        tickets=[await summary_with_contact(db=db, ticket=ticket, users=users)],
        contact_ids=[contact.id] if contact else [],
    )


async def _repeated(
    db: AsyncSession, args: CreateTicketArgs, context: ToolContext, *, proposing: bool
) -> ToolOutcome | None:
    why = await duplicate_of(
        db,
        session_id=context.scope.session_id,
        attached_ids=context.scope.attached_ids,
        title=args.title,
        description=args.description,
        proposing=proposing,
    )
    return tool_error("duplicate", f"Not created: this ticket was {why}.") if why else None


TOOL = Tool(spec=SPEC, args=CreateTicketArgs, label=label, handler=create_ticket, preview=preview)
