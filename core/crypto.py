"""Resident ID numbers at rest: AES-GCM ciphertext, a keyed hash for uniqueness and look-up, and
the masked form stored beside them so that listing never decrypts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = "v1"


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


class Vault:
    """Encrypts and hashes sensitive identifiers with sub-keys of one data key."""

    def __init__(self, master_key: bytes) -> None:
        self._aead = AESGCM(_derive(master_key, b"unionaid id-number encryption"))
        self._hash_key = _derive(master_key, b"unionaid id-number lookup")

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), _VERSION.encode())
        return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str) -> str:
        version, _, body = token.partition(":")
        if version != _VERSION:
            raise ValueError("unknown ciphertext version")
        raw = base64.b64decode(body)
        return self._aead.decrypt(raw[:12], raw[12:], version.encode()).decode()

    def lookup_hash(self, plaintext: str) -> str:
        return hmac.new(self._hash_key, plaintext.encode(), hashlib.sha256).hexdigest()
