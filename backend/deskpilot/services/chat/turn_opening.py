"""What opening a chat turn found (chat/turn_store.py): the chat's attached tickets, the
message being answered and, for a resent message, its reply to replay or to continue; and
the checks and the title a new user message gets."""

import uuid
from dataclasses import dataclass

from deskpilot.core.errors import ValidationFailed
from deskpilot.services.chat.records import StoredMessage
from deskpilot.services.chat.replacing import WriteDone

TITLE_CHARS = 60  # of a title derived from the first message


@dataclass(frozen=True)
class TurnOpening:
    attached_ticket_ids: list[uuid.UUID]
    resend_of: uuid.UUID | None  # the user message a client_message_id already names
    has_user_messages: bool


def derive_title(first_message: str) -> str:
    words = " ".join(first_message.split())
    if len(words) <= TITLE_CHARS:
        return words
    cut = words[: TITLE_CHARS - 1].rsplit(" ", 1)[0]
    return cut + "…"


@dataclass
class Prepared:
    user_message: StoredMessage
    stored_reply: StoredMessage | None  # a finished reply to replay (idempotent resend)
    failed_reply: StoredMessage | None  # an unfinished reply whose tool calls a retry continues
    first_exchange: bool
    attached_ticket_ids: list[uuid.UUID]
    history: list[StoredMessage] | None = None  # the messages before user_message, if read
    replaced: bool = False  # it replaces the chat's last user message (chat/replacing.py)
    writes_done: tuple[WriteDone, ...] = ()  # by the replies it replaced: never again

    @classmethod
    def new(
        cls, opening: TurnOpening, message: StoredMessage, history: list[StoredMessage]
    ) -> "Prepared":
        return cls(
            user_message=message,
            stored_reply=None,
            failed_reply=None,
            first_exchange=not opening.has_user_messages,
            attached_ticket_ids=opening.attached_ticket_ids,
            history=history,
        )

    @classmethod
    def resent(
        cls, opening: TurnOpening, message: StoredMessage, reply: StoredMessage | None
    ) -> "Prepared":
        # a reply paused on proposals is finished too: the agent answers it, not a retry
        finished = reply is not None and reply.status in ("complete", "awaiting_approval")
        return cls(
            user_message=message,
            stored_reply=reply if finished else None,
            failed_reply=None if finished else reply,
            first_exchange=False,
            attached_ticket_ids=opening.attached_ticket_ids,
        )


def check_content(content: str, max_chars: int) -> None:
    if len(content) > max_chars:
        raise ValidationFailed.for_field("content", f"at most {max_chars} characters")
    if not content.strip():
        raise ValidationFailed.for_field("content", "a message needs some text")
