"""Phone numbers: any common format becomes E.164 (the default region for numbers without
a country code), a possible number is enough, and what is not a full number is refused
with 422 naming the field."""

import pytest

from deskpilot.core.errors import ValidationFailed
from deskpilot.services.contacts.phones import (
    display_phone,
    looks_like_phone,
    normalize_phone,
    search_suffixes,
)

ACCEPTED: list[tuple[str, str, str]] = [
    # (written, default region, E.164)
    ("+1 (555) 010-2030", "US", "+15550102030"),
    ("555.010.2030", "US", "+15550102030"),
    ("5550102030", "US", "+15550102030"),
    ("(555) 010-2030", "US", "+15550102030"),
    ("555-010-2030", "US", "+15550102030"),
    ("555 010 2030", "US", "+15550102030"),
    ("1-555-010-2030", "US", "+15550102030"),
    ("1 (555) 010 2030", "US", "+15550102030"),
    ("+15550102030", "US", "+15550102030"),
    ("+1.555.010.2030", "US", "+15550102030"),
    ("001 555 010 2030", "GB", "+15550102030"),
    ("  +1 555 010 2030  ", "US", "+15550102030"),
    ("+1 555 010 2030 ext 12", "US", "+15550102030"),
    ("555/010-2030", "US", "+15550102030"),
    ("(212) 555-0143", "US", "+12125550143"),
    ("+1 416 555 0199", "US", "+14165550199"),  # Canada, same country code
    ("020 7946 0958", "GB", "+442079460958"),
    ("+44 20 7946 0958", "US", "+442079460958"),
    ("0044 20 7946 0958", "US", "+442079460958"),
    ("+44 (0)20 7946 0958", "US", "+442079460958"),
    ("07700 900123", "GB", "+447700900123"),
    ("+33 1 23 45 67 89", "US", "+33123456789"),
    ("01 23 45 67 89", "FR", "+33123456789"),
    ("+49 30 123456", "US", "+4930123456"),
    ("030 123456", "DE", "+4930123456"),
    ("+61 2 9876 5432", "US", "+61298765432"),
    ("+91 98765 43210", "US", "+919876543210"),
    ("+81 3-1234-5678", "US", "+81312345678"),
    ("+34 912 345 678", "US", "+34912345678"),
    ("+39 06 1234 5678", "US", "+390612345678"),
    ("+55 11 91234-5678", "US", "+5511912345678"),
    ("+27 21 123 4567", "US", "+27211234567"),
]

REFUSED: list[tuple[str, str]] = [
    ("", "US"),
    ("abc", "US"),
    ("12", "US"),
    ("555-0102", "US"),  # a local number without its area code: no E.164 form
    ("555 010 20301", "US"),  # one digit too many
    ("+1555010203", "US"),  # one too few
    ("+1 555 010 2030 and more", "US"),
    ("maria@acme.example.com", "US"),
    ("+999 123 456 789", "US"),  # no such country code
    ("020 7946 0958", "US"),  # a GB number read as a US one
    ("++1 555 010 2030", "US"),
    ("+1 555 O1O 2O3O", "US"),  # letter O for zero
    ("1234567890123456789012", "US"),
]


@pytest.mark.parametrize(("written", "region", "e164"), ACCEPTED)
def test_a_common_format_becomes_e164(written: str, region: str, e164: str) -> None:
    assert normalize_phone(written, region=region) == e164


@pytest.mark.parametrize(("written", "region"), REFUSED)
def test_what_is_not_a_full_number_is_refused_naming_the_field(written: str, region: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        normalize_phone(written, region=region)
    assert raised.value.status_code == 422
    assert raised.value.details == [
        {"field": "phone", "message": raised.value.details[0]["message"]}
    ]
    assert "not a phone number" in raised.value.message


def test_the_field_named_is_the_callers() -> None:
    with pytest.raises(ValidationFailed) as raised:
        normalize_phone("nope", region="US", field="caller.phone")
    assert raised.value.details[0]["field"] == "caller.phone"


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+15550102030", "+1 555-010-2030"),
        ("+442079460958", "+44 20 7946 0958"),
        ("+33123456789", "+33 1 23 45 67 89"),
        (None, None),
    ],
)
def test_display_is_the_international_format(e164: str | None, shown: str | None) -> None:
    assert display_phone(e164) == shown


@pytest.mark.parametrize(
    ("query", "suffixes"),
    [
        ("2030", ["0302"]),
        ("010-2030", ["0302010"]),
        ("555.010.2030", ["0302010555", "03020105551"]),
        ("+1 (555) 010-2030", ["03020105551"]),
        ("123", []),  # fewer than four digits
        ("maria", []),
        ("4B 2030", []),  # not phone characters only
    ],
)
def test_search_suffixes(query: str, suffixes: list[str]) -> None:
    assert search_suffixes(query, region="US") == suffixes


def test_a_trunk_prefix_is_searched_as_its_e164_digits_too() -> None:
    # "020 7946 0958" is stored +442079460958: its digits end in 2079460958, not 02079460958
    assert search_suffixes("020 7946 0958", region="GB") == ["85906497020", "859064970244"]
    assert looks_like_phone("(555) 010")
    assert not looks_like_phone("C-12")
