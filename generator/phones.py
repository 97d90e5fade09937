"""Phone numbers: parsed and validated by phonenumbers, in the forms people read and dial."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from generator.content.model import Phone


def parse_phone(text: str, region: str, *, domestic_only: bool = False) -> Phone:
    """Parse `text` as dialled in `region` (or with a leading +); ValueError when invalid.

    A domestic-only number keeps the grouping the editor wrote: libraries format such lines
    (01 8000 ...) in a form nobody in the country uses.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"not a phone number ({error})") from None
    # A number's type is UNKNOWN exactly when it is invalid (phonenumbers' own definition of
    # is_valid_number): one lookup serves both, which 10,000 contacts feel.
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        raise ValueError(f"not a valid phone number for region {region}")
    if domestic_only:
        national = " ".join(text.split())
    else:
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return Phone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        national=national,
        international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        domestic_only=domestic_only,
        mobile=kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE),
    )
