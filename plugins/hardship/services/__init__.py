"""The hardship program's domain, without GraphQL: plain async functions that take the caller's
``ProgramScope`` (who asks, and where the program runs for them), check everything, write in one
transaction and raise ``DomainError``. The GraphQL layer (``..graphql``) parses input, calls one
of them and shapes the answer; tests call them directly.

- ``files``: a household file's life — register, update, verify, review (复核), close.
- ``visits``: recording a visit, its cash added to the district's visit campaign; the visits a
  caller may list.
- ``reports``: what was paid by campaign, district, rule, period and level; visits by district
  and occasion."""
