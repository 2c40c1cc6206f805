"""`unionaid serve` in a subprocess for tests, its output read by a thread so that every wait is
bounded: a server that never comes up (or never prints what a test waits for) fails the test
with what it did print, instead of hanging the run."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, folder: Path, *args: str, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = dict(os.environ, DATABASE_URL=f"sqlite://{folder}/serve.sqlite3")
        environment.pop("UNIONAID_ENV", None)
        environment.update(env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "unionaid.core.cli", "serve", "--port", str(self.port), *args],
            cwd=folder,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)  # end of output: the process is gone

    def wait_for(self, text: str, timeout: float = 120) -> list[str]:
        """Lines up to the first holding ``text``; fails after ``timeout`` seconds or when the
        server exits first."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                line = self._lines.get(timeout=max(remaining, 0))
            except queue.Empty:
                pytest.fail(f"no {text!r} within {timeout} s; output: {''.join(self.seen)[-3000:]}")
            if line is None:
                self._lines.put(None)
                pytest.fail(f"server exited before {text!r}; output: {''.join(self.seen)[-3000:]}")
            self.seen.append(line)
            if text in line:
                return self.seen

    def up(self, timeout: float = 120) -> list[str]:
        return self.wait_for("Uvicorn running", timeout)

    def stop(self) -> str:
        """Stop the server; everything it printed."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self._reader.join(timeout=20)
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.seen.append(line)
        return "".join(self.seen)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
