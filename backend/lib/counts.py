"""Counts that leave a provider (district figures, reports for funders, the public).

A count below five could point to a family in a small village, so it is never shown as
a number outside the provider: it reads "< 5". Zero is shown as "0": it points to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

SMALLEST_SHOWN = 5
SUPPRESSED_TEXT = "< 5"


@dataclass(frozen=True, order=True)
class AnonymousCount:
    """A count as it may leave the provider; `str()` gives what a page or file shows."""

    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("a count cannot be negative")

    @property
    def suppressed(self) -> bool:
        return 0 < self.value < SMALLEST_SHOWN

    def __str__(self) -> str:
        return SUPPRESSED_TEXT if self.suppressed else str(self.value)


def anonymous(value: int) -> AnonymousCount:
    return AnonymousCount(value)
