"""The discrete log of a small tally, ``S`` from ``S·G``, by baby-step giant-step."""

from __future__ import annotations

from math import isqrt

from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.group import IDENTITY, base_mul


def small_dlog(point: bytes, bound: int) -> int:
    """The ``S`` in ``[0, bound]`` with ``S·G == point``; ``ValueError`` if there is none.

    >>> small_dlog(base_mul(12345), 10**6)
    12345
    """
    if point == IDENTITY:
        return 0
    m = isqrt(bound) + 1
    table: dict[bytes, int] = {}
    step = IDENTITY
    generator = base_mul(1)
    for j in range(m):
        table.setdefault(step, j)
        step = group.add(step, generator)
    giant = base_mul(m)
    current = point
    for i in range(m + 1):
        found = table.get(current)
        if found is not None:
            value = i * m + found
            if value <= bound:
                return value
        current = group.sub(current, giant)
    raise ValueError(f"the tally is not a sum in [0, {bound}]")
