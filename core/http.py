"""What every HTTP endpoint reads from a request (the GraphQL app and the file endpoints beside
it): the bearer token and the request id."""

from __future__ import annotations

import re
import uuid

from starlette.requests import Request

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id_of(request: Request) -> str:
    """The caller's X-Request-ID when it is sane, else a new one."""
    if not hasattr(request.state, "request_id"):
        given = request.headers.get("x-request-id", "")
        request.state.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    return request.state.request_id


def bearer_token(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>``; "" when the header is there but is not a
    bearer token (refused like a bad token); None when there is no header."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
