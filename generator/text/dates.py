"""Month names, read and written the same way everywhere."""

from __future__ import annotations

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
