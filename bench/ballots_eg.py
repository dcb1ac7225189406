"""ElectionGuard 1.4 on a yes/no selection: encrypt + disjunctive proof, then verify.

Runs under bench/ballots_env (Python 3.10, electionguard==1.4.0); prints JSON timings.
Usage: ballots_env/bin/python bench/ballots_eg.py BALLOTS
"""

import json
import logging
import statistics
import sys
import time

from electionguard.chaum_pedersen import make_disjunctive_chaum_pedersen
from electionguard.elgamal import elgamal_encrypt, elgamal_keypair_from_secret
from electionguard.group import ONE_MOD_Q, int_to_q, rand_q


def main(count: int) -> None:
    logging.disable(logging.CRITICAL)
    keypair = elgamal_keypair_from_secret(int_to_q(123456789))
    public = keypair.public_key
    seed = ONE_MOD_Q
    encrypt_times, verify_times = [], []
    items = []
    for i in range(count):
        vote = i % 2
        nonce = rand_q()
        started = time.perf_counter()
        ct = elgamal_encrypt(vote, nonce, public)
        proof = make_disjunctive_chaum_pedersen(ct, nonce, public, seed, rand_q(), vote)  # q, seed
        encrypt_times.append(time.perf_counter() - started)
        items.append((ct, proof))
    for ct, proof in items:
        started = time.perf_counter()
        ok = proof.is_valid(ct, public, seed)
        verify_times.append(time.perf_counter() - started)
        assert ok
    print(
        json.dumps(
            {
                "ballots": count,
                "encrypt_prove_median_s": statistics.median(encrypt_times),
                "verify_median_s": statistics.median(verify_times),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
