"""Reading sources, and checking that each quote stands word for word in its document."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from guildhall.bargaining.records import Document, Source
from guildhall.files.located_yaml import PathKey
from guildhall.files.shape import Shape

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold typographic quotes, dashes and runs of white space, so quotes match their text."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def is_web_address(url: str) -> bool:
    """Only http(s) addresses are links: a ``javascript:`` or ``data:`` one would run in pages."""
    scheme, sep, rest = url.strip().partition("://")
    return bool(sep) and scheme.lower() in ("http", "https") and bool(rest)


def read_sources(
    shape: Shape,
    value: Any,
    path: PathKey,
    documents: Mapping[str, Document] | None,
    *,
    required: bool = True,
) -> tuple[Source, ...]:
    """A list of ``{document, quote, url?}``; each quote must appear in its document's text.

    With ``documents`` ``None`` any document id is taken as it is (an event appended later
    may cite a document the case file did not list, such as an election's log).
    """
    items = shape.sequence(value, path, empty_ok=not required)
    if required and value is None:
        shape.fail(path, "every fact needs at least one source (document and quoted sentence)")
    sources: list[Source] = []
    for i, item in enumerate(items):
        where = (*path, i)
        entry = shape.mapping(item, where, required=("document", "quote"), optional=("url",))
        if entry is None:
            continue
        document = shape.text(entry.get("document"), (*where, "document"))
        quote = shape.text(entry.get("quote"), (*where, "quote"))
        url = shape.text(entry.get("url"), (*where, "url"), optional=True)
        if url is not None and not is_web_address(url):
            shape.fail((*where, "url"), "a source's url must be an http:// or https:// address")
            continue
        if document is None or quote is None:
            continue
        known = documents.get(document) if documents is not None else None
        if known is None and documents is not None:
            shape.fail(
                (*where, "document"),
                f"unknown document {document!r}",
                hint="list it under documents:",
            )
        elif (
            known is not None
            and known.text is not None
            and normalise(quote) not in normalise(known.text)
        ):
            shape.fail((*where, "quote"), f"the quote does not appear word for word in {document}")
        sources.append(Source(document, quote, url))
    return tuple(sources)
