"""Slow clients are cut off: uvicorn's HTTP protocols with a deadline for request headers.

uvicorn (0.54) bounds only the idle time between requests (``--timeout-keep-alive``); neither
its h11 nor its httptools protocol limits how long a client may take to send a request's
headers, so a client trickling a header byte at a time holds a connection for ever (slowloris).
These subclasses give every request ``UNIONAID_HEADER_TIMEOUT`` seconds (10 by default) from
the moment the connection opens, or the previous response ends, to the end of its headers —
however much it sends meanwhile — and then answer 408 and close."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("unionaid.http")
DEFAULT_HEADER_TIMEOUT = 10.0
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
)


def header_timeout(env: dict[str, str] | None = None) -> float:
    env = os.environ if env is None else env
    seconds = float(env.get("UNIONAID_HEADER_TIMEOUT") or DEFAULT_HEADER_TIMEOUT)
    if seconds <= 0:
        raise ValueError("UNIONAID_HEADER_TIMEOUT must be a positive number of seconds")
    return seconds


class HeaderDeadline:
    """Mixed into a uvicorn protocol: a request is one whose ``cycle`` (made by uvicorn when the
    headers are complete) is new; the deadline runs while no new cycle has appeared."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    cycle: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout()
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_since: Any = None  # the cycle that was current when the deadline started

    def _start_deadline(self, since: Any) -> None:
        """Wait for a request after ``since`` (the cycle just finished, or None)."""
        self._stop_deadline()
        if self.cycle is not since:
            return  # a pipelined request's headers were already in: nothing to wait for
        self._waiting_since = since
        self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.cycle is self._waiting_since and not self.transport.is_closing():
            log.info(
                "connection closed: request headers incomplete after %s s", self.header_timeout
            )
            self.transport.write(_TIMEOUT_RESPONSE)
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._start_deadline(self.cycle)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)  # type: ignore[misc]
        if self._deadline is not None and self.cycle is not self._waiting_since:
            self._stop_deadline()  # the headers are complete: the app has the request

    def on_response_complete(self) -> None:
        finished = self.cycle
        super().on_response_complete()  # type: ignore[misc]  (may start a pipelined request)
        if not self.transport.is_closing():
            self._start_deadline(finished)  # the next request on this connection

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        super().connection_lost(exc)  # type: ignore[misc]


class H11WithHeaderDeadline(HeaderDeadline, H11Protocol):
    pass


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is optional
    HttpToolsWithHeaderDeadline = None
else:

    class HttpToolsWithHeaderDeadline(HeaderDeadline, HttpToolsProtocol):  # type: ignore[no-redef]
        pass


def protocol() -> type:
    """What ``unionaid serve`` runs: httptools when installed (uvicorn's own choice), else h11."""
    return HttpToolsWithHeaderDeadline or H11WithHeaderDeadline
