"""Source documents an event brings into the record, and the check on a document's address."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from guildhall.bargaining.records import Document
from guildhall.files.located_yaml import PathKey
from guildhall.files.shape import Shape


def is_web_address(url: str) -> bool:
    """Only ``http`` and ``https`` addresses with a host are links; ``javascript:`` is not."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def check_address(shape: Shape, url: str | None, path: PathKey) -> str | None:
    """``url`` when it is an http(s) address; otherwise a problem and ``None``."""
    if url is None or is_web_address(url):
        return url
    shape.fail(
        path, f"{url!r} is not a web address", hint="a source URL starts http:// or https://"
    )
    return None


def read_new_documents(
    shape: Shape, value: Any, path: PathKey, known: Mapping[str, Document]
) -> tuple[Document, ...]:
    """Documents listed under an event's ``documents:``; each carries its text, so that the
    event's quotes (and later ones) can be checked against it, and is new to the record."""
    out: list[Document] = []
    for i, item in enumerate(shape.sequence(value, path)):
        where = (*path, i)
        entry = shape.mapping(
            item,
            where,
            required=("id", "title", "text"),
            optional=("publisher", "published_on", "published_note", "url"),
        )
        if entry is None:
            continue
        doc_id = shape.text(entry.get("id"), (*where, "id"))
        title = shape.text(entry.get("title"), (*where, "title"))
        text = shape.text(entry.get("text"), (*where, "text"))
        url = check_address(
            shape, shape.text(entry.get("url"), (*where, "url"), optional=True), (*where, "url")
        )
        if doc_id is not None and (doc_id in known or any(d.id == doc_id for d in out)):
            shape.fail(
                (*where, "id"),
                f"document {doc_id!r} is already in the record",
                hint="cite it under sources: without listing it again",
            )
            continue
        if doc_id is None or title is None or text is None:
            continue
        out.append(
            Document(
                id=doc_id,
                title=title,
                publisher=shape.text(entry.get("publisher"), (*where, "publisher"), optional=True),
                published_on=shape.day(
                    entry.get("published_on"), (*where, "published_on"), optional=True
                ),
                published_note=shape.text(
                    entry.get("published_note"), (*where, "published_note"), optional=True
                ),
                url=url,
                text=text,
            )
        )
    return tuple(out)
