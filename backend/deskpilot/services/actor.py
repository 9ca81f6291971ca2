"""Who is making a change and through which channel; recorded in the audit trail."""

import uuid
from dataclasses import dataclass
from typing import Literal

Channel = Literal["ui", "chat", "api"]


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID
    channel: Channel = "api"
    chat_session_id: uuid.UUID | None = None
    # An AI write: its id (the chat proposal's), and the agent who approved it, if anyone
    write_id: uuid.UUID | None = None
    approved_by: uuid.UUID | None = None
