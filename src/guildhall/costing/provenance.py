"""What makes a costing reproducible: content hashes of its inputs and Guildhall's version."""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from guildhall.costing.data.schema import TABLES, DataSet


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_checksum(data: DataSet) -> str:
    """SHA-256 over every table file's name and content hash, in a fixed order."""
    digest = hashlib.sha256()
    for table in TABLES:
        path = data.path(table)
        files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
        for file in files:
            digest.update(f"{table}/{file.name}:{file_sha256(file)}\n".encode())
    return digest.hexdigest()


def guildhall_version() -> str:
    try:
        return version("guildhall")
    except PackageNotFoundError:
        return "unknown"


def provenance(agreement_files: dict[str, list[dict[str, str]]], data: DataSet) -> dict[str, Any]:
    """The record a costing carries: agreement file hashes, data checksum, version."""
    return {
        "agreements": agreement_files,
        "data": {"path": str(data.root), "sha256": data_checksum(data)},
        "guildhall_version": guildhall_version(),
    }
