"""What the offline assistant knows besides the message: attached tickets, the ticket the
last exchange was about, tickets it has seen, the desk's agents, and its own last question."""

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Situation:
    attached: tuple[int, ...] = ()  # numbers of the tickets attached to the chat
    recent: int | None = None  # the one ticket the previous exchange was about
    seen: dict[int, dict[str, Any]] = field(default_factory=dict)  # number → title, priority…
    agents: tuple[dict[str, str], ...] = ()  # {"name", "email"} of the desk's people
    user_name: str = ""  # who "me" is
    previous_request: str | None = None  # the agent's previous message
    previous_reply: str | None = None  # what the assistant answered it (text only)

    def implied(self) -> list[int]:
        """The ticket "it" means: the only attached ticket, else the recent one."""
        if len(self.attached) == 1:
            return [self.attached[0]]
        return [self.recent] if self.recent is not None else []

    @property
    def asked(self) -> bool:
        """Whether the assistant's last answer was a question."""
        return bool(self.previous_reply) and "?" in (self.previous_reply or "")[-200:]

    def key(self) -> str:
        """Everything it holds, as one string (plans are cached by it)."""
        fields = (
            self.attached,
            self.recent,
            self.seen,
            self.agents,
            self.user_name,
            self.previous_request,
            self.previous_reply,
        )
        return json.dumps(fields, sort_keys=True, default=str)

    def without_previous(self) -> "Situation":
        return dataclasses.replace(self, previous_request=None, previous_reply=None)
