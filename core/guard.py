"""Guards in front of /graphql, before strawberry sees a request: a body-size limit, a bound on
how deeply JSON (variables above all) may nest, and a time limit on the whole request. Each
refusal is a GraphQL-shaped error with its own code; nothing reaches the resolvers."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from unionaid.core.errors import Code, language, message


@dataclass(frozen=True)
class Guards:
    max_body: int = 1024 * 1024  # bytes; files go to /imports with their own limit
    max_json_depth: int = 32
    timeout: float = 30.0  # seconds for a whole GraphQL request

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Guards:
        env = os.environ if env is None else env
        return cls(
            max_body=int(env.get("UNIONAID_MAX_BODY_KB", "1024")) * 1024,
            max_json_depth=int(env.get("UNIONAID_MAX_JSON_DEPTH", "32")),
            timeout=float(env.get("UNIONAID_QUERY_TIMEOUT", "30")),
        )


def json_depth(body: bytes) -> int:
    """How deeply arrays and objects nest, counted without parsing (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def refusal(scope: Scope, status: int, code: Code, **params: Any) -> JSONResponse:
    headers = dict((k.decode().lower(), v.decode()) for k, v in scope.get("headers", []))
    lang = language(headers.get("accept-language"))
    body = {
        "data": None,
        "errors": [{"message": message(code, lang, **params), "extensions": {"code": code.value}}],
    }
    return JSONResponse(body, status_code=status)


class GraphQLGuard:
    def __init__(self, app: ASGIApp, guards: Guards) -> None:
        self.app = app
        self.guards = guards

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        guards = self.guards
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared and declared.isdigit() and int(declared) > guards.max_body:
            await refusal(scope, 413, Code.REQUEST_TOO_LARGE, max=guards.max_body // 1024)(
                scope, receive, send
            )
            return
        body = bytearray()
        more = True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            body.extend(msg.get("body", b""))
            more = msg.get("more_body", False)
            if len(body) > guards.max_body:
                await refusal(scope, 413, Code.REQUEST_TOO_LARGE, max=guards.max_body // 1024)(
                    scope, receive, send
                )
                return
        if json_depth(bytes(body)) > guards.max_json_depth:
            await refusal(scope, 400, Code.VARIABLES_TOO_DEEP)(scope, receive, send)
            return

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        started = False

        async def watch(msg: Message) -> None:
            nonlocal started
            started = True
            await send(msg)

        try:
            await asyncio.wait_for(self.app(scope, replay, watch), timeout=guards.timeout)
        except TimeoutError:
            if not started:
                await refusal(scope, 503, Code.QUERY_TIMEOUT, seconds=guards.timeout)(
                    scope, receive, send
                )
