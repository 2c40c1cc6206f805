"""What every resolver can rely on: the principal, the request's language, "today" in Shanghai,
the plugin host and per-request caches."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.principal import Principal
from unionaid.core.services.programs import enabled_pairs


@dataclass
class Context:
    principal: Principal | None  # None: anonymous (see graphql/auth.py for what that reaches)
    lang: str
    today: dt.date
    host: PluginHost
    vault: Vault
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    request_id: str = ""
    client: str = ""  # the caller's address, for sign-in throttling
    token: str | None = None  # the bearer token the request came with
    credentials_refused: bool = False  # a token was sent and is not valid
    refusal: Any = None  # a Code refusing the whole request (database down, rate limited)
    jobs: Any = None  # the in-process job runner (jobs.InProcessRunner), kicked after queueing
    request: Any = None
    response: Any = None
    _enabled: asyncio.Future[set[tuple[str, str]]] | None = field(default=None, repr=False)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def forget_enablement(self) -> None:
        """After switching a program on or off, read enablement again."""
        self._enabled = None

    async def enabled(self) -> set[tuple[str, str]]:
        """(program, district) pairs switched on, read once per request. The pending read is
        what is kept, so fields resolved concurrently all wait for the one statement."""
        if self._enabled is None:
            self._enabled = asyncio.ensure_future(enabled_pairs())
        return await asyncio.shield(self._enabled)
