"""Development only: each response's ``extensions.sqlStatements`` says how many SQL statements
the request ran, so an N+1 shows at once to whoever writes a frontend or a plugin.

Tortoise logs every statement at DEBUG on ``tortoise.db_client``; a handler there counts them
into the request's counter (a context variable: tasks the request starts share it). The logger
is set to DEBUG for that, and stops propagating: the handler passes on to the parent loggers
what they would have shown anyway, so SQL is not printed unless ``tortoise`` asks for DEBUG."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from strawberry.extensions import SchemaExtension

_counter: ContextVar[list[int] | None] = ContextVar("sql_statements", default=None)
LOGGER = "tortoise.db_client"


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)

    def emit(self, record: logging.LogRecord) -> None:
        counter = _counter.get()
        if counter is not None:
            counter[0] += 1
        parent = logging.getLogger(LOGGER).parent
        if parent is not None and record.levelno >= parent.getEffectiveLevel():
            parent.handle(record)


def count_statements() -> None:
    """Start counting (idempotent; the development app calls it at creation)."""
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(h, _Count) for h in logger.handlers):
        logger.addHandler(_Count())
    logger.propagate = False
    logger.setLevel(logging.DEBUG)


def begin_counting() -> None:
    """A new count for the request being handled (its context: an awaited coroutine's or a
    task's started from it)."""
    _counter.set([0])


class SqlStatements(SchemaExtension):
    """Puts the request's statement count in the response's ``extensions``: from
    :func:`begin_counting` (the app calls it before checking the token), else from the start of
    the operation."""

    def on_operation(self):
        counter = _counter.get()
        if counter is None:
            counter = [0]
            _counter.set(counter)
        self._counter = counter
        yield

    def get_results(self) -> dict[str, Any]:
        counter = getattr(self, "_counter", None)
        return {"sqlStatements": counter[0]} if counter is not None else {}
