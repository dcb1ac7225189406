"""The cryptography of a vote: group, hashes, ElGamal, proofs, trustees, discrete log."""
