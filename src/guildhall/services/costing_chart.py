"""The costing chart as the web app serves it: drawn once for each set of inputs and kept,
with a tag that names those inputs (its ETag), and its figures said in words (its alt text).

The inputs are the agreements in order, the readings chosen, the SHA-256 of every
agreement file read, the data set's checksum, the layout and Guildhall's version: the
chart is a function of them alone, so a chart drawn for one tag is the chart for every
request with that tag. At most ``KEPT`` charts are held, the least recently served
dropped first. Matplotlib's figure state is not safe across threads, so one chart is
drawn at a time.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

from guildhall.costing import charts
from guildhall.costing.charts import KIND_LABELS, dollars
from guildhall.costing.compare import BANDS, Comparison

LAYOUTS = charts.LAYOUTS
KEPT = 16
"""Charts held in memory (a chart is some 100-300 KB)."""

_kept: OrderedDict[str, bytes] = OrderedDict()
_drawing = threading.Lock()
_drawn = 0


def tag(comparison: Comparison, readings: Mapping[str, str], layout: str) -> str:
    """A digest of every input the chart is drawn from; equal tags, equal charts."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    provenance = comparison.provenance
    inputs = {
        "agreements": [a["id"] for a in comparison.agreements],
        "readings": sorted(readings.items()),
        "files": {
            agreement: sorted(f["sha256"] for f in files)
            for agreement, files in provenance.get("agreements", {}).items()
        },
        "data": provenance.get("data", {}).get("sha256"),
        "layout": layout,
        "guildhall": provenance.get("guildhall_version"),
    }
    text = json.dumps(inputs, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def png(comparison: Comparison, chart_tag: str, layout: str) -> bytes:
    """The chart for ``chart_tag`` (``tag(comparison, ..., layout)``): the one kept, or
    drawn now and kept."""
    global _drawn
    found = _served(chart_tag)
    if found is not None:
        return found
    with _drawing:
        found = _served(chart_tag)  # drawn by another request while this one waited
        if found is not None:
            return found
        drawn = charts.chart_png(comparison, layout)
        _drawn += 1
        _kept[chart_tag] = drawn
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return drawn


def _served(chart_tag: str) -> bytes | None:
    found = _kept.get(chart_tag)
    if found is not None:
        _kept.move_to_end(chart_tag)
    return found


def times_drawn() -> int:
    """How many charts this process has drawn (kept ones are not drawn again)."""
    return _drawn


def size(comparison: Comparison, layout: str = "wide") -> tuple[int, int]:
    """The chart's width and height in pixels, for the page's image."""
    return charts.figure_size(comparison, layout)


# ------------------------------------------------------------------------ in words


def _change(cents: int) -> str:
    return ("+" if cents > 0 else "") + dollars(cents)


def _parts(table: Mapping[str, int], labels: Mapping[str, str]) -> str:
    shown = sorted(((labels.get(k, k), v) for k, v in table.items() if v), key=lambda kv: -kv[1])
    return "; ".join(f"{label} {dollars(v)}" for label, v in shown) or "nothing"


def _agreement_words(comparison: Comparison) -> list[str]:
    words = []
    for n, row in enumerate(comparison.agreements):
        agreement = row["id"]
        total = f"{agreement}: total {dollars(row['total_cents'])}"
        if n:
            percent = row.get("change_percent")
            total += f", {_change(row['change_cents'])}"
            total += f" ({'+' if row['change_cents'] > 0 else ''}{percent}%)" if percent else ""
            total += " against the baseline"
        kinds = _parts(comparison.by_kind.get(agreement, {}), KIND_LABELS)
        markets = _parts(comparison.by_market.get(agreement, {}), {})
        words.append(f"{total}. By kind of payment: {kinds}. By market: {markets}.")
    return words


def _offer_words(offer: Mapping[str, Any]) -> str:
    deciles = ", ".join(
        f"{d['decile']} {_change(d['mean_change_cents'])}" for d in offer["deciles"]
    )
    every = offer["all"]
    bands = ", ".join(f"{every['bands'][b]:,} {_BAND_WORDS[b]}" for b in BANDS)
    return (
        f"{offer['agreement']} against {offer['baseline']}: mean change per member by decile "
        f"of earnings, lowest to highest: {deciles}. Of {every['members']:,} members: {bands}."
    )


_BAND_WORDS = {
    "lose_more_than_5": "lose more than 5%",
    "lose_less_than_5": "lose up to 5%",
    "no_change": "no change",
    "gain_less_than_5": "gain up to 5%",
    "gain_more_than_5": "gain more than 5%",
}


def description(comparison: Comparison) -> str:
    """What the chart shows, figure by figure, for its alt text: each agreement's total,
    its change against the baseline and its totals by kind of payment and by market; then,
    for each offer, the mean change per member by decile and how many members win or lose."""
    baseline = comparison.agreements[0]["id"]
    parts: Sequence[str] = [
        f"Chart of what each agreement costs over the data set, against the baseline {baseline}.",
        *_agreement_words(comparison),
        *(_offer_words(offer) for offer in comparison.distribution),
    ]
    return " ".join(parts)
