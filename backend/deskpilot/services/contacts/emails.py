"""E-mail addresses: checked with `email-validator` (syntax only, no DNS), stored as given,
unique whatever their case (contacts' unique index on lower(email))."""

from email_validator import EmailNotValidError, validate_email

from deskpilot.core.errors import ValidationFailed


def normalize_email(raw: str, *, field: str = "email") -> str:
    """`raw`, trimmed, when it is an e-mail address; otherwise 422 naming `field`."""
    address = raw.strip()
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationFailed.for_field(field, f"not an e-mail address: {error}") from None
    return address
