"""Parsing what people call a ticket: a UUID, 47, or #47."""

import re
import uuid

from backend.core.errors import NotFound, ValidationFailed

_NUMBER = re.compile(r"^#?(\d{1,18})$")


def ticket_not_found(parsed: uuid.UUID | int) -> NotFound:
    return NotFound(f"Ticket {f'#{parsed}' if isinstance(parsed, int) else parsed} not found")


def parse_ticket_ref(ref: str | int | uuid.UUID, *, field: str = "ticket") -> uuid.UUID | int:
    if isinstance(ref, uuid.UUID):
        return ref
    if isinstance(ref, int) and not isinstance(ref, bool):
        if ref < 1:
            raise ValidationFailed.for_field(field, "ticket numbers start at 1")
        return ref
    text = str(ref).strip()
    match = _NUMBER.match(text)
    if match:
        number = int(match.group(1))
        if number < 1:
            raise ValidationFailed.for_field(field, "ticket numbers start at 1")
        return number
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ValidationFailed.for_field(
            field, f"'{text[:40]}' is neither a ticket number nor a ticket id"
        ) from None
