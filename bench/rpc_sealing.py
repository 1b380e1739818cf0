# SPDX-License-Identifier: EUPL-1.2
"""What sealing RPC costs per message: ``python -m bench.rpc_sealing``.

Encodes and decodes a booking confirmation's request, and a ~10 kB reply (an export-sized
answer), through kombu's registry as Nameko does, with the ``loket-sealed`` serializer
(:mod:`loket_common.rpc_sealing`) against Nameko's default ``json`` in the same run.
"""
from __future__ import annotations

import time
import timeit
from datetime import UTC, datetime
from typing import Any

import kombu.serialization

from loket_common.crypto import new_key
from loket_common.rpc_sealing import SERIALIZER, install

ARGUMENTS: dict[str, Any] = {
    "tenant": "musterstadt", "hold_id": "h-2f9c1e4a7b", "subject": "r-" + "0" * 32,
    "contact": {"name": "Anna Schmidt", "email": "anna.schmidt@example.org", "language": "de"},
    "pow_solution": "x" * 120}
REQUEST = {"args": [], "kwargs": ARGUMENTS}
REPLY = {"result": {"bookings": [{**ARGUMENTS, "reference": f"B-{number:06d}",
                                  "start": datetime(2027, 3, 1, 9, number % 60, tzinfo=UTC)}
                                 for number in range(25)]}, "error": None}


def per_call_us(action, number: int) -> float:
    """Mean CPU microseconds per call of ``action`` over ``number`` calls (best of five).

    CPU time of this process, not wall time: on a busy machine the wall clock also counts
    the waits for a core.
    """
    return min(timeit.repeat(action, number=number, repeat=5,
                             timer=time.process_time)) / number * 1e6


def round_trip(body, serializer: str):
    """Encode and decode ``body`` as a publisher and a consumer do."""
    content_type, encoding, _ = kombu.serialization.dumps(body, serializer)
    return lambda: kombu.serialization.loads(
        kombu.serialization.dumps(body, serializer)[2], content_type, encoding)


def main() -> None:
    """Print µs per message, plain JSON against sealed, and the size on the wire."""
    install([new_key(), new_key()])  # two keys, as while rotating: the first seals
    print(f"{'message':34} {'json µs':>9} {'sealed µs':>10} {'extra µs':>9} "
          f"{'json B':>7} {'sealed B':>9}")
    for what, body, number in (("booking request (~0.4 kB)", REQUEST, 5_000),
                               ("export-sized reply (~10 kB)", REPLY, 500)):
        plain = per_call_us(round_trip(body, "json"), number)
        sealed = per_call_us(round_trip(body, SERIALIZER), number)
        sizes = [len(kombu.serialization.dumps(body, name)[2]) for name in ("json", SERIALIZER)]
        print(f"{what:34} {plain:9.1f} {sealed:10.1f} {sealed - plain:9.1f} "
              f"{sizes[0]:7} {sizes[1]:9}")


if __name__ == "__main__":
    main()
