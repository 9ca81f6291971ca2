"""Phone numbers: parsed with `phonenumbers`, stored in E.164, found by any common format
or by their last digits.

A number is accepted when `phonenumbers.is_possible_number` says so (its length fits its
country: 555 numbers, which are not "valid", are possible), leaving out a local number
without its area code (possible "local only", it has no E.164 form). One written without a
+country code is read as DESKPILOT_DEFAULT_PHONE_REGION's. Searching needs no parse: a
query's digits are matched as the end of a stored number's digits (contacts.phone_digits
holds them reversed, so that is an index range), and, where the query parses as a number
with a trunk prefix ("020 7946 0958" in GB), its E.164 digits too.
"""

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from deskpilot.core.errors import ValidationFailed

MIN_SEARCH_DIGITS = 4
# What a phone number written by a person may hold besides digits.
_PHONE_CHARS = re.compile(r"^\s*\+?[\d\s().\-/]+$")
_NOT_DIGIT = re.compile(r"\D")
_EXTENSION = re.compile(r"\s*(?:ext\.?|x|#)\s*\d+\s*$", re.IGNORECASE)


def _parse(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    text = raw.strip()
    if not text or not _PHONE_CHARS.match(_EXTENSION.sub("", text)):
        return None
    if text.startswith("00"):  # the international prefix most of the world dials
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    # IS_POSSIBLE only: a local number without its area code (IS_POSSIBLE_LOCAL_ONLY)
    # cannot be dialled from elsewhere, nor stored in E.164.
    reason = phonenumbers.is_possible_number_with_reason(number)
    return number if reason == phonenumbers.ValidationResult.IS_POSSIBLE else None


def normalize_phone(raw: str, *, region: str, field: str = "phone") -> str:
    """`raw` in E.164 (+15550102030), or 422 naming `field`."""
    number = _parse(raw, region)
    if number is None:
        raise ValidationFailed.for_field(
            field,
            f"'{raw.strip()[:40]}' is not a phone number (write it with its country code, "
            f"e.g. +1 555 010 2030, or as a {region} number)",
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str | None:
    """An E.164 number in international format (+1 555-010-2030)."""
    if e164 is None:
        return None
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def looks_like_phone(query: str) -> bool:
    """A query made of phone characters with at least MIN_SEARCH_DIGITS digits."""
    text = query.strip()
    return bool(_PHONE_CHARS.match(text)) and len(_NOT_DIGIT.sub("", text)) >= MIN_SEARCH_DIGITS


def search_suffixes(query: str, *, region: str) -> list[str]:
    """The reversed digit strings a stored number's reversed digits may start with to match
    `query` (none when it does not look like a phone number)."""
    if not looks_like_phone(query):
        return []
    digits = _NOT_DIGIT.sub("", query)
    wanted = [digits]
    number = _parse(query, region)
    if number is not None:
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        wanted.append(e164.removeprefix("+"))
    return [d[::-1] for d in dict.fromkeys(wanted)]
