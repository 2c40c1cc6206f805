"""The mutual-aid program on the API, thin over ``..services``. ``plans``: plans, enrolments,
refunds and the report query with their mutations; ``claims``: claims and condolences, their
mutations and health data shown by role; ``reports``: the plan year's report types (and its
export). ``plugin.py`` merges the query and mutation pieces in ``register_graphql``."""

from unionaid.core import Code, DomainError, Words, pk_of


def key_of(global_id: str | None, type_name: str, field: str) -> int:
    """The key of an ID naming a ``type_name``; NOT_FOUND (on ``field``) for anything else."""
    pk = pk_of(global_id, type_name) if global_id else None
    if pk is None:
        raise DomainError(Code.NOT_FOUND, field, what=Words("记录", "record"))
    return pk
