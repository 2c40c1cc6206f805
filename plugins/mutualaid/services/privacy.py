"""Health data of claims under the person's rights: a full copy on request, erasure on
anonymisation (amounts and dates stay: money and audit records are kept)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from unionaid.core import EncryptedColumn
from unionaid.plugins.mutualaid.claim_models import Claim, Stay

ERASED = "已匿名"
# Free-text health details are sealed with the core's vault; key rotation re-encrypts them.
SEALED = [EncryptedColumn("mutualaid_claim", "details")]


async def export(member_id: int, decrypt: Callable[[str], str]) -> dict[str, Any] | None:
    rows = await Claim.filter(member_id=member_id).select_related("stay").order_by("id")
    if not rows:
        return None
    return {
        "claims": [
            {
                "kind": c.kind.value,
                "status": c.status.value,
                "eventOn": c.event_on.isoformat(),
                "submittedOn": c.submitted_on.isoformat(),
                "paidOn": c.paid_on.isoformat() if c.paid_on else None,
                "amount": None if c.amount is None else f"{c.amount:.2f}",
                "planVersion": c.plan_version,
                "diagnosisCategory": c.diagnosis_category,
                "accidentOutcome": c.accident_outcome.value if c.accident_outcome else None,
                "disabilityGrade": c.disability_grade,
                "details": decrypt(c.details) if c.details else None,
                "rejectReason": c.reject_reason,
                "trace": c.trace,
                "stay": None
                if c.stay is None
                else {
                    "hospital": c.stay.hospital,
                    "admittedOn": c.stay.admitted_on.isoformat(),
                    "dischargedOn": c.stay.discharged_on.isoformat(),
                    "outOfPocket": f"{c.stay.out_of_pocket:.2f}",
                },
            }
            for c in rows
        ]
    }


async def erase(member_id: int) -> None:
    """Health facts go (details, diagnosis, the trace that names it, hospitals); amounts, dates,
    states and the plan version stay."""
    await Claim.filter(member_id=member_id).update(
        details=None, diagnosis_category=None, trace=None, reject_reason=None
    )
    await Stay.filter(member_id=member_id).update(hospital=ERASED)
