"""Plain words for the identifiers the pages show: event kinds, states, parameter names,
field names and flags.

One mapping and one rule, used by every template through the ``label`` filter:
``contract_expired`` reads "Contract expired", ``passed=True`` reads "Passed",
``pension_health_percent`` reads "Pension and health percent". A word the guild writes
in capitals (SAG, AMPTP, TV) keeps them. The ``labelled`` filter shows the words with the
identifier beside them in ``<code>``, for the expert who types it into the CLI or the API.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

WORDS = {
    "pension_health": "pension and health",
    "pct": "percent",
    "min": "minimum",
    "max": "maximum",
}
"""Parts of an identifier written short, and how they read."""

CAPITALS = frozenset(
    {"sag", "amptp", "wga", "dga", "aftra", "iatse", "fmcs", "tv", "dvd", "utc", "csv", "id",
     "url", "json", "sha"}
)  # fmt: skip
"""Words written in capitals wherever they appear."""

LABELS = {
    # what a whole identifier reads, where the rule below would not say it well
    "passed=True": "Passed",
    "passed=False": "Failed",
    "True": "Yes",
    "False": "No",
    "in_force": "In force",
    "agreement_in_force": "Agreement in force",
    "final_offer": "Final offer",
    "ratified_agreement": "Ratified agreement",
    "strike_authorization": "Strike authorization",
    "board_resolution": "Board resolution",
    "mediation_failed_determination": "Mediation failed (determination)",
    "board_strike_decision": "Board strike decision",
    "vote_opened": "Vote opened",
    "vote_closed": "Vote closed",
    "negotiating_committee": "Negotiating committee",
    "national_board": "National board",
    "at_least": "at least",
    "more_than": "more than",
    "lose_more_than_5": "Lose more than 5%",
    "lose_less_than_5": "Lose up to 5%",
    "no_change": "No change",
    "gain_less_than_5": "Gain up to 5%",
    "gain_more_than_5": "Gain more than 5%",
    "added": "Added",
    "removed": "Removed",
    "changed": "Changed",
    "tv_theatrical": "TV/Theatrical",
}


_IDENTIFIER = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+|[a-z]+")


def _word(part: str) -> str:
    if part.lower() in CAPITALS:
        return part.upper()
    return WORDS.get(part, part)


def label(identifier: object) -> str:
    """``identifier`` in plain words: a known one from ``LABELS``, else its parts joined by
    spaces with the first letter capital (``free_window_days`` → "Free window days")."""
    if isinstance(identifier, bool):
        return LABELS[str(identifier)]
    text = str(identifier)
    if text in LABELS:
        return LABELS[text]
    name, sep, value = text.partition("=")
    if sep and value in ("True", "False"):
        return label(name) if value == "True" else "Not " + label(name).lower()
    if "." in text and all(_IDENTIFIER.fullmatch(p) for p in text.split(".")):
        first, *rest = text.split(".")
        return label(first) + ": " + ", ".join(label(p).lower() for p in rest)
    if not _IDENTIFIER.fullmatch(text):
        return text
    for short, long in WORDS.items():
        text = re.sub(rf"(?:^|(?<=_)){short}(?=_|$)", long.replace(" ", "_"), text)
    words = [_word(p) for p in text.split("_") if p]
    if not words:
        return str(identifier)
    first = words[0]
    words[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(words)


def labelled(identifier: object) -> Markup:
    """The plain words, and the identifier itself in ``<code>`` when they differ."""
    words = label(identifier)
    if words == str(identifier):
        return Markup(escape(words))
    return Markup('{} <code class="ident">{}</code>').format(words, str(identifier))


_PAIR = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*)=([A-Za-z0-9_]+)")
_IDENT = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _lower(words: str) -> str:
    """Words for the middle of a sentence: capitals kept only where the guild writes them."""
    kept = (w if (w.isupper() and len(w) > 1) or "/" in w else w.lower() for w in words.split(" "))
    return " ".join(kept)


def plain(text: object) -> str:
    """A sentence that carries identifiers, in words: ``kind=vote_closed, passed=True``
    reads "kind: vote closed, passed"; ``decision=no_strike`` reads "decision: no strike".
    A sentence that opens with an identifier opens with a capital."""

    def pair(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        if value in ("True", "False"):
            return _lower(label(f"{name}={value}"))
        return f"{_lower(label(name))}: {_lower(label(value))}"

    original = str(text)
    out = _PAIR.sub(pair, original)
    out = _IDENT.sub(lambda m: _lower(label(m.group(0))), out)
    opens = _PAIR.match(original) or _IDENT.match(original)
    return out[:1].upper() + out[1:] if opens else out
