"""Deterministic, vectorised identifiers: 18-character Salesforce ids and opaque web ids.

Salesforce ids carry the real key prefix of their object (001 Account, 00Q Lead, ...) and the
real 3-character case-safe suffix, so that a warehouse test that validates ids sees real shapes.
Sequence numbers are scrambled by a bijection so that ids look random but never collide.
"""

from __future__ import annotations

import numpy as np

_BASE62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
_SUFFIX = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", dtype=np.uint8)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_SPACE_62_7 = 62**7
_SCRAMBLE_A = 1_580_030_173  # odd and not a multiple of 31: a bijection modulo 62**7

SF_PREFIX = {
    "account": "001",
    "contact": "003",
    "lead": "00Q",
    "opportunity": "006",
    "opportunity_contact_role": "00K",
    "campaign": "701",
    "campaign_member": "00v",
    "task": "00T",
    "user": "005",
    "mql_disposition": "a0M",
}


def _digits(values: np.ndarray, alphabet: np.ndarray, width: int) -> np.ndarray:
    """Fixed-width digits of non-negative integers in the alphabet's base, as an (n, width) uint8 array."""
    base = len(alphabet)
    out = np.empty((len(values), width), dtype=np.uint8)
    rest = values.astype(np.int64).copy()
    for position in range(width - 1, -1, -1):
        out[:, position] = alphabet[rest % base]
        rest //= base
    return out


def sf_ids(object_name: str, sequence: np.ndarray, org_salt: int = 0) -> np.ndarray:
    """18-character Salesforce ids for sequence numbers (unique sequence numbers give unique ids)."""
    sequence = np.asarray(sequence, dtype=np.int64)
    n = len(sequence)
    scrambled = (sequence * _SCRAMBLE_A + 7_919 * (org_salt + 1)) % _SPACE_62_7
    body = np.empty((n, 18), dtype=np.uint8)
    body[:, 0:3] = np.frombuffer(SF_PREFIX[object_name].encode(), dtype=np.uint8)
    body[:, 3:8] = np.frombuffer(b"8d000", dtype=np.uint8)
    body[:, 8:15] = _digits(scrambled, _BASE62, 7)
    upper = (body[:, :15] >= ord("A")) & (body[:, :15] <= ord("Z"))
    weights = (1 << np.arange(5)).astype(np.int64)
    for chunk in range(3):
        flags = upper[:, chunk * 5 : chunk * 5 + 5].astype(np.int64) @ weights
        body[:, 15 + chunk] = _SUFFIX[flags]
    return body.view("S18").ravel().astype("U18")


def hex_ids(prefix: str, sequence: np.ndarray, width: int = 12, salt: int = 0) -> np.ndarray:
    """Opaque ids like ``v3f9a0c12b7e1`` for visitors, sessions and events (a bijection of the sequence)."""
    space = 16**width
    sequence = np.asarray(sequence, dtype=np.int64)
    scrambled = (sequence * 2_654_435_761 + 97 * (salt + 1)) % space
    digits = _digits(scrambled, _HEX, width)
    out = np.empty((len(sequence), len(prefix) + width), dtype=np.uint8)
    out[:, : len(prefix)] = np.frombuffer(prefix.encode(), dtype=np.uint8)
    out[:, len(prefix) :] = digits
    return out.view(f"S{len(prefix) + width}").ravel().astype(f"U{len(prefix) + width}")
