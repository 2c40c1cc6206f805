"""Security headers on every response, and a Content-Security-Policy for the HTML pages that
allows only the page's own assets: its inline script and style by their SHA-256 (nothing else
inline runs), the bundle under /graphiql from this origin, requests to this origin only, and
no framing (clickjacking)."""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Every response: no MIME sniffing, never framed, no referrer leaving the page, and — for JSON
# and files, which run nothing — a policy that allows nothing at all.
ALWAYS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
NOTHING = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

_INLINE = re.compile(r"<(script|style)(?:\s[^>]*)?>(.*?)</\1>", re.S)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page_policy(html: str) -> str:
    """The CSP for one HTML page: its own inline blocks (by hash) and this origin's files."""
    scripts = ["'self'"]
    styles = ["'self'"]
    for tag, body in _INLINE.findall(html):
        if body.strip():
            (scripts if tag == "script" else styles).append(_hash(body))
    return "; ".join(
        (
            "default-src 'none'",
            "script-src " + " ".join(scripts),
            "style-src " + " ".join(styles),
            "img-src 'self' data:",  # GraphiQL's icons are inlined SVG data URLs
            "font-src 'self' data:",  # and its fonts, inlined into its CSS
            "connect-src 'self'",  # the page posts queries to /graphql
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """ASGI middleware: :data:`ALWAYS` on every HTTP response, and :data:`NOTHING` as the
    policy of any response that did not set its own (the HTML pages do)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", NOTHING)
            await send(message)

        await self.app(scope, receive, with_headers)
