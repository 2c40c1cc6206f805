"""A client that sends its headers slowly is cut off (uvicorn itself never is: see
core/slow_clients.py), through a real `unionaid serve` on a free loopback port."""

from __future__ import annotations

import json
import select
import socket
import time
import urllib.parse
import urllib.request

import pytest

from tests.factories import id_number
from tests.server import Server
from unionaid.core.slow_clients import header_timeout

TIMEOUT = 1.0  # UNIONAID_HEADER_TIMEOUT for the server under test


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Server(tmp_path_factory.mktemp("slow"), UNIONAID_HEADER_TIMEOUT=str(TIMEOUT)) as s:
        s.up()
        yield s


def connect(server: Server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def closed_after(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """What the server sends until it closes the connection, and when it closed (seconds);
    fails if it is still open after ``limit`` seconds."""
    started = time.monotonic()
    received = b""
    sock.settimeout(limit)
    try:
        while chunk := sock.recv(4096):
            received += chunk
    except TimeoutError:
        pytest.fail(f"the connection was still open after {limit} s")
    return received, time.monotonic() - started


def test_headers_that_never_end_are_cut_off(server):
    sock = connect(server)
    opened = time.monotonic()
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # ... and nothing more
    received, _ = closed_after(sock, 10)
    elapsed = time.monotonic() - opened
    assert received.startswith(b"HTTP/1.1 408"), received
    assert TIMEOUT * 0.9 <= elapsed < TIMEOUT + 4, elapsed


def test_a_trickle_of_header_bytes_does_not_keep_the_connection(server):
    """Sending all the time (a byte each 0.1 s) does not move the deadline."""
    sock = connect(server)
    opened = time.monotonic()
    header = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: " + b"a" * 200
    sent = 0
    for byte in header:
        try:
            sock.sendall(bytes([byte]))
        except OSError:  # reset: closed
            break
        sent += 1
        readable, _, _ = select.select([sock], [], [], 0.1)  # waits for the server, not a sleep
        if readable:
            break
    received, _ = closed_after(sock, 10)
    elapsed = time.monotonic() - opened
    assert sent < len(header), "the whole header went through: never cut off"
    assert received.startswith(b"HTTP/1.1 408"), received
    assert elapsed < TIMEOUT + 4, elapsed


def test_prompt_clients_are_served_and_kept_alive(server):
    sock = connect(server)
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    sock.settimeout(10)
    for _ in range(2):  # two requests on one connection: the deadline starts again for each
        sock.sendall(request)
        answer = b""
        while b'{"status":"ok"}' not in answer:  # headers and body may come apart
            chunk = sock.recv(4096)
            assert chunk, answer
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer
    sock.close()


def test_pipelined_requests_are_not_cut_off(server):
    """Two requests in one packet: the second one's headers are in before the first answer
    ends, so no deadline may close the connection under it."""
    sock = connect(server)
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    sock.sendall(
        request * 2 + b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    received, _ = closed_after(sock, 10)
    assert received.count(b"HTTP/1.1 200") == 3, received
    assert b"408" not in received


def test_the_access_log_holds_no_query_string(server):
    """A GET query carries its variables in the address; uvicorn's access line drops them."""
    number = id_number()
    query = urllib.parse.urlencode(
        {
            "query": "query($s: String) { members(search: $s) { totalCount } }",
            "variables": json.dumps({"s": number}),
        }
    )
    request = urllib.request.Request(
        f"{server.base}/graphql?{query}", headers={"Accept": "application/json"}
    )
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except urllib.error.HTTPError as refused:  # no token: refused, and logged all the same
        refused.close()
    server.wait_for("GET /graphql", timeout=30)
    assert number not in "".join(server.seen)


def test_the_deadline_is_a_setting(monkeypatch):
    assert header_timeout({}) == 10.0
    assert header_timeout({"UNIONAID_HEADER_TIMEOUT": "2.5"}) == 2.5
    with pytest.raises(ValueError):
        header_timeout({"UNIONAID_HEADER_TIMEOUT": "0"})
