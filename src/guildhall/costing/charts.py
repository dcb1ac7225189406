"""Charts a negotiator can paste into a report: cost by kind per offer, and winners and
losers by decile. PNG through Matplotlib, or a self-contained HTML page with the PNG
inlined and the figures as a table."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from guildhall.costing.compare import BANDS, Comparison

_BAND_COLOURS = ("#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac")


def _figure(comparison: Comparison) -> bytes:
    offers = comparison.distribution
    fig, axes = plt.subplots(1, 1 + len(offers), figsize=(6 + 5 * len(offers), 5))
    axes = axes if len(offers) else [axes]
    _cost_by_kind(axes[0], comparison)
    for axis, offer in zip(axes[1:], offers, strict=True):
        _bands_by_decile(axis, offer)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def _cost_by_kind(axis: Any, comparison: Comparison) -> None:
    ids = [a["id"] for a in comparison.agreements]
    kinds = sorted({k for per in comparison.by_kind.values() for k in per})
    bottoms = [0.0] * len(ids)
    for kind in kinds:
        heights = [comparison.by_kind.get(i, {}).get(kind, 0) / 1e8 for i in ids]
        axis.bar(ids, heights, bottom=bottoms, label=kind)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    axis.set_ylabel("millions of dollars")
    axis.set_title("Cost by kind")
    axis.tick_params(axis="x", labelrotation=15)
    axis.legend(fontsize=7)


def _bands_by_decile(axis: Any, offer: dict[str, object]) -> None:
    deciles = offer["deciles"]
    assert isinstance(deciles, list)
    labels = [str(d["decile"]) for d in deciles]
    lefts = [0.0] * len(deciles)
    for band, colour in zip(BANDS, _BAND_COLOURS, strict=True):
        shares = [d["bands"][band] / max(1, d["members"]) * 100 for d in deciles]
        axis.barh(labels, shares, left=lefts, color=colour, label=band.replace("_", " "))
        lefts = [a + b for a, b in zip(lefts, shares, strict=True)]
    axis.set_xlabel("% of members")
    axis.set_ylabel("decile of members' earnings")
    axis.set_title(f"{offer['agreement']} against {offer['baseline']}")
    axis.legend(fontsize=7, loc="lower right")


def write_chart(comparison: Comparison, target: Path) -> None:
    """Write the charts to ``target`` (.png or .html)."""
    png = _figure(comparison)
    if target.suffix.lower() == ".png":
        target.write_bytes(png)
        return
    rows = "".join(
        f"<tr><td>{html.escape(a['id'])}</td><td>{a['total_cents'] / 100:,.2f}</td>"
        f"<td>{a['change_cents'] / 100:,.2f}</td></tr>"
        for a in comparison.agreements
    )
    image = base64.b64encode(png).decode()
    target.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Costing</title></head><body>"
        "<h1>Costing of offers</h1><table><tr><th>agreement</th><th>total ($)</th>"
        f"<th>change ($)</th></tr>{rows}</table>"
        "<img alt='cost by kind; winners and losers by decile'"
        f" src='data:image/png;base64,{image}'>"
        "</body></html>",
        encoding="utf-8",
    )
