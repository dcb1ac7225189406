"""How a source an agreement cites is named on a page: its title and publication, and
where to read it.

An agreement's source names its document either by the id of a document a case record
holds (``001_ca3c4b3eea986f46.txt``), whose record gives title, publisher and date, or by
a line of the form ``Publication: Title`` with an address of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from guildhall.bargaining.documents import is_web_address
from guildhall.bargaining.records import Document
from guildhall.services import cases


@dataclass(frozen=True)
class Citation:
    """A cited document as a reader sees it. ``case_id`` is set when a case record holds
    the document, whose page then shows it; ``url`` only when it is an http(s) address."""

    title: str
    publication: str | None
    published_on: date | None
    case_id: str | None
    document_id: str
    url: str | None
    section: str | None


@dataclass(frozen=True)
class HeldDocument:
    case_id: str
    document: Document


def held_documents(database_url: str) -> dict[str, HeldDocument]:
    """Every document the case records hold, by its id (the first case that holds it)."""
    held: dict[str, HeldDocument] = {}
    for case_id, _title, _count in cases.list_cases(database_url):
        for document in cases.get_case(database_url, case_id).all_documents():
            held.setdefault(document.id, HeldDocument(case_id, document))
    return held


def _split_publication(text: str) -> tuple[str | None, str]:
    """``"Variety: AMPTP to SAG"`` → ("Variety", "AMPTP to SAG"); a line with no short
    publication before a colon is all title."""
    publication, sep, title = text.partition(": ")
    if sep and title.strip() and 0 < len(publication) <= 60:
        return publication.strip(), title.strip()
    return None, text.strip()


def citation(source: Mapping[str, Any], held: Mapping[str, HeldDocument]) -> Citation:
    """The citation of one source (a ``{"document", "section", "url", "quote"}`` mapping)."""
    name = str(source.get("document") or "")
    url = source.get("url")
    address = str(url) if url and is_web_address(str(url)) else None
    section = source.get("section")
    found = held.get(name)
    if found is not None:
        d = found.document
        own = d.url if d.url and is_web_address(d.url) else None
        return Citation(d.title, d.publisher, d.published_on, found.case_id, d.id,
                        address or own, section)  # fmt: skip
    publication, title = _split_publication(name)
    return Citation(title, publication, None, None, name, address, section)
