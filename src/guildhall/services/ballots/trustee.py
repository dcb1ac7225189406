"""A trustee's steps, file to file, on the trustee's own machine (no store is opened).

Private files (the state between the steps, the key) are created with mode 0600; every
file is written new (``files.write_new``). Every error names the file it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from guildhall.ballots import trustee_steps as steps
from guildhall.ballots.crypto import group
from guildhall.ballots.crypto.trustees import TrusteeKey
from guildhall.ballots.errors import CryptoError
from guildhall.files.reading import BOARD_LIMIT, require_text
from guildhall.services.ballots.files import problem, read_json, refuse_existing, write_new

T = TypeVar("T")


def _checked(what: Callable[[], T], path: Path | None = None) -> T:
    try:
        return what()
    except CryptoError as exc:
        raise problem(path, str(exc)) from exc


def write_key(path: Path, key: TrusteeKey) -> Path:
    """A trustee's key file: private, never over an existing file."""
    data = {"election": key.election_id, "trustee": key.index,
            "secret": group.scalar_hex(key.secret)}  # fmt: skip
    return write_new(path, data, private=True)


def read_key(path: Path) -> TrusteeKey:
    data = read_json(path)
    try:
        return TrusteeKey(str(data["election"]), int(data["trustee"]),
                          group.scalar_from_hex(data["secret"], "secret"))  # fmt: skip
    except (TypeError, ValueError, KeyError, CryptoError) as exc:
        raise problem(path, f"not a trustee key: {exc}") from exc


def _state(path: Path) -> steps.TrusteeState:
    return _checked(lambda: steps.TrusteeState.from_json(read_json(path)), path)


def checked_dealings(election_id: str, paths: Sequence[Path]) -> dict[int, steps.PublicDealing]:
    """Every trustee's public dealing, read and checked (``trustee_steps.dealings``)."""
    items = [read_json(p) for p in paths]
    return _checked(lambda: steps.dealings(election_id, items))


def deal(
    election_id: str, trustee: int, *, n: int, k: int, state_path: Path, dealing_path: Path
) -> None:
    """Step 1: the state (private, keep it) and the public dealing (hand it in)."""
    refuse_existing(state_path, dealing_path)
    state, public = _checked(lambda: steps.deal(election_id, trustee, n=n, k=k))
    write_new(state_path, state.as_json(), private=True)
    write_new(dealing_path, public, private=False)


def seal(
    election_id: str, *, state_path: Path, dealing_paths: Sequence[Path], sealed_path: Path
) -> int:
    """Step 2: the shares for the other trustees, sealed; returns how many."""
    refuse_existing(sealed_path)
    state = _state(state_path)
    checked = checked_dealings(election_id, dealing_paths)
    sealed = _checked(lambda: steps.seal(state, checked), state_path)
    write_new(sealed_path, sealed, private=False)
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
    refuse_existing(key_path)
    state = _state(state_path)
    checked = checked_dealings(election_id, dealing_paths)
    sealed = [read_json(p) for p in sealed_paths]
    key = _checked(lambda: steps.open_shares(state, checked, sealed))
    write_key(key_path, key)
    return key


def decrypt(board_path: Path, *, key_path: Path, share_path: Path) -> dict[str, Any]:
    """After the vote closes: this trustee's decryption share of the board's total."""
    refuse_existing(share_path)
    key = read_key(key_path)
    text = require_text(board_path, limit=BOARD_LIMIT)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    share = _checked(lambda: steps.decryption_share_of_board(key, lines), board_path)
    write_new(share_path, share, private=False)
    return share


def read_shares(paths: Sequence[Path]) -> list[tuple[Path, Any]]:
    """Decryption shares as handed in, for ``counting.tally``."""
    return [(p, read_json(p)) for p in paths]
