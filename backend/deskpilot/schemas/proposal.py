"""The copilot's proposed writes as the API shows them, and the agent's decisions."""

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from deskpilot.schemas.common import ContactRef, StrictModel, TicketPriority, UserRef
from deskpilot.schemas.ticket import TicketSummary

ProposalState = Literal["pending", "executed", "rejected", "superseded", "failed"]
ApprovalPolicy = Literal["writes", "optional", "never"]


class ProposalChange(BaseModel):
    """One field the write changes: from the value the agent saw to the new one."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    field: str
    from_: Any = Field(alias="from")
    to: Any


class NewTicketDraft(BaseModel):
    title: str
    description: str
    priority: TicketPriority
    category: str | None


class ProposalPublic(BaseModel):
    id: uuid.UUID
    message_id: uuid.UUID | None
    tool_call_id: str
    tool: str
    state: ProposalState
    headline: str  # "Close #12?"
    ticket: TicketSummary | None  # the ticket it changes, or the one it created
    changes: list[ProposalChange]
    note: str | None  # a note it adds
    new_ticket: NewTicketDraft | None  # create_ticket: the draft (as approved, once done)
    arguments: dict[str, Any]  # as they run: the agent's edit, if any, else the model's
    edited: bool
    reason: str | None  # why the agent rejected it
    summary: str | None  # once decided: what happened ("Updated ticket #12 (…)")
    automatic: bool  # made at once (DESKPILOT_CHAT_APPROVAL=never or the user's choice)
    decided_by: UserRef | None
    decided_at: datetime | None
    undone_at: datetime | None
    undone_by: UserRef | None
    created_at: datetime
    # Intake's dependent writes (create_contact → create_ticket or a note → log_call): one
    # group, approved in order by approving its first (group_id: that one's id).
    group_id: uuid.UUID | None = None
    depends_on: uuid.UUID | None = None  # the proposal whose result this one needs
    contact: ContactRef | None = None  # create_contact / log_call: the caller, once known


class ProposalApprove(StrictModel):
    """Approve, optionally with edited arguments (validated like the tool's own)."""

    arguments: dict[str, Any] | None = None


class ProposalReject(StrictModel):
    reason: str | None = Field(default=None, max_length=1000)


class ApprovalSettings(BaseModel):
    policy: ApprovalPolicy  # DESKPILOT_CHAT_APPROVAL
    ask_before_changes: bool  # in effect for this user
    can_change: bool  # the policy lets the user choose (optional)


class ApprovalPreference(StrictModel):
    ask_before_changes: bool
