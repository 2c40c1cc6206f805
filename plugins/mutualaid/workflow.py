"""A claim's workflow, declared on the core's primitive: submitted by a caseworker, assessed
(the payout computed with its trace), approved by someone who neither submitted nor assessed
it, paid from the fund; or rejected with a reason. A condolence moves the same way."""

from unionaid.core import Action, Code, Transition, Words, Workflow
from unionaid.plugins.mutualaid.claim_models import Claim, ClaimState
from unionaid.plugins.mutualaid.errors import HANDLE_CLAIMS

S = ClaimState
SUBMITTED, ASSESSED, APPROVED, PAID, REJECTED = (
    S.SUBMITTED.value,
    S.ASSESSED.value,
    S.APPROVED.value,
    S.PAID.value,
    S.REJECTED.value,
)

CLAIMS = Workflow(
    name="MutualAidClaim",
    model=Claim,
    what=Words("互助保障理赔", "mutual-aid claim"),
    states={
        SUBMITTED: Words("已提交", "submitted"),
        ASSESSED: Words("已核定", "assessed"),
        APPROVED: Words("已批准", "approved"),
        PAID: Words("已支付", "paid"),
        REJECTED: Words("已驳回", "rejected"),
    },
    transitions=(
        Transition(
            "submit",
            (None,),
            SUBMITTED,
            HANDLE_CLAIMS,
            Words("提交", "submit"),
            operation="submitMutualAidClaim",
        ),
        Transition(
            "assess",
            (SUBMITTED,),
            ASSESSED,
            HANDLE_CLAIMS,
            Words("核定", "assess"),
            operation="assessMutualAidClaim",
        ),
        # An assessment that finds nothing to pay (not covered, cap reached) ends the claim;
        # its trace says why.
        Transition(
            "decline",
            (SUBMITTED,),
            REJECTED,
            HANDLE_CLAIMS,
            Words("核定不予给付", "decline"),
            operation="assessMutualAidClaim",
        ),
        Transition(
            "approve",
            (ASSESSED,),
            APPROVED,
            Action.APPROVE,
            Words("批准", "approve"),
            makers_may_take=False,
            makers=("submit", "assess"),
            refusal=Code.MAKER_CANNOT_CHECK,
            operation="approveMutualAidClaim",
        ),
        # The first of two approvals above the district's second-approval threshold.
        Transition(
            "approve_first",
            (ASSESSED,),
            ASSESSED,
            Action.APPROVE,
            Words("初审批准", "approve (first of two)"),
            makers_may_take=False,
            makers=("submit", "assess"),
            refusal=Code.MAKER_CANNOT_CHECK,
            operation="approveMutualAidClaim",
        ),
        Transition(
            "reject",
            (SUBMITTED, ASSESSED),
            REJECTED,
            Action.APPROVE,
            Words("驳回", "reject"),
            operation="rejectMutualAidClaim",
        ),
        Transition(
            "pay",
            (APPROVED,),
            PAID,
            Action.PAY,
            Words("支付", "pay"),
            operation="payMutualAidClaim",
        ),
        # The payment was reversed (a compensating ledger credit): the claim no longer pays and
        # no longer holds part of the yearly cap; a corrected claim is submitted anew.
        Transition(
            "reverse",
            (PAID,),
            REJECTED,
            Action.PAY,
            Words("冲正", "reverse"),
            operation="reverseMutualAidClaim",
        ),
    ),
)

LIVE = (SUBMITTED, ASSESSED, APPROVED, PAID)  # a claim holding its stay
COMMITTED = (ASSESSED, APPROVED, PAID)  # a claim holding part of the yearly cap
