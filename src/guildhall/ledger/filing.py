"""The arbitration filing of a claim, as HTML and as PDF.

One document (plain data, every amount already formatted) is rendered twice: as an HTML
page through Jinja2 with escaping on, and as a PDF through Typst, which reads the data as
JSON from its inputs, so nothing in a name or a quote is ever read as markup.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from guildhall.core.money import format_cents
from guildhall.ledger.claims import Claim

GUILDS = {
    "WGA": "Writers Guild of America",
    "SAG": "Screen Actors Guild",
    "DGA": "Directors Guild of America",
    "AFTRA": "American Federation of Television and Radio Artists",
    "SAG-AFTRA": "SAG-AFTRA",
}
KIND_NAMES = {
    "rental": "Rental and fixed-period licence residual",
    "sell_through": "Electronic sell-through residual",
    "ad_supported_streaming": "Ad-supported streaming residual (gross)",
    "streaming_fixed": "Fixed residual for ad-supported streaming after the free window",
    "new_media_reuse": "Reuse residual, made-for-new-media",
    "streaming_bonus": "Streaming participation bonus",
    "streaming_bonus_fund": "Streaming participation fund",
    "force_majeure": "Force majeure suspension pay",
}


def _title(claim: Claim, production: int) -> str:
    for row in claim.evidence["obligations"]:
        if row["production"] == production and isinstance(row.get("how"), dict):
            title = row["how"].get("title")
            if title:
                return str(title)
    return f"Production {production}"


def filing_document(claim: Claim, today: date) -> dict[str, Any]:
    """Everything the filing shows, as text."""
    evidence = claim.evidence
    guilds = [GUILDS.get(g, g) for g in evidence["guild"]]
    unpaid = sum(s["unpaid_cents"] for s in evidence["shortfalls"])
    interest = sum(s["interest_cents"] for s in evidence["shortfalls"])
    amounts = [
        {
            "title": _title(claim, s["production"]),
            "production": str(s["production"]),
            "period": str(s["period"]),
            "kind": KIND_NAMES.get(s["kind"], s["kind"].replace("_", " ")),
            "agreement": s["agreement"],
            "owed": format_cents(s["owed_cents"]),
            "paid": format_cents(s["paid_cents"]),
            "unpaid": format_cents(s["unpaid_cents"]),
            "due_on": str(s["due_on"]),
            "days_late": str(s["days_late"]),
            "interest": format_cents(s["interest_cents"]),
        }
        for s in evidence["shortfalls"]
    ]
    agreements = [
        {
            "id": a["id"],
            "name": a["name"],
            "guild": GUILDS.get(a["guild"], a["guild"]),
            "term": " to ".join(str(t) for t in a["term"] if t) or "not stated",
            "files": [
                f"agreements/{Path(f['path']).name} (SHA-256 {f['sha256']})" for f in a["files"]
            ],
            "terms": [
                {
                    "name": t["name"],
                    "description": t["description"],
                    "value": t["value"] if t["value"] is not None else "not stated",
                    "uncertain": "uncertain: " + (t["missing"] or "").strip()
                    if t["uncertain"]
                    else "",
                    "source": f"{t['document']}, {t['where']}" if t["document"] else "no source",
                    "quote": t["quote"] or "",
                }
                for t in a["terms"]
            ],
        }
        for a in evidence["agreements"]
    ]
    rates = [
        f"{a['id']}: {t['value']}% a month{' (uncertain)' if t['uncertain'] else ''}"
        for a in evidence["agreements"]
        for t in a["terms"]
        if t["name"] == "late_payment_interest_percent_per_month"
    ]
    obligations = [
        {
            "entry": str(o["entry"]),
            "production": str(o["production"]),
            "performer": "production" if o["performer"] is None else str(o["performer"]),
            "period": str(o["period"]),
            "kind": o["kind"],
            "amount": format_cents(o["amount_cents"]),
            "due_on": str(o["due_on"]),
            "source": o["source"],
        }
        for o in evidence["obligations"]
    ]
    remittances = [
        {
            "entry": str(r["entry"]),
            "reference": r["reference"] or "",
            "production": str(r["production"]),
            "performer": "production" if r["performer"] is None else str(r["performer"]),
            "period": str(r["period"]),
            "kind": r["kind"],
            "amount": format_cents(r["amount_cents"]),
            "paid_on": str(r["paid_on"]),
        }
        for r in evidence["remittances"]
    ]
    sources = []
    for key, description in sorted(evidence["sources"].items()):
        parts = [key]
        data = description.get("data")
        if isinstance(data, dict):
            parts.append(f"data set SHA-256 {data.get('sha256')}")
        if description.get("file"):
            parts.append(f"file {description['file']}")
        if description.get("case"):
            parts.append(f"case {description['case']}, event {description.get('event')}")
        sources.append("; ".join(parts))
    limit = claim.deadline
    steps = [
        {
            "step": s.name.replace("_", " "),
            "on": str(s.on),
            "amount": format_cents(s.amount_cents) if s.amount_cents else "",
            "note": s.note or "",
        }
        for s in claim.steps
    ]
    return {
        "claim": claim.id,
        "date": today.isoformat(),
        "as_of": str(evidence["as_of"]),
        "claimant": " and ".join(guilds) or "the guild",
        "respondent": claim.employer,
        "state": claim.state.replace("_", " "),
        "agreements": agreements,
        "amounts": amounts,
        "unpaid": format_cents(unpaid),
        "interest": format_cents(interest),
        "total": format_cents(unpaid + interest),
        "relief": (
            f"that the respondent pay {format_cents(unpaid)} owed under the agreement, with "
            f"interest of {format_cents(interest)} to {evidence['as_of']} and at the same rate "
            "until paid, to be distributed to the performers as the evidence shows."
        ),
        "interest_terms": "; ".join(rates) or "no rate stated",
        "interest_rule": (
            "Interest runs by the day at twelve times the monthly rate over a 365-day year on "
            "each amount unpaid after its due date and grace period, to "
            f"{evidence['as_of']}, rounded once to the cent per title, period and kind."
        ),
        "allocation": evidence["allocation"],
        "obligations": obligations,
        "remittances": remittances,
        "sources": sources,
        "time_limit": (
            f"To be filed by {limit.file_by} ({limit.days} days from {limit.counted_from}); "
            f"source: {limit.source}"
            if limit.file_by
            else f"No time limit is stated ({limit.missing or 'not stated'})."
        ),
        "steps": steps,
    }


TEMPLATES = Path(__file__).parent / "templates"


def html(document: dict[str, Any]) -> str:
    """The filing as one HTML page (every value escaped)."""
    from jinja2 import Environment

    environment = Environment(autoescape=True)
    template = (TEMPLATES / "filing.html.j2").read_text(encoding="utf-8")
    return environment.from_string(template).render(d=document)


def _typst(document: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    source = (TEMPLATES / "filing.typ").read_bytes()
    return source, {"data": json.dumps(document, ensure_ascii=False)}


def pdf(document: dict[str, Any]) -> bytes:
    """The filing as PDF, through Typst (its own fonts; no browser, no system library)."""
    import typst

    source, inputs = _typst(document)
    return bytes(typst.compile(source, format="pdf", sys_inputs=inputs, timestamp=0))


def png_pages(document: dict[str, Any], ppi: int = 110) -> list[bytes]:
    """The filing's pages as PNG pictures, for looking at it."""
    import typst

    source, inputs = _typst(document)
    pages = typst.compile(source, format="png", sys_inputs=inputs, ppi=ppi, timestamp=0)
    return [bytes(p) for p in pages] if isinstance(pages, list) else [bytes(pages)]
