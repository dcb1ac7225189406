"""An independent reference for the ballot tests: affine secp256k1 arithmetic from SEC 2's
constants, in plain Python integers, to check the library binding, the encodings and the
proofs against."""

from __future__ import annotations

P = 2**256 - 2**32 - 977
GX = 0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798
GY = 0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8
Affine = tuple[int, int] | None


def _ref_add(p: Affine, q: Affine) -> Affine:
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    if p == q:
        slope = 3 * p[0] * p[0] * pow(2 * p[1], -1, P) % P
    else:
        slope = (q[1] - p[1]) * pow(q[0] - p[0], -1, P) % P
    x = (slope * slope - p[0] - q[0]) % P
    return x, (slope * (p[0] - x) - p[1]) % P


def _ref_mul(k: int, p: Affine) -> Affine:
    result: Affine = None
    while k:
        if k & 1:
            result = _ref_add(result, p)
        p = _ref_add(p, p)
        k >>= 1
    return result


def _ref_encode(p: Affine) -> str:
    if p is None:
        return "00" * 33
    return ("03" if p[1] & 1 else "02") + p[0].to_bytes(32, "big").hex()


def _ref_decode(text: str) -> Affine:
    if text == "00" * 33:
        return None
    x = int(text[2:], 16)
    y = pow((x**3 + 7) % P, (P + 1) // 4, P)
    assert (y * y - x**3 - 7) % P == 0
    return x, (y if y & 1 == int(text[:2], 16) & 1 else P - y)
