"""Configuration, read from the environment only.

``DATABASE_URL``      SQLite file in the working directory by default; ``postgres://...`` for
                      PostgreSQL (required to run several server processes).
``UNIONAID_ENV``      ``production`` turns off development conveniences and requires secrets.
``UNIONAID_DATA_KEY`` 32 random bytes, base64: encrypts resident ID numbers at rest and keys their
                      look-up hash. Outside production a key is created once in
                      ``.unionaid/data.key`` beside the working directory so a newcomer needs no
                      setup; never commit that file.
``UNIONAID_READY_TIMEOUT`` seconds /readyz waits for the database (1.5): a database that accepts
                      connections but never answers is reported unavailable within 2 s.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite://unionaid.sqlite3"
DEV_KEY_FILE = Path(".unionaid") / "data.key"


class ConfigError(RuntimeError):
    """The service must not start with this configuration."""


def normalise_database_url(url: str) -> str:
    """Accept the usual spellings: postgresql:// and postgres:// both mean asyncpg."""
    for prefix in ("postgresql+asyncpg://", "postgresql://"):
        if url.startswith(prefix):
            return "postgres://" + url[len(prefix) :]
    return url


def is_postgres(url: str) -> bool:
    return normalise_database_url(url).startswith(("postgres://", "asyncpg://"))


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    production: bool = False
    data_key: bytes = field(default=b"", repr=False)
    ready_timeout: float = 1.5

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        production = env.get("UNIONAID_ENV", "development").lower() == "production"
        url = normalise_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
        return cls(
            database_url=url,
            production=production,
            data_key=_data_key(env, production),
            ready_timeout=float(env.get("UNIONAID_READY_TIMEOUT") or 1.5),
        )


def _data_key(env: dict[str, str], production: bool) -> bytes:
    raw = env.get("UNIONAID_DATA_KEY")
    if raw:
        return decode_key(raw)
    if production:
        raise ConfigError("UNIONAID_DATA_KEY must be set in production (32 random bytes, base64)")
    if DEV_KEY_FILE.exists():
        return decode_key(DEV_KEY_FILE.read_text().strip())
    DEV_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    encoded = new_key()
    DEV_KEY_FILE.write_text(encoded + "\n")
    DEV_KEY_FILE.chmod(0o600)
    return decode_key(encoded)


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def decode_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise ConfigError("UNIONAID_DATA_KEY is not valid base64") from exc
    if len(key) != 32:
        raise ConfigError("UNIONAID_DATA_KEY must decode to 32 bytes")
    return key
