"""One unit of work per mutation: everything it writes commits together or not at all, and what
must wait for the commit (starting the jobs it queued) runs only once it is done.

Services keep their own ``in_transaction()`` blocks: inside a unit they become savepoints, so an
expected refusal still undoes exactly what the service began, and an unexpected exception undoes
the whole unit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar

from tortoise.transactions import in_transaction

_after_commit: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "unionaid_after_commit", default=None
)


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current unit of work has committed (at once outside one).

    A task started inside a transaction would inherit its connection and see uncommitted rows,
    or none at all once the transaction ends; a rolled-back unit never runs its callbacks."""
    pending = _after_commit.get()
    if pending is None:
        callback()
    else:
        pending.append(callback)


@asynccontextmanager
async def unit_of_work() -> AsyncIterator[None]:
    pending: list[Callable[[], None]] = []
    token = _after_commit.set(pending)
    try:
        async with in_transaction():
            yield
    finally:
        _after_commit.reset(token)
    for callback in pending:
        callback()
