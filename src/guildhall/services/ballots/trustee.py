"""A trustee's steps, file to file, on the trustee's own machine (no store is opened).

Private files (the state between the steps, the key) are created with mode 0600 and never
overwrite an existing file; public files (the dealing, the sealed shares, the decryption
share) are written the same way so that a step run twice cannot silently replace what was
handed in. Every error names the file it is about.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from guildhall.ballots import trustee_steps as steps
from guildhall.ballots.crypto.hashing import refuse_float
from guildhall.ballots.crypto.trustees import TrusteeKey
from guildhall.ballots.errors import CryptoError
from guildhall.core.errors import InvalidInput
from guildhall.core.problems import Location, Problem
from guildhall.services.ballots.setup import read_key, write_key

T = TypeVar("T")


def _problem(path: Path | None, what: str) -> InvalidInput:
    return InvalidInput([Problem(Location(file=str(path) if path else "trustee files"), what)])


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"), parse_float=refuse_float)
    except (OSError, ValueError) as exc:
        raise _problem(path, f"cannot be read as JSON: {exc}") from exc


def _checked(what: Callable[[], T], path: Path | None = None) -> T:
    try:
        return what()
    except CryptoError as exc:
        raise _problem(path, str(exc)) from exc


def _refuse_existing(*paths: Path) -> None:
    for path in paths:
        if path.exists():
            raise _problem(path, "exists already; a trustee's files are never overwritten")


def _write_new(path: Path, data: dict[str, Any], *, private: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def _state(path: Path) -> steps.TrusteeState:
    return _checked(lambda: steps.TrusteeState.from_json(_read_json(path)), path)


def _dealings(election_id: str, paths: Sequence[Path]) -> dict[int, steps.PublicDealing]:
    items = [_read_json(p) for p in paths]
    return _checked(lambda: steps.dealings(election_id, items))


def deal(
    election_id: str, trustee: int, *, n: int, k: int, state_path: Path, dealing_path: Path
) -> None:
    """Step 1: the state (private, keep it) and the public dealing (hand it in)."""
    _refuse_existing(state_path, dealing_path)
    state, public = _checked(lambda: steps.deal(election_id, trustee, n=n, k=k))
    _write_new(state_path, state.as_json(), private=True)
    _write_new(dealing_path, public, private=False)


def seal(
    election_id: str, *, state_path: Path, dealing_paths: Sequence[Path], sealed_path: Path
) -> int:
    """Step 2: the shares for the other trustees, sealed; returns how many."""
    _refuse_existing(sealed_path)
    state = _state(state_path)
    checked = _dealings(election_id, dealing_paths)
    sealed = _checked(lambda: steps.seal(state, checked), state_path)
    _write_new(sealed_path, sealed, private=False)
    return len(sealed["shares"])


def receive(
    election_id: str,
    *,
    state_path: Path,
    dealing_paths: Sequence[Path],
    sealed_paths: Sequence[Path],
    key_path: Path,
) -> TrusteeKey:
    """Step 3: open and check the shares sent to this trustee; writes the trustee's key."""
    _refuse_existing(key_path)
    state = _state(state_path)
    checked = _dealings(election_id, dealing_paths)
    sealed = [_read_json(p) for p in sealed_paths]
    key = _checked(lambda: steps.open_shares(state, checked, sealed))
    write_key(key_path, key)
    return key


def decrypt(board_path: Path, *, key_path: Path, share_path: Path) -> dict[str, Any]:
    """After the vote closes: this trustee's decryption share of the board's total."""
    _refuse_existing(share_path)
    key = read_key(key_path)
    try:
        lines = [ln for ln in board_path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except OSError as exc:
        raise _problem(board_path, f"cannot be read: {exc}") from exc
    share = _checked(lambda: steps.decryption_share_of_board(key, lines), board_path)
    _write_new(share_path, share, private=False)
    return share


def read_shares(paths: Sequence[Path]) -> list[tuple[Path, Any]]:
    """Decryption shares as handed in, for ``counting.tally``."""
    return [(p, _read_json(p)) for p in paths]
