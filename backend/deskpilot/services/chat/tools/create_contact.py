"""create_contact: add a caller the desk does not know yet (intake's first step for a new
caller). Phone and e-mail are checked as the REST API checks them; a caller who already
has that phone or e-mail is not created twice: the model is told which contact it is."""

from typing import Any

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from deskpilot.core.errors import Conflict
from deskpilot.models import Contact
from deskpilot.schemas.contact import (
    CONTACT_NAME_MAX,
    EMAIL_MAX,
    ORGANIZATION_MAX,
    PHONE_MAX,
    ContactCreate,
)
from deskpilot.services import contact_service
from deskpilot.services.chat.contact_view import for_model
from deskpilot.services.chat.proposals.drafts import ProposalDraft
from deskpilot.services.chat.tools.base import (
    Tool,
    ToolArgs,
    ToolContext,
    ToolOutcome,
    proposed,
    quoting_label,
    tool_error,
)
from deskpilot.services.contacts.emails import normalize_email

SPEC: dict[str, Any] = {
    "name": "create_contact",
    "description": "Add a caller the desk does not know yet (after find_contact found no "
    "one). Returns the new contact's number, the contact_id other tools take.",
    "parameters": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "The caller's name"},
            "phone": {"type": "string", "description": "Phone number, any format"},
            "email": {"type": "string", "description": "E-mail address"},
            "organization": {"type": "string", "description": "The caller's company"},
        },
        "required": ["name"],
    },
}


class CreateContactArgs(ToolArgs):
    name: str = Field(min_length=1, max_length=CONTACT_NAME_MAX)
    phone: str | None = Field(default=None, max_length=PHONE_MAX)
    email: str | None = Field(default=None, max_length=EMAIL_MAX)
    organization: str | None = Field(default=None, max_length=ORGANIZATION_MAX)


label = quoting_label("name", "Adding caller “{}”…", "Adding a caller…")


async def _checked(db: AsyncSession, args: CreateContactArgs, region: str) -> ToolOutcome | None:
    """Why this contact cannot be created as asked (a bad or taken phone or e-mail), else
    None. Bad values raise the services' 422, which the executor returns as a tool error."""
    if not " ".join(args.name.split()):
        return tool_error("invalid_arguments", "Invalid arguments for create_contact: name.")
    raw_phone, raw_email = (args.phone or "").strip(), (args.email or "").strip()
    phone = contact_service.normalize_phone(raw_phone, region=region) if raw_phone else None
    email = normalize_email(raw_email) if raw_email else None
    for column, value in ((Contact.phone, phone), (func.lower(Contact.email), email)):
        if value is None:
            continue
        wanted = value if column is Contact.phone else value.lower()
        holder = await db.scalar(select(Contact).where(column == wanted).limit(1))
        if holder is not None:
            return tool_error(
                "contact_exists",
                f"Not created: {value} belongs to contact C-{holder.number} {holder.name}; "
                f"use contact_id {holder.number}.",
            )
    return None


async def preview(
    db: AsyncSession, args: CreateContactArgs, context: ToolContext
) -> ToolOutcome | None:
    if refused := await _checked(db, args, context.phone_region):
        return refused
    arguments = args.model_dump(exclude_none=True)
    return proposed(ProposalDraft(tool=SPEC["name"], arguments=arguments, ticket=None, snapshot={}))


async def create_contact(
    db: AsyncSession, args: CreateContactArgs, context: ToolContext
) -> ToolOutcome:
    if refused := await _checked(db, args, context.phone_region):
        return refused
    try:
        contact = await contact_service.create_contact(
            db=db,
            data=ContactCreate(
                name=args.name, phone=args.phone, email=args.email, organization=args.organization
            ),
            region=context.phone_region,
        )
    except Conflict as exc:  # taken meanwhile
        return tool_error("contact_exists", f"Not created: {exc.message}")
    shown = for_model(contact, args.organization.strip() if args.organization else None)
    context.scope.created_contact_ids.add(contact.id)
    return ToolOutcome(
        status="ok",
        result={"contact": shown, "created": True},
        summary=f"Added caller C-{contact.number} {contact.name}",
        contact_ids=[contact.id],
    )


TOOL = Tool(spec=SPEC, args=CreateContactArgs, label=label, handler=create_contact, preview=preview)
