"""Configuration, read from the environment only.

``DATABASE_URL``      SQLite file in the working directory by default; ``postgres://...`` for
                      PostgreSQL (required to run several server processes).
``UNIONAID_ENV``      ``production`` turns off development conveniences and requires secrets.
``UNIONAID_DATA_KEY`` 32 random bytes, base64: encrypts resident ID numbers at rest and keys their
                      look-up hash. The key belongs to the database (which records its
                      fingerprint, see :mod:`unionaid.core.keys`), so outside production it is
                      kept where the database is, never in the working directory: beside a
                      SQLite file (``<file>.key``), and for PostgreSQL, whose files are not ours
                      to write beside, in the user's configuration directory under a name taken
                      from the URL (:func:`dev_key_file`). Created on the database's first
                      opening; never commit it.
``UNIONAID_NEW_DATA_KEY`` the key a rotation moves to (``unionaid keys rotate``).
``UNIONAID_READY_TIMEOUT`` seconds /readyz waits for the database (1.5): a database that accepts
                      connections but never answers is reported unavailable within 2 s.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "sqlite://unionaid.sqlite3"
# Where development keys were kept before they followed the database: adopted once if it fits.
LEGACY_KEY_FILE = Path(".unionaid") / "data.key"


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
    # Empty until the database's first opening when the development key does not exist yet.
    data_key: bytes = field(default=b"", repr=False)
    new_data_key: bytes = field(default=b"", repr=False)
    # The development key file (None when the key comes from the environment or the database
    # lives in memory).
    key_file: Path | None = None
    ready_timeout: float = 1.5

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        production = env.get("UNIONAID_ENV", "development").lower() == "production"
        url = normalise_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
        new = env.get("UNIONAID_NEW_DATA_KEY")
        new_key_bytes = decode_key(new, "UNIONAID_NEW_DATA_KEY") if new else b""
        raw = env.get("UNIONAID_DATA_KEY")
        if raw:
            key, key_file = decode_key(raw), None
        elif production:
            raise ConfigError(
                "UNIONAID_DATA_KEY must be set in production (32 random bytes, base64)\n"
                "生产环境必须设置 UNIONAID_DATA_KEY（32 个随机字节，base64 编码）"
            )
        else:
            key_file = dev_key_file(url, env)
            key = read_key_file(key_file) if key_file else secrets.token_bytes(32)
        return cls(
            url,
            production,
            key,
            new_key_bytes,
            key_file,
            ready_timeout=float(env.get("UNIONAID_READY_TIMEOUT") or 1.5),
        )


def dev_key_file(url: str, env: dict[str, str]) -> Path | None:
    """Where the development key of the database at ``url`` lives: beside a SQLite file; for
    PostgreSQL in ``$XDG_CONFIG_HOME/unionaid/keys`` (else ``~/.config``), one file per server
    and database, so every working folder of this user finds the same key; None in memory."""
    url = normalise_database_url(url)
    if url.startswith("sqlite://"):
        path = url[len("sqlite://") :].partition("?")[0]
        if path in ("", ":memory:"):
            return None
        return Path(path).resolve().with_name(Path(path).name + ".key")
    parts = urlsplit(url)
    where = f"{parts.hostname or 'localhost'}_{parts.port or 5432}_{parts.path.strip('/')}"
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", where)
    home = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(home) / "unionaid" / "keys" / f"{safe}.key"


def next_key_file(key_file: Path) -> Path:
    """Where a development rotation keeps the key it moves to until it is finished."""
    return key_file.with_name(key_file.name + ".next")


def read_key_file(path: Path) -> bytes:
    if not path.is_file():
        return b""
    return decode_key(path.read_text().strip(), str(path))


def write_key_file(path: Path, key: bytes, *, exclusive: bool = False) -> None:
    """Write a key readable by its owner only, durably (a rotation relies on it);
    ``exclusive``: only if no file is there (FileExistsError otherwise)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(base64.b64encode(key).decode() + "\n")
        out.flush()
        os.fsync(out.fileno())


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def decode_key(text: str, name: str = "UNIONAID_DATA_KEY") -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise ConfigError(f"{name} is not valid base64\n{name} 不是有效的 base64") from exc
    if len(key) != 32:
        raise ConfigError(f"{name} must decode to 32 bytes\n{name} 解码后必须是 32 个字节")
    return key
