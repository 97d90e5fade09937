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
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid phone number for region {region}")
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    if domestic_only:
        national = " ".join(text.split())
    kind = phonenumbers.number_type(number)
    return Phone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        national=national,
        international=phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        domestic_only=domestic_only,
        mobile=kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE),
    )
