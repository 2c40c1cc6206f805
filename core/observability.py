"""Structured logs and Prometheus metrics.

Every GraphQL request logs one JSON line (request id, user, operation, a hash of the document,
duration, error codes) and feeds the metrics served at ``/metrics``: requests and latency by
operation, errors by code, the database pool in use.

Logs never hold variables or inputs (PIPL): no document text, no variables, no SQL parameters,
no query strings, and stacks name exception types and frames but never exception messages
(they quote values: "Length of '…' is more than 50"). :func:`protect_logs` installs the filters
that keep third-party loggers to that rule."""

from __future__ import annotations

import hashlib
import json
import logging
import time
import traceback
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

log = logging.getLogger("unionaid.requests")


class Metrics:
    """One registry per app, so tests and several apps in a process never mix numbers."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "unionaid_graphql_requests",
            "GraphQL operations",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "unionaid_graphql_seconds",
            "GraphQL operation latency",
            ["operation"],
            registry=self.registry,
        )
        self.errors = Counter(
            "unionaid_graphql_errors", "GraphQL errors by code", ["code"], registry=self.registry
        )
        self.registry.register(PoolCollector())

    async def endpoint(self, request: Request) -> Response:
        return Response(generate_latest(self.registry), media_type="text/plain; version=0.0.4")


class PoolCollector:
    """Connections of the database pool in use (PostgreSQL; SQLite has a single connection)."""

    def collect(self):
        gauge = GaugeMetricFamily(
            "unionaid_db_pool_connections", "Pool connections", labels=["state"]
        )
        try:
            from tortoise import connections

            pool = getattr(connections.get("default"), "_pool", None)
        except Exception:  # no database configured yet
            pool = None
        if pool is not None and hasattr(pool, "get_size"):
            idle = pool.get_idle_size()
            gauge.add_metric(["idle"], idle)
            gauge.add_metric(["in_use"], pool.get_size() - idle)
        yield gauge


def observing(metrics: Metrics):
    """A schema extension (factory) that times and logs each operation."""

    class Observe(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            started = time.perf_counter()
            yield
            run = self.execution_context
            context = run.context
            operation = run.operation_name or (
                run.operation_type.value if run.operation_type else "unknown"
            )
            seconds = time.perf_counter() - started
            codes = []
            result = run.result
            if result is not None and result.errors:
                from unionaid.core.graphql.errors import shape_error

                rid = context.request_id
                shaped = [shape_error(e, "en", rid, log_bugs=False) for e in result.errors]
                codes = [(e.extensions or {}).get("code", "") for e in shaped]
            for code in codes:
                metrics.errors.labels(code).inc()
            metrics.requests.labels(operation, "error" if codes else "ok").inc()
            metrics.latency.labels(operation).observe(seconds)
            who = context.principal.username if context.principal else "-"
            log.info(
                "graphql",
                extra={
                    "request_id": context.request_id,
                    "user": who,
                    "operation": operation[:100],
                    "document": document_hash(run.query),
                    "ms": round(seconds * 1000, 1),
                    "codes": codes,
                },
            )

    return Observe


def document_hash(query: str | None) -> str:
    """Names a document in the logs without holding its text (literals in it are inputs)."""
    return hashlib.sha256((query or "").encode()).hexdigest()[:16]


def stack_without_messages(exc: BaseException) -> str:
    """A traceback that names each exception's type and its frames, never its message."""
    lines: list[str] = []
    seen: set[int] = set()
    chain: list[BaseException] = []
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    for number, error in enumerate(reversed(chain)):
        if number:
            lines.append("During handling of the above exception, another exception occurred:")
        lines.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(error.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        lines.append(f"{type(error).__module__}.{type(error).__qualname__}")
    return "\n".join(lines)


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "user", "operation", "document", "ms", "codes")

    def formatException(self, ei) -> str:
        return stack_without_messages(ei[1]) if ei and ei[1] is not None else ""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["stack"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class RedactParameters(logging.Filter):
    """On the database drivers' loggers: SQL keeps its text, loses its parameter values (names,
    phones, encrypted ID numbers, connection passwords); aiosqlite's DEBUG lines, which repeat
    every call with its arguments, are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("aiosqlite"):
            return record.levelno > logging.DEBUG
        args = record.args
        if isinstance(args, tuple) and len(args) >= 2:
            last = args[-1]
            shown = f"[{len(last)} parameters]" if isinstance(last, list | tuple) else "[redacted]"
            record.args = (*args[:-1], shown)
        return True


class DropQueryString(logging.Filter):
    """uvicorn's access log without query strings: a GET query carries its variables there."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


_GUARDED = {
    "tortoise.db_client": RedactParameters,
    "aiosqlite": RedactParameters,
    "uvicorn.access": DropQueryString,
}


def protect_logs() -> None:
    """Install the filters above once per process (the app and every worker call this)."""
    for name, kind in _GUARDED.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())


# The same, as a logging configuration uvicorn applies in each of its worker processes (they
# start afresh: without it `serve --workers N` would log nothing from the workers).
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "unionaid.core.observability.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
}


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr (``unionaid serve`` and ``unionaid worker``)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    protect_logs()
