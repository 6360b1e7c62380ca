"""Dates in the text, resolved against the published date: "on Saturday", "yesterday",
"next week", "April 29", "29 April 2024"."""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH_RE = (
    "|".join(MONTHS)
    + r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
_MD = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+((?:19|20)\d\d))?\b")
_DM = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})(?:\s+((?:19|20)\d\d))?\b")
_WEEKDAY = re.compile(r"\b(?:on\s+|this\s+|next\s+|last\s+|by\s+)?(" + "|".join(_DAYS) + r")\b")
_RELATIVE = re.compile(
    r"\b(today|yesterday|tomorrow|tonight|next week|last week|this week)\b", re.I
)


def _month(name: str) -> int:
    key = name.rstrip(".")[:3].lower()
    return [m[:3].lower() for m in MONTHS].index(key) + 1


def resolve_date(text: str, published: date | None, future: bool) -> date | None:
    """The first date the text names, or None. `future` picks the next weekday rather than
    the last one ("on Saturday" in a plan means the coming Saturday)."""
    m = _MD.search(text)
    day_first = _DM.search(text)
    if m is None and day_first is not None:
        month, day, year = _month(day_first.group(2)), int(day_first.group(1)), day_first.group(3)
    elif m is not None:
        month, day, year = _month(m.group(1)), int(m.group(2)), m.group(3)
    else:
        month = 0
    if month:
        if year:
            base_year = int(year)
        elif published:
            base_year = published.year
        else:
            return None
        try:
            return date(base_year, month, day)
        except ValueError:
            return None
    if published is None:
        return None
    rel = _RELATIVE.search(text)
    if rel:
        word = rel.group(1).lower()
        offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "next week": 7,
                  "last week": -7, "this week": 0}[word]  # fmt: skip
        return published + timedelta(days=offset)
    wd = _WEEKDAY.search(text)
    if wd:
        target = _DAYS.index(wd.group(1))
        delta = target - published.weekday()
        if future or wd.group(0).lower().startswith(("next", "by")):  # "by Friday": a deadline
            return published + timedelta(days=delta if delta > 0 else delta + 7)
        return published + timedelta(days=delta if delta <= 0 else delta - 7)
    return None
