"""Reading sources, and checking that each quote stands word for word in its document."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from guildhall.bargaining.documents import check_address
from guildhall.bargaining.records import Document, Source
from guildhall.files.located_yaml import PathKey
from guildhall.files.shape import Shape

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-"})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold typographic quotes, dashes and runs of white space, so quotes match their text."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def read_sources(
    shape: Shape,
    value: Any,
    path: PathKey,
    documents: Mapping[str, Document],
    *,
    required: bool = True,
) -> tuple[Source, ...]:
    """A list of ``{document, quote, url?}``: each document must be in the record, each quote
    must appear word for word in its document's text (where the record holds the text), and
    each URL must be an http(s) address.
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
        url = check_address(
            shape, shape.text(entry.get("url"), (*where, "url"), optional=True), (*where, "url")
        )
        if document is None or quote is None:
            continue
        known = documents.get(document)
        if known is None:
            shape.fail(
                (*where, "document"),
                f"unknown document {document!r}: it is not among the case's sources",
                hint="cite a document of the case, or list the new one under documents:",
            )
        elif (
            known is not None
            and known.text is not None
            and normalise(quote) not in normalise(known.text)
        ):
            shape.fail((*where, "quote"), f"the quote does not appear word for word in {document}")
        sources.append(Source(document, quote, url))
    return tuple(sources)
