"""Callers (issue 15): contacts, their organisations and calls."""

import uuid
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field

from deskpilot.schemas.common import ContactRef, PublicModel, StrictModel, UserRef
from deskpilot.schemas.ticket import TicketSummary

__all__ = [
    "CallCreate",
    "CallPage",
    "CallPublic",
    "CallTicket",
    "ContactCreate",
    "ContactDetail",
    "ContactMerge",
    "ContactPage",
    "ContactPublic",
    "ContactRef",
    "ContactUpdate",
    "OrganizationRef",
]

CONTACT_NAME_MAX = 200
ORGANIZATION_MAX = 200
PHONE_MAX = 64
EMAIL_MAX = 254
CONTACT_NOTES_MAX = 10_000
CALL_SUMMARY_MAX = 10_000
CallDirection = Literal["inbound", "outbound"]


class OrganizationRef(PublicModel):
    id: uuid.UUID
    name: str


class ContactPublic(PublicModel):
    id: uuid.UUID
    number: int
    name: str
    email: str | None
    phone: str | None = Field(description="E.164, e.g. +15550102030")
    phone_display: str | None = Field(description="International format, e.g. +1 555-010-2030")
    organization: OrganizationRef | None
    notes: str
    open_tickets: int = Field(description="Open and in-progress tickets for this caller")
    created_at: datetime
    updated_at: datetime


class CallTicket(PublicModel):
    id: uuid.UUID
    number: int
    title: str


class CallPublic(PublicModel):
    id: uuid.UUID
    channel: Literal["call"]
    contact: ContactRef
    ticket: CallTicket | None
    agent: UserRef | None
    direction: CallDirection
    started_at: datetime
    duration_seconds: int | None
    summary: str
    created_at: datetime


class ContactDetail(ContactPublic):
    open_ticket_list: list[TicketSummary] = Field(
        description="Open and in-progress tickets, newest activity first (at most 20)"
    )
    recent_tickets: list[TicketSummary] = Field(
        description="The caller's other tickets, newest activity first (at most 20)"
    )
    calls: list[CallPublic] = Field(description="Newest first (at most 50)")


class ContactPage(BaseModel):
    items: list[ContactPublic]
    next_cursor: str | None


class CallPage(BaseModel):
    items: list[CallPublic]
    next_cursor: str | None


class ContactCreate(StrictModel):
    name: str = Field(min_length=1, max_length=CONTACT_NAME_MAX)
    phone: str | None = Field(
        default=None,
        max_length=PHONE_MAX,
        description="Any common format; without +country code, DESKPILOT_DEFAULT_PHONE_REGION's",
    )
    email: str | None = Field(default=None, max_length=EMAIL_MAX)
    organization: str | None = Field(
        default=None,
        max_length=ORGANIZATION_MAX,
        description="A name: found whatever its case, or created",
    )
    notes: str = Field(default="", max_length=CONTACT_NOTES_MAX)


class ContactUpdate(StrictModel):
    """Fields left out stay; phone, email or organization "" or null clear them."""

    name: str | None = Field(default=None, min_length=1, max_length=CONTACT_NAME_MAX)
    phone: str | None = Field(default=None, max_length=PHONE_MAX)
    email: str | None = Field(default=None, max_length=EMAIL_MAX)
    organization: str | None = Field(default=None, max_length=ORGANIZATION_MAX)
    notes: str | None = Field(default=None, max_length=CONTACT_NOTES_MAX)


class ContactMerge(StrictModel):
    duplicate_id: uuid.UUID = Field(description="The contact merged into this one, then deleted")


class CallCreate(StrictModel):
    contact_id: uuid.UUID
    ticket_id: uuid.UUID | None = None
    direction: CallDirection = "inbound"
    started_at: AwareDatetime | None = Field(default=None, description="Default: now")
    duration_seconds: int | None = Field(default=None, ge=0, le=7 * 24 * 3600)
    summary: str = Field(min_length=1, max_length=CALL_SUMMARY_MAX)
