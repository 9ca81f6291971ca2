import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from deskpilot.schemas.common import (
    CATEGORY_MAX,
    DESCRIPTION_MAX,
    TITLE_MAX,
    ContactRef,
    StrictModel,
    TicketPriority,
    TicketStatus,
)
from deskpilot.schemas.proposal import ApprovalSettings, ProposalPublic
from deskpilot.schemas.ticket import TicketPublic, TicketSummary

TicketRef = str | int


class ChatSessionCreate(StrictModel):
    title: str | None = Field(default=None, max_length=120)


class ChatSessionRename(StrictModel):
    title: str = Field(min_length=1, max_length=120)


class AttachmentChange(StrictModel):
    attach: list[TicketRef] = Field(default_factory=list, max_length=50)
    detach: list[TicketRef] = Field(default_factory=list, max_length=50)


class ChatMessageCreate(StrictModel):
    content: str = Field(min_length=1)  # length cap is a setting, checked by the service
    client_message_id: str | None = Field(default=None, min_length=1, max_length=100)
    # edit-and-resend or regenerate: the id of the chat's last user message, which is
    # superseded with everything after it; this message is answered in its place
    replaces: uuid.UUID | None = None


class ChatTicketCreate(StrictModel):
    session_id: uuid.UUID
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    priority: TicketPriority = "medium"
    category: str | None = Field(default=None, max_length=CATEGORY_MAX)


ToolCallStatus = Literal[
    "ok", "error", "refused",  # ran (or not) at once
    "proposed", "executed", "rejected", "superseded", "failed",  # a write the agent approves
]  # fmt: skip


class ToolCallPublic(BaseModel):
    id: str
    name: str
    arguments: Any
    status: ToolCallStatus
    summary: str
    duration_ms: int
    ticket_ids: list[uuid.UUID]
    proposal_id: uuid.UUID | None = None  # a write: its proposal (message.proposals)
    contact_ids: list[uuid.UUID] = Field(default_factory=list)  # callers it found or wrote for


class CallerTicket(BaseModel):
    number: int
    title: str
    status: TicketStatus
    priority: TicketPriority


class CallerCard(BaseModel):
    """A caller the turn identified (found, created, or logged a call for)."""

    contact: ContactRef
    open_tickets: list[CallerTicket]


class MessageError(BaseModel):
    code: str
    message: str


class ChatMessagePublic(BaseModel):
    id: uuid.UUID
    session_id: uuid.UUID
    role: Literal["user", "assistant", "system"]
    content: str
    ticket_refs: list[uuid.UUID]
    tickets: list[TicketSummary]
    tool_calls: list[ToolCallPublic] | None
    # awaiting_approval: paused on its proposals; pending: being generated
    status: Literal["complete", "incomplete", "failed", "pending", "awaiting_approval"]
    error: MessageError | None
    client_message_id: str | None
    created_at: datetime
    # the writes its tool calls proposed or made, in call order
    proposals: list[ProposalPublic] = Field(default_factory=list)
    # the callers its tool calls identified, with their open tickets (the caller card)
    callers: list[CallerCard] = Field(default_factory=list)
    # replaced by a regenerated reply or an edited message: kept, not in the model's history
    superseded: bool = False


class ChatSessionPublic(BaseModel):
    id: uuid.UUID
    title: str | None
    created_at: datetime
    updated_at: datetime
    attached_tickets: list[TicketSummary]


class ChatSessionAttachResult(ChatSessionPublic):
    system_message: ChatMessagePublic | None


class ChatTicketPublic(TicketPublic):
    """A ticket created from chat: attached to the session unless it was at its cap."""

    attached: bool
    system_message: ChatMessagePublic | None


class ChatSessionDetail(ChatSessionPublic):
    messages: list[ChatMessagePublic]
    has_more: bool


class ChatSessionSummary(BaseModel):
    id: uuid.UUID
    title: str | None
    created_at: datetime
    updated_at: datetime
    attached_ticket_count: int
    last_message_preview: str | None
    pending_proposals: int = 0  # changes waiting for the agent's approval
    # with a search: the first matching message's words around the match (null: the title matched)
    match: str | None = None


class ChatSessionPage(BaseModel):
    items: list[ChatSessionSummary]
    next_cursor: str | None


class ChatMessagePage(BaseModel):
    items: list[ChatMessagePublic]
    has_more: bool


class ChatConfig(BaseModel):
    provider: Literal["offline", "openai", "anthropic"]
    model: str
    offline: bool
    max_message_chars: int
    max_attached_tickets: int
    approval: ApprovalSettings
