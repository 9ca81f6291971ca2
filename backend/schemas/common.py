import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict

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


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PublicModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserRef(PublicModel):
    id: uuid.UUID
    name: str
    email: str
