"""Ballots: end-to-end verifiable member votes.

What lives here: the cryptography (``crypto/``: the secp256k1 group, exponential
ElGamal, zero-knowledge proofs, k-of-n trustees), voter credentials, ballots, the
hash-chained bulletin board, the tally and the independent verifier, the roll import and
the election lifecycle. The protocol is specified in ``docs/ballots.md``.

May import: ``guildhall.core``, the standard library, ``nacl`` and ``coincurve``. Never the store,
services, cli, web or bargaining packages; those call in here.
"""
