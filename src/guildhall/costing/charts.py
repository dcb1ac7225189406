"""Charts a negotiator can paste into a report.

One figure: what each offer costs by kind of payment, with its total and its change
against the baseline, and beside it where the money comes from, by market; the mean
change per member by decile of members' earnings; and, for each offer, who wins or loses
(five bands) as a table of shares per decile, each cell written out and shaded on a
square-root scale, so that the bands with few members stay readable when most members
sit in one band. PNG through Matplotlib, or a self-contained HTML page with the PNG
inlined and the figures as tables.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from guildhall.costing.compare import BANDS, Comparison

_BAND_COLOURS = ("#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac")
_BAND_LABELS = {
    "lose_more_than_5": "Lose more than 5%",
    "lose_less_than_5": "Lose up to 5%",
    "no_change": "No change (within 0.1%)",
    "gain_less_than_5": "Gain up to 5%",
    "gain_more_than_5": "Gain more than 5%",
}
_BAND_TICKS = {
    "lose_more_than_5": "Lose\nover 5%",
    "lose_less_than_5": "Lose\nup to 5%",
    "no_change": "No change\n(within 0.1%)",
    "gain_less_than_5": "Gain\nup to 5%",
    "gain_more_than_5": "Gain\nover 5%",
}
KIND_LABELS = {
    "rental": "Rental and subscription",
    "sell_through": "Permanent downloads (sell-through)",
    "ad_supported_streaming": "Ad-supported streaming (on gross)",
    "streaming_fixed": "Ad-supported streaming (fixed residual)",
    "new_media_reuse": "Reuse of made-for-new-media programs",
    "streaming_bonus": "Streaming participation bonus",
    "streaming_bonus_fund": "Streaming bonus fund",
    "network_rerun": "Network prime-time reruns",
    "syndication": "Syndication",
    "basic_cable": "Basic cable",
    "foreign_free_tv": "Foreign free TV",
    "pay_tv": "Pay TV",
    "theatrical_on_free_tv": "Theatrical films on free TV",
    "supplemental_markets": "Supplemental markets (home video)",
    "minimum_increase": "Minimum increases on session pay",
    "pension_health": "Pension and health on session pay",
    "pension_health_residuals": "Pension and health on residuals",
}
_MARKET_ORDER = (
    "Network prime-time reruns",
    "Syndication",
    "Foreign free TV",
    "Basic cable",
    "Pay TV",
    "Supplemental markets (home video)",
    "Theatrical films on free TV",
    "New media: rental and subscription",
    "New media: sell-through",
    "New media: ad-supported streaming",
    "Made-for-new-media reuse",
    "New media: streaming bonus",
    "Session pay (minimum increases)",
    "Pension and health",
)
_OFFER_COLOURS = ("#4d4d4d", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")


def dollars(cents: float) -> str:
    """Cents as a short dollar figure for a chart: $1.2M, $340K, $12."""
    value = cents / 100
    sign = "-" if value < 0 else ""
    value = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{sign}${value / size:,.1f}".removesuffix(".0") + suffix
    return f"{sign}${value:,.0f}"


def _axis_dollars(cents: float, _position: object = None) -> str:
    return dollars(cents)


LAYOUTS = ("wide", "narrow")
"""``wide``: the panels side by side, for a page or a report; ``narrow``: the same panels
stacked in one column with their legends below, for a phone's screen."""

DPI = 110
_NARROW_WIDTH = 4.2
_NARROW_HEIGHTS = (7.6, 6.4, 4.6, 5.0)
"""Inches: a stacked bar with its legend below; by market; mean change; each offer's bands."""


def _panel_heights(comparison: Comparison, layout: str) -> list[float]:
    offers = len(comparison.distribution)
    if layout == "wide":
        return [5.6] * (3 if offers else 1)
    kind, market, mean, bands = _NARROW_HEIGHTS
    return [kind, market, *([mean] + [bands] * offers if offers else [])]


