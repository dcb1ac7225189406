"""Member votes: what the CLI and the web app call to run an election against a case.

Each function opens the store, does one step of the lifecycle in one transaction, and
writes what is public to the board: ``setup`` (election, trustees, roll, credentials),
``voting`` (status, open, cast, track, close) and ``counting`` (tally, certify, result).
"""

from guildhall.services.ballots._common import election_manifest, manifest_of
from guildhall.services.ballots.counting import board_lines, certify, result, tally
from guildhall.services.ballots.setup import create, import_roll, issue_credentials
from guildhall.services.ballots.trustee import read_key
from guildhall.services.ballots.voting import (
    audit,
    cast,
    close,
    find_tracker,
    list_elections,
    open_election,
    prepare_audited_ballot,
    prepare_ballot,
    status,
)

__all__ = [
    "audit",
    "board_lines",
    "cast",
    "certify",
    "close",
    "create",
    "election_manifest",
    "find_tracker",
    "import_roll",
    "issue_credentials",
    "list_elections",
    "manifest_of",
    "open_election",
    "prepare_audited_ballot",
    "prepare_ballot",
    "read_key",
    "result",
    "status",
    "tally",
]
