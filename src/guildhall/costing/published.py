"""What the parties themselves said a package was worth, to print beside a costing.

These are outputs to compare with, never targets: the costing does not read them.
"""

from __future__ import annotations

FULL_SCALE_MEMBERS = 120_000
"""SAG's membership in 2008–09 ("about 120,000", research/calibration.md): a costing on a
generated data set is projected to it in proportion to the set's members."""

PUBLISHED = (
    {
        "baseline": "sag-2005",
        "agreement": "amptp-2008-final-offer",
        "figure": 'the AMPTP: "more than $250 million in additional compensation" over 3 years',
        "cents": 25_000_000_000,
        "source": "https://www.hollywoodreporter.com/news/amptp-makes-final-offer-sag-114861",
        "note": 'SAG called the figure "overblown"; no breakdown was published',
    },
    {
        "baseline": "sag-2005",
        "agreement": "sag-2009",
        "figure": 'SAG: "more than $105 million" in wages, pension contributions and other gains',
        "cents": 10_500_000_000,
        "source": "http://www.sagaftra.org/tvtheatrical-questions-answered",
        "note": "a two-year agreement",
    },
)
"""(baseline, agreement) → the figure its side published for the package over its term."""