def figure_size(comparison: Comparison, layout: str = "wide") -> tuple[int, int]:
    """The chart's width and height in pixels (a page gives them to its image)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r} is not one of {', '.join(LAYOUTS)}")
    width = 6.5 * max(2, len(comparison.distribution)) if layout == "wide" else _NARROW_WIDTH
    height = sum(_panel_heights(comparison, layout))
    return round(width * DPI), round(height * DPI)


def _figure(comparison: Comparison, layout: str = "wide") -> bytes:
    width, height = figure_size(comparison, layout)
    fig = plt.figure(figsize=(width / DPI, height / DPI), constrained_layout=True)
    if layout == "wide":
        _wide_panels(fig, comparison)
    else:
        _narrow_panels(fig, comparison)
    baseline = comparison.agreements[0]["id"]
    title = f"Cost of each offer over the data set, and who gains, against {baseline}"
    if layout == "narrow":
        title = f"Cost of each offer over the data set,\nand who gains, against\n{baseline}"
    fig.suptitle(title, fontsize=14 if layout == "wide" else 11, fontweight="bold")
    provenance = comparison.provenance
    if provenance:
        fig.text(
            0.995,
            0.002,
            f"data sha256 {str(provenance['data']['sha256'])[:12]}…; "
            f"guildhall {provenance['guildhall_version']}",
            ha="right",
            va="bottom",
            fontsize=7,
            color="#666666",
        )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    return buffer.getvalue()


def _wide_panels(fig: Any, comparison: Comparison) -> None:
    offers = comparison.distribution
    columns = max(2, len(offers))
    grid = fig.add_gridspec(len(_panel_heights(comparison, "wide")), columns)
    half = columns // 2
    _stacked(fig.add_subplot(grid[0, :half]), comparison, comparison.by_kind, "kind")
    _stacked(fig.add_subplot(grid[0, half:]), comparison, comparison.by_market, "market")
    if offers:
        _mean_change_by_decile(fig.add_subplot(grid[1, :]), comparison)
        for i, offer in enumerate(offers):
            _bands_by_decile(fig.add_subplot(grid[2, i]), offer)


def _narrow_panels(fig: Any, comparison: Comparison) -> None:
    heights = _panel_heights(comparison, "narrow")
    grid = fig.add_gridspec(len(heights), 1, height_ratios=heights)
    _stacked(fig.add_subplot(grid[0]), comparison, comparison.by_kind, "kind", narrow=True)
    _stacked(fig.add_subplot(grid[1]), comparison, comparison.by_market, "market", narrow=True)
    if comparison.distribution:
        _mean_change_by_decile(fig.add_subplot(grid[2]), comparison, narrow=True)
        for i, offer in enumerate(comparison.distribution):
            _bands_by_decile(fig.add_subplot(grid[3 + i]), offer, narrow=True)


def _stacked(
    axis: Any,
    comparison: Comparison,
    table: dict[str, dict[str, int]],
    by: str,
    *,
    narrow: bool = False,
) -> None:
    """Each agreement's total as a stacked bar, by kind of payment or by market; narrow,
    its legend goes below it."""
    ids = [a["id"] for a in comparison.agreements]
    keys = {k for per in table.values() for k in per}
    if by == "market":
        ordered = [m for m in _MARKET_ORDER if m in keys] + sorted(keys - set(_MARKET_ORDER))
    else:
        ordered = sorted(keys, key=lambda k: KIND_LABELS.get(k, k))
    palette = matplotlib.colormaps["tab20"]
    colours = [palette(n) for n in range(20)]
    positions = list(range(len(ids)))
    bottoms = [0.0] * len(ids)
    for n, key in enumerate(ordered):
        heights = [float(table.get(i, {}).get(key, 0)) for i in ids]
        label = KIND_LABELS.get(key, key) if by == "kind" else key
        axis.bar(positions, heights, bottom=bottoms, label=label, color=colours[n % len(colours)])
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    for position, row in zip(positions, comparison.agreements, strict=True):
        note = dollars(row["total_cents"])
        if position:
            note += f"\n{'+' if row['change_cents'] >= 0 else ''}{dollars(row['change_cents'])}"
        axis.annotate(
            note,
            (position, row["total_cents"]),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=9,
        )
    axis.set_xticks(positions, [_wrap(i) for i in ids], fontsize=8 if narrow else 9)
    axis.yaxis.set_major_formatter(FuncFormatter(_axis_dollars))
    axis.set_ylabel("Total cost (US dollars)")
    axis.set_ylim(0, max([1.0, *bottoms]) * 1.15)
    title = (
        "Total cost by kind of payment (change against the baseline)"
        if by == "kind"
        else "Where the money comes from, by market"
    )
    if narrow:
        title = title.replace(" (change", "\n(change")
        axis.set_title(title, fontsize=10)
        axis.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0.0, -0.22), frameon=False)
    else:
        axis.set_title(title)
        axis.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    axis.grid(axis="y", alpha=0.3)


def _wrap(name: str, width: int = 14) -> str:
    """An agreement id broken after hyphens into lines of about ``width`` characters."""
    lines = [""]
    for piece in name.split("-"):
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines.append("")
        lines[-1] += piece + "-"
    return "\n".join(lines)[:-1]


def _mean_change_by_decile(axis: Any, comparison: Comparison, *, narrow: bool = False) -> None:
    offers = comparison.distribution
    width = 0.8 / max(1, len(offers))
    for i, offer in enumerate(offers):
        deciles = offer["deciles"]
        xs = [d["decile"] + (i - (len(offers) - 1) / 2) * width for d in deciles]
        axis.bar(
            xs,
            [d["mean_change_cents"] for d in deciles],
            width=width,
            color=_OFFER_COLOURS[(i + 1) % len(_OFFER_COLOURS)],
            label=offer["agreement"],
        )
    axis.axhline(0, color="black", linewidth=0.8)
    axis.set_xticks(range(1, 11), [_decile_label(d, narrow) for d in range(1, 11)], fontsize=8)
    axis.yaxis.set_major_formatter(FuncFormatter(_axis_dollars))
    axis.set_xlabel("Decile of members' earnings")
    axis.set_ylabel("Mean change per member (US dollars)")
    title = f"Mean change per member against {offers[0]['baseline']}"
    axis.set_title(title.replace(" against", "\nagainst") if narrow else title,
                   fontsize=10 if narrow else None)  # fmt: skip
    axis.legend(fontsize=7 if narrow else 8, loc="upper left", frameon=False)
    axis.grid(axis="y", alpha=0.3)


def _decile_label(decile: int, narrow: bool = False) -> str:
    if narrow:
        return {1: "1\nlow", 10: "10\nhigh"}.get(decile, str(decile))
    return {1: "1\nlowest", 10: "10\nhighest"}.get(decile, str(decile))


def _bands_by_decile(axis: Any, offer: dict[str, Any], *, narrow: bool = False) -> None:
    """A table: a row per decile (and all members), a column per band, each cell the
    share of the row's members in the band with the count, shaded by the square root of
    the share so a band of 2% is still seen beside one of 90%."""
    rows = [*offer["deciles"], {**offer["all"], "decile": "all"}]
    shares = [[r["bands"][b] / max(1, r["members"]) for b in BANDS] for r in rows]
    shade = [[share**0.5 for share in row] for row in shares]
    axis.imshow(shade, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for y, (row, values) in enumerate(zip(rows, shares, strict=True)):
        for x, band in enumerate(BANDS):
            count = row["bands"][band]
            text = f"{values[x] * 100:.0f}%\n{count:,}" if count else "–"
            if count and values[x] < 0.005:
                text = f"<1%\n{count:,}"
            axis.text(
                x,
                y,
                text,
                ha="center",
                va="center",
                fontsize=6 if narrow else 7,
                color="white" if shade[y][x] > 0.6 else "black",
            )
    axis.set_xticks(range(len(BANDS)), [_BAND_TICKS[b] for b in BANDS])
    axis.tick_params(axis="x", labelsize=6 if narrow else 8)
    labels = [_decile_label(int(r["decile"])).replace("\n", " ") for r in rows[:-1]]
    axis.set_yticks(range(len(rows)), [*labels, "all members"], fontsize=8)
    axis.axhline(len(rows) - 1.5, color="black", linewidth=1)
    axis.set_ylabel("Decile of members' earnings")
    axis.set_title(
        f"Winners and losers: {offer['agreement']}\nagainst {offer['baseline']}"
        + ("\n" if narrow else " ")
        + "(share of members, count)",
        fontsize=9 if narrow else None,
    )


def chart_png(comparison: Comparison, layout: str = "wide") -> bytes:
    """The chart as PNG bytes, in one of ``LAYOUTS``."""
    return _figure(comparison, layout)


def write_chart(comparison: Comparison, target: Path) -> None:
    """Write the charts to ``target`` (.png or .html)."""
    png = _figure(comparison)
    if target.suffix.lower() == ".png":
        target.write_bytes(png)
        return
    target.write_text(_html(comparison, png), encoding="utf-8")


def _html(comparison: Comparison, png: bytes) -> str:
    def money(cents: int) -> str:
        return f"{cents / 100:,.2f}"

    totals = "".join(
        f"<tr><td>{html.escape(a['id'])}</td><td class=n>{money(a['total_cents'])}</td>"
        f"<td class=n>{money(a['change_cents'])}</td>"
        f"<td class=n>{'' if a['change_percent'] is None else a['change_percent']}</td></tr>"
        for a in comparison.agreements
    )
    ids = [a["id"] for a in comparison.agreements]
    kinds = sorted({k for per in comparison.by_kind.values() for k in per})
    head = "".join(f"<th>{html.escape(i)}</th>" for i in ids)
    by_kind = "".join(
        f"<tr><td>{html.escape(KIND_LABELS.get(k, k))}</td>"
        + "".join(f"<td class=n>{money(comparison.by_kind.get(i, {}).get(k, 0))}</td>" for i in ids)
        + "</tr>"
        for k in kinds
    )
    markets = sorted({k for per in comparison.by_market.values() for k in per})
    by_market = "".join(
        f"<tr><td>{html.escape(k)}</td>"
        + "".join(
            f"<td class=n>{money(comparison.by_market.get(i, {}).get(k, 0))}</td>" for i in ids
        )
        + "</tr>"
        for k in markets
    )
    image = base64.b64encode(png).decode()
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Costing of offers</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
        "margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}td.n{text-align:right}"
        "img{max-width:100%}</style></head><body>"
        "<h1>Costing of offers</h1>"
        "<table><tr><th>agreement</th><th>total ($)</th><th>change ($)</th>"
        f"<th>change (%)</th></tr>{totals}</table>"
        f"<h2>By kind of payment ($)</h2><table><tr><th>kind</th>{head}</tr>{by_kind}</table>"
        f"<h2>By market ($)</h2><table><tr><th>market</th>{head}</tr>{by_market}</table>"
        "<img alt='Total cost by kind of payment and by market; mean change per member by decile;"
        f" winners and losers by decile' src='data:image/png;base64,{image}'>"
        "</body></html>"
    )
