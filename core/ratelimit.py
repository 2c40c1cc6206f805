"""A per-token request budget per minute, counted in the database so several server processes
share it (one upsert per request)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from tortoise import connections

WINDOW = 60  # seconds

_UPSERT = {
    "postgres": "INSERT INTO rate_bucket (key, count, expires_at) VALUES ($1, 1, $2) "
    "ON CONFLICT (key) DO UPDATE SET count = rate_bucket.count + 1 RETURNING count",
    "sqlite": "INSERT INTO rate_bucket (key, count, expires_at) VALUES (?, 1, ?) "
    "ON CONFLICT (key) DO UPDATE SET count = rate_bucket.count + 1 RETURNING count",
}


def limit_per_minute() -> int:
    return int(os.environ.get("UNIONAID_RATE_LIMIT", "600"))


async def spend(who: str, now: dt.datetime, limit: int) -> bool:
    """Count one request for ``who`` (a token or an address); False when over the budget."""
    if limit <= 0:
        return True
    window = int(now.timestamp()) // WINDOW
    key = hashlib.sha256(who.encode()).hexdigest()[:40] + f":{window}"
    expires = dt.datetime.fromtimestamp((window + 1) * WINDOW, dt.UTC)
    conn = connections.get("default")
    dialect = "postgres" if conn.capabilities.dialect == "postgres" else "sqlite"
    stored = expires if dialect == "postgres" else expires.isoformat(" ")
    rows = await conn.execute_query_dict(_UPSERT[dialect], [key, stored])
    count = rows[0]["count"]
    if count == 1:  # the first request of a window clears out windows that are over
        now_value = now if dialect == "postgres" else now.isoformat(" ")
        marker = "$1" if dialect == "postgres" else "?"
        await conn.execute_query(
            f"DELETE FROM rate_bucket WHERE expires_at < {marker}", [now_value]
        )
    return count <= limit
