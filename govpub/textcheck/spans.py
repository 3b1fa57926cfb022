"""Overlap and containment queries over many spans in O(log n) each.

Findings are matched against allow-list spans, curated findings and hidden parts of a document;
with a loop over all spans per finding, an input with many of both (a page of 20,000 hidden
elements) costs findings × spans.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate


class SpanIndex:
    """Half-open spans ``(start, end, value)``; queries answer with the span of smallest start."""

    def __init__(self, spans):
        self._spans = sorted(spans, key=lambda sp: sp[0])  # stable: equal starts keep their order
        self._starts = [sp[0] for sp in self._spans]
        # reach[k]: the furthest end among the first k + 1 spans (non-decreasing, so bisectable)
        self._reach = list(accumulate((sp[1] for sp in self._spans), max))

    def __bool__(self) -> bool:
        return bool(self._spans)

    def _first_reaching_past(self, pos: int, below: int) -> tuple | None:
        """The first span among the first ``below`` whose end is after ``pos``."""
        k = bisect_right(self._reach, pos, 0, below)
        return self._spans[k] if k < below else None

    def first_overlapping(self, start: int, end: int, *, empty_at_start: bool = False) -> tuple | None:
        """The span of smallest start that overlaps [start, end).  With ``empty_at_start`` an empty
        query also matches a span that starts exactly there (an image link inside a hidden part)."""
        if start < end:
            return self._first_reaching_past(start, bisect_left(self._starts, end))
        hit = self._first_reaching_past(start, bisect_left(self._starts, start))
        if hit is None and empty_at_start:
            k = bisect_left(self._starts, start)
            if k < len(self._starts) and self._starts[k] == start:
                hit = self._spans[k]
        return hit

    def contains(self, start: int, end: int) -> bool:
        """Some span covers [start, end) entirely."""
        i = bisect_right(self._starts, start)
        return i > 0 and self._reach[i - 1] >= end
