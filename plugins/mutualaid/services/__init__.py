"""The mutual-aid program's domain, without GraphQL: plain async functions (and the pure
assessment) that check what they are asked, write in one transaction and raise ``DomainError``.
The GraphQL layer (``..graphql``) parses input, calls them and shapes the answer; tests, the
demo and the import call them directly.

- ``plans``: publish a plan for a plan year and scope, revise it; the terms in force on a day.
- ``enrolment``: enrol members (one by one, or a unit's staff collectively), cancel, refund;
  one contribution ledger entry per enrolment.
- ``claims``: submit, assess, approve, reject and pay claims and condolences, one member at a
  time (``MemberLock``); the core tells it of payments and reversals.
- ``plan_checks``: the coverage parameters a plan may override, checked when it is published
  or revised.
- ``assessment``: a claim's payout and its zh/en trace, pure functions.
- ``terms``: what a claim is judged under (plan version, coverage parameters, settings).
- ``privacy``: claims' health data under the person's rights (copy, erasure).
- ``demo``: the demo's plans, enrolments and claims; ``claim_demo``: a claim brought to any
  state through the real services."""
