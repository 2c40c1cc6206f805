"""Structured logs and Prometheus metrics.

Every GraphQL request logs one JSON line (request id, user, operation, duration, error codes —
never variables, tokens or ID numbers) and feeds the metrics served at ``/metrics``: requests
and latency by operation, errors by code, the database pool in use."""

from __future__ import annotations

import json
import logging
import time
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

                codes = [
                    (shape_error(e, "en", context.request_id).extensions or {}).get("code", "")
                    for e in result.errors
                ]
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
                    "operation": operation,
                    "ms": round(seconds * 1000, 1),
                    "codes": codes,
                },
            )

    return Observe


class JsonFormatter(logging.Formatter):
    FIELDS = ("request_id", "user", "operation", "ms", "codes")

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


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr (``unionaid serve`` and ``unionaid worker``)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
