"""Why an amount is owed: the formula, the parameter values with their sources, the inputs."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

from guildhall.costing.engine import Tables, costing_rows, production_amounts
from guildhall.costing.formulas import (
    FORMULAS_OF_KIND,
    MARKETS_OF_KIND,
    PARAMETERS_OF_KIND,
    per_event,
    sell_through,
    streaming_bonus,
    streaming_fixed,
)
from guildhall.costing.params import Terms

_TEXT = {
    "rental": per_event.rental,
    "ad_supported_streaming": per_event.ad_supported_streaming,
    "new_media_reuse": per_event.new_media_reuse,
    "sell_through": sell_through.sell_through,
    "streaming_fixed": streaming_fixed.streaming_fixed,
    "streaming_bonus": streaming_bonus.streaming_bonus,
    "streaming_bonus_fund": streaming_bonus.streaming_bonus,
}


def explain(
    tables: Tables, terms: Terms, production_id: int, period_start: dt.date, kind: str
) -> dict[str, Any]:
    """Everything behind one amount of ``kind`` for a production and period."""
    amounts = production_amounts(tables, [terms])
    mine = amounts.filter(
        (amounts.production_id == production_id)
        & (amounts.period_start == period_start)
        & (amounts.kind == kind)
    )
    found = mine.to_pyarrow().to_pylist()
    rows = costing_rows(tables, [terms])
    inputs = rows.filter(
        (rows.production_id == production_id)
        & (rows.period_start == period_start)
        & rows.market.isin(MARKETS_OF_KIND[kind])
    ).order_by("event_id")
    return {
        "agreement": terms.id,
        "production_id": production_id,
        "period_start": period_start,
        "kind": kind,
        "amount_cents": int(found[0]["amount_cents"]) if found else 0,
        "formulas": [f for f in FORMULAS_OF_KIND[kind] if terms.has(f)],
        "formula": inspect.getdoc(_TEXT[kind]) or kind,
        "parameters": [
            {"name": name, "value": terms.values[name], "source": terms.source(name)}
            for name in PARAMETERS_OF_KIND[kind]
            if name in terms.values
        ],
        "inputs": inputs.drop("covered_0").to_pyarrow().to_pylist(),
    }
