import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

TicketStatus = Literal["open", "in_progress", "resolved", "closed"]
TicketPriority = Literal["low", "medium", "high", "urgent"]
TicketSource = Literal["call", "chat"]
Channel = Literal["ui", "chat", "api"]
Role = Literal["agent", "admin"]

TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
NOTE_MAX = 10_000
CATEGORY_MAX = 64
QUERY_MAX = 200
# The duplicate check's description travels in the URL: the words that tell are early anyway.
SIMILAR_DESCRIPTION_MAX = 4_000
ASSIGNEE_MAX = 200  # a name or e-mail (TicketUpdate.assignee)


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold U+0000: a 422 naming the field here, not a 500 later.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class PublicModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserRef(PublicModel):
    id: uuid.UUID
    name: str
    email: str


class ContactRef(PublicModel):
    """A caller as tickets and calls name them (schemas/contact.py has the rest)."""

    id: uuid.UUID
    number: int
    name: str
    organization: str | None = None
    phone: str | None = None  # E.164
