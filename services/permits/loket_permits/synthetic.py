# SPDX-License-Identifier: EUPL-1.2
"""Bulk-insert synthetic submitted applications for a tenant (benchmarks, queue tests)."""
from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.database import Database

from loket_common.key_vault import SubjectCipher
from loket_common.mongo import TenantCollection

from .case_crypto import CaseSeal
from .case_queue import add_counts, count_cases, rebuild_counts

SYNTHETIC_OWNER = "synthetic"
STATES = ("submitted", "in_review", "information_requested", "approved", "rejected",
          "withdrawn")


def synthetic_cases(tenant: str, count: int, type_ids: list[str], seed: int = 1,
                    now: datetime | None = None,
                    assignees: tuple[str | None, ...] = (None, "token:00000000000000a1",
                                                         "token:00000000000000b2"),
                    ) -> list[dict[str, Any]]:
    """``count`` plausible cases, spread over types, states, assignees and due dates."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    cases = []
    for number in range(count):
        submitted_at = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
        state = rng.choice(STATES)
        cases.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "reference": f"PS-{now.year}-{number + 1:07d}", "tenant": tenant,
            "type_id": rng.choice(type_ids), "state": state, "data": {}, "attachments": [],
            "fee_cents": rng.choice((0, 2600, 3060, 5000)), "on_behalf_of": None,
            "applicant": {"subject": f"synthetic-{rng.randint(1, count)}",
                          "name": f"Person {number}", "language": rng.choice(("de", "en"))},
            "assigned_to": rng.choice(assignees), "created_at": submitted_at,
            "submitted_at": submitted_at,
            "due_at": submitted_at + timedelta(days=rng.choice((7, 10, 14, 21, 28))),
            "decided_at": None, "decision": None, "information_request": None,
            "history": [{"at": submitted_at, "by": {"subject": "synthetic", "role": "applicant"},
                         "from": "draft", "to": "submitted", "reason": None,
                         "action": "submitted"}],
        })
    return cases


def sealed(database: Database, tenant: str,
           cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``cases`` as the service stores them: personal data encrypted.

    All under one key (owner ``synthetic``): made-up persons need no keys of their own, and
    a benchmark's seed stays one vault entry.
    """
    sealer = CaseSeal(SubjectCipher.over(database), tenant)
    return [sealer.seal(case, SYNTHETIC_OWNER) for case in cases]


def insert_synthetic_cases(database: Database, tenant: str, count: int,
                           type_ids: list[str], seed: int = 1, batch: int = 1000) -> int:
    """Insert ``count`` synthetic cases for ``tenant`` in batches; return how many.

    The queue counters are incremented by the counts recomputed from these cases.
    """
    cases = synthetic_cases(tenant, count, type_ids, seed)
    for start in range(0, len(cases), batch):
        TenantCollection(database["applications"], tenant).insert_many(
            sealed(database, tenant, cases[start:start + batch]), ordered=False)
    add_counts(database, tenant, count_cases(cases))
    return len(cases)


def rebuild_queue_counts(database: Database, tenant: str) -> int:
    """Recompute the tenant's queue counters from its applications (migration, repair)."""
    return rebuild_counts(database, tenant)
