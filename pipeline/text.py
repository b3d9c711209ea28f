"""Text for sentences and messages: lists in prose (`a`, `a and b`, `a, b and c`), capitals."""

from __future__ import annotations

from collections.abc import Sequence

ITEMS_LISTED = 5  # a message lists this many items, then says how many more


def join_words(items: Sequence[str], most: int | None = None) -> str:
    """A list in prose (empty for none); past `most` items, the first `most` and how many more."""
    items = list(items)
    if most is not None and len(items) > most:
        return f"{', '.join(items[:most])} and {len(items) - most} more"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def listed(items: Sequence[str]) -> str:
    """A list in prose for a message: at most ITEMS_LISTED items, then how many more."""
    return join_words(items, most=ITEMS_LISTED)


def capitalise(text: str) -> str:
    """The text with its first letter in capitals, the rest untouched (`capitalize` lowers it)."""
    return text[:1].upper() + text[1:]
