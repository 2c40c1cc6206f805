"""Resident ID numbers at rest: AES-GCM ciphertext, a keyed hash for uniqueness and look-up, and
the masked form stored beside them so that listing never decrypts.

Each ciphertext names the key that sealed it (``v2:<key id>:…``, the key id being the start of
the key's fingerprint), so a row says by itself whether a key rotation has reached it; ``v1:``
ciphertexts, written before keys were named, belong to the database's first key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_LEGACY = "v1"
_VERSION = "v2"
KEY_ID_LENGTH = 8


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


def fingerprint(master: bytes) -> str:
    """What the database records of its key: a one-way derivation (HKDF), never the key."""
    return _derive(master, b"unionaid data-key fingerprint").hex()


class _Key:
    def __init__(self, master: bytes) -> None:
        self.fingerprint = fingerprint(master)
        self.id = self.fingerprint[:KEY_ID_LENGTH]
        self.aead = AESGCM(_derive(master, b"unionaid id-number encryption"))
        self.hash_key = _derive(master, b"unionaid id-number lookup")

    def hash(self, plaintext: str) -> str:
        return hmac.new(self.hash_key, plaintext.encode(), hashlib.sha256).hexdigest()


class Vault:
    """Encrypts and hashes sensitive identifiers with sub-keys of the data key.

    During a key rotation a process holds two keys: it writes under the new one (``next_key``)
    and reads what either sealed; :meth:`lookup_hashes` gives a value's hash under both."""

    def __init__(self, master_key: bytes = b"", next_key: bytes | None = None) -> None:
        self.load(master_key, next_key)

    def load(self, master_key: bytes, next_key: bytes | None = None) -> None:
        """(Re)arm the vault: a server builds it before its startup check decides the keys."""
        self._current = _Key(master_key) if master_key else None
        self._next = _Key(next_key) if next_key else None

    def take_keys(self, other: Vault) -> None:
        """Hold the keys ``other`` holds (the server's vault after its startup check)."""
        self._current, self._next = other._current, other._next

    @property
    def _writer(self) -> _Key:
        key = self._next or self._current
        if key is None:
            raise RuntimeError("the data key has not been loaded")
        return key

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the key this vault writes with."""
        return self._writer.fingerprint

    @property
    def fingerprints(self) -> frozenset[str]:
        return frozenset(k.fingerprint for k in (self._current, self._next) if k is not None)

    def encrypt(self, plaintext: str) -> str:
        key = self._writer
        nonce = os.urandom(12)
        label = f"{_VERSION}:{key.id}"
        sealed = key.aead.encrypt(nonce, plaintext.encode(), label.encode())
        return f"{label}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str) -> str:
        version, _, rest = token.partition(":")
        if version == _LEGACY:
            key, label, body = self._current, _LEGACY, rest
        elif version == _VERSION:
            key_id, _, body = rest.partition(":")
            key = next((k for k in (self._current, self._next) if k and k.id == key_id), None)
            label = f"{_VERSION}:{key_id}"
        else:
            raise ValueError("unknown ciphertext version")
        if key is None:
            raise ValueError("sealed with a data key this process does not hold")
        raw = base64.b64decode(body)
        return key.aead.decrypt(raw[:12], raw[12:], label.encode()).decode()

    def rotating_to(self, next_key: bytes) -> Vault:
        """A vault reading with this one's key and ``next_key``, writing with ``next_key``."""
        both = Vault()
        both._current, both._next = self._current, _Key(next_key)
        return both

    @property
    def sealed_prefix(self) -> str:
        """How every ciphertext of the writing key starts."""
        return f"{_VERSION}:{self._writer.id}:"

    def sealed_by_writer(self, token: str) -> bool:
        """Whether ``token`` is already sealed by the key this vault writes with."""
        return token.startswith(self.sealed_prefix)

    def lookup_hash(self, plaintext: str) -> str:
        return self._writer.hash(plaintext)

    def lookup_hashes(self, plaintext: str) -> list[str]:
        """The hash under every key held: during a rotation a row may carry either."""
        return [k.hash(plaintext) for k in (self._next, self._current) if k is not None]
