"""What every resolver can rely on: the principal, the request's language, "today" in Shanghai,
the plugin host and per-request caches."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.principal import Principal
from unionaid.core.services.programs import effective_settings, enabled_pairs


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


def request_today(info: Any) -> dt.date:
    """Today in Asia/Shanghai for this request: the same day for all of it, from the app's
    clock (which tests fix). Resolvers use it instead of asking the machine."""
    return info.context.today


def seal_text(info: Any, text: str) -> str:
    """``text`` encrypted with the core's vault (the data key), for a program column it names
    in ``register_encrypted_columns`` (key rotation re-encrypts it)."""
    return info.context.vault.encrypt(text)


def open_text(info: Any, sealed: str) -> str:
    """What :func:`seal_text` sealed, in clear."""
    return info.context.vault.decrypt(sealed)


def request_now(info: Any) -> dt.datetime:
    """The request's "now" (aware, UTC), read once when it arrived."""
    return info.context.now


async def program_settings(
    info: Any, program_id: str, district_code: str, on: dt.date | None = None
) -> BaseModel | None:
    """The effective settings of ``program_id`` for ``district_code`` on ``on`` (the request's
    today by default): the city's values under the district's, each the version valid on that
    day. Read once per request for each (program, district, day); None for a program without
    settings."""
    day = on or info.context.today
    key = f"settings:{program_id}:{district_code}:{day.isoformat()}"
    cache = info.context.cache
    if key not in cache:
        effective = await effective_settings(info.context.host, program_id, district_code, day)
        cache[key] = effective.values
    return cache[key]
