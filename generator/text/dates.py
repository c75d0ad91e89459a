"""Month names, read and written the same way everywhere; dates that exist on the calendar."""

from __future__ import annotations

import calendar

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_LONG_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTH_NUMBERS = {name: number for number, long in enumerate(_LONG_NAMES, 1) for name in {long, long[:3]}} | {"sept": 9}


def month_number(text: str) -> int | None:
    """``Apr``, ``April``, ``apr.``, ``4`` or ``04`` → 4; None when not a month."""
    text = text.strip().strip("{}").lower().rstrip(".")
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return MONTH_NUMBERS.get(text)


def calendar_date(date: str) -> str:
    """The longest part of ``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``) that is on the calendar:
    ``2021-02-30`` → ``2021-02``, ``2021-13`` → ``2021``."""
    year, month, day = [*map(int, date.split("-")), 0, 0][:3]
    if not 1 <= month <= 12:
        return date[:4]
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return date[:7]
    return date[:10]
