"""Precision-aware comparison of values: dates that refine each other, counts with qualifiers."""
from __future__ import annotations

from ..analyze.dates import compatible as dates_compatible
from ..analyze.dates import most_precise

__all__ = ["dates_compatible", "most_precise", "counts_compatible"]

_LOWER_BOUND = ("more than", "at least", "over", "as many as")
_UPPER_BOUND = ("fewer than", "less than", "up to")
_APPROX = ("about", "around", "nearly", "almost", "some", "approximately", "roughly", "an estimated")


def _range(value: int, qualifier: str | None) -> tuple[float, float]:
    if qualifier in _LOWER_BOUND:
        return value, float("inf")
    if qualifier in _UPPER_BOUND:
        return 0, value
    if qualifier in _APPROX:
        return value * 0.85, value * 1.15
    return value, value


def counts_compatible(a: tuple[int, str | None], b: tuple[int, str | None]) -> bool:
    """39 vs 37 disagree; 'more than 30' vs 37 agree; 'about 40' vs 39 agree."""
    (lo1, hi1), (lo2, hi2) = _range(*a), _range(*b)
    return not (hi1 < lo2 or hi2 < lo1)
