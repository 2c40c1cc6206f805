"""A GraphQL client over the ASGI app, and a counter of the SQL statements sent."""

from __future__ import annotations

import logging
from typing import Any

import httpx


class GQL:
    """Posts GraphQL over real HTTP through the ASGI app, with a bearer token when given one."""

    def __init__(self, client: httpx.AsyncClient, token: str | None = None) -> None:
        self.client = client
        self.token = token

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, **headers: str
    ) -> dict[str, Any]:
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code in (200, 400), response.text
        return response.json()

    async def ok(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of an answer that must have no errors."""
        body = await self(query, variables)
        assert "errors" not in body, body
        return body["data"]


class StatementCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends (it logs each on tortoise.db_client)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
