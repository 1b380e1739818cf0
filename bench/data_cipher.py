# SPDX-License-Identifier: EUPL-1.2
"""What encryption at rest costs per record: ``python -m bench.data_cipher``.

Times sealing and opening a booking's contact data and a 5 MB attachment with
:class:`loket_common.crypto.DataCipher` (per-tenant keys derived from ``*``, as ``make run``
uses them), against serialising the same record to JSON in the same run (the baseline).
"""
from __future__ import annotations

import json
import timeit

from loket_common.crypto import DataCipher, new_key

CONTACT = {"name": "Anna Schmidt", "email": "anna.schmidt@example.org", "language": "de"}
FILE = b"\x89PNG" + b"x" * 5_000_000


def per_call_us(action, number: int) -> float:
    """Mean microseconds per call of ``action`` over ``number`` calls (best of three)."""
    return min(timeit.repeat(action, number=number, repeat=3)) / number * 1e6


def main() -> None:
    """Print the table docs/performance.md quotes."""
    cipher = DataCipher.from_env({"LOKET_DATA_KEYS": "*=" + new_key(), "LOKET_INDEX_KEY": "k"})
    token = cipher.encrypt("musterstadt", CONTACT)
    sealed_file = cipher.encrypt_bytes("musterstadt", FILE)
    baseline = per_call_us(lambda: json.dumps(CONTACT), 20_000)
    rows = [
        ("json.dumps of the contact (baseline)", baseline),
        ("encrypt the contact", per_call_us(lambda: cipher.encrypt("musterstadt", CONTACT),
                                            20_000)),
        ("decrypt the contact", per_call_us(lambda: cipher.decrypt("musterstadt", token),
                                            20_000)),
        ("blind index of the email", per_call_us(
            lambda: cipher.blind_index("musterstadt", CONTACT["email"]), 20_000)),
        ("encrypt a 5 MB attachment", per_call_us(
            lambda: cipher.encrypt_bytes("musterstadt", FILE), 5)),
        ("decrypt a 5 MB attachment", per_call_us(
            lambda: cipher.decrypt_bytes("musterstadt", sealed_file), 5)),
    ]
    print(f"{'what':40} {'µs per call':>12} {'× baseline':>11}")
    for what, micros in rows:
        print(f"{what:40} {micros:12.1f} {micros / baseline:11.1f}")


if __name__ == "__main__":
    main()
