"""Member votes: what the CLI and the web app call to run an election against a case.

Each function opens the store, does one step of the lifecycle in one transaction, and
writes what is public to the board: ``setup`` (election, trustees, roll, publishing,
importing the authority's credentials), ``voting`` (status, open, cast, spoil, checkpoint,
track, close) and ``counting`` (tally, certify, result). ``authority``, ``trustee``,
``identities`` and ``election_file`` run on machines with no database; ``verifying``
checks a board file.
"""

from guildhall.services.ballots._common import election_manifest, manifest_of
from guildhall.services.ballots.counting import board_lines, certify, result, tally
from guildhall.services.ballots.setup import create, import_credentials, import_roll, publish
from guildhall.services.ballots.trustee import read_key
from guildhall.services.ballots.voting import (
    audit_from_file,
    cast,
    checkpoint,
    close,
    encrypt_from_file,
    find_tracker,
    list_elections,
    open_election,
    prepare_ballot,
    signed_checkpoint,
    spoil,
    status,
)

__all__ = [
    "audit_from_file",
    "board_lines",
    "cast",
    "certify",
    "checkpoint",
    "close",
    "create",
    "election_manifest",
    "encrypt_from_file",
    "find_tracker",
    "import_credentials",
    "import_roll",
    "list_elections",
    "manifest_of",
    "open_election",
    "prepare_ballot",
    "publish",
    "read_key",
    "result",
    "signed_checkpoint",
    "spoil",
    "status",
    "tally",
]
