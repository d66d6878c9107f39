"""Identity escrow: the asker of an anonymous question is stored only as Fernet ciphertext, plus a keyed
fingerprint (HMAC) that recognises the same person again (the asker, a blocked author) without decrypting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken

GENERATE_KEY = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


class EscrowUnavailable(RuntimeError):
    """No (valid) KINDRED_IDENTITY_KEY: anonymous asking is refused."""


@dataclass(frozen=True)
class Identity:
    platform: str
    user_id: str
    name: str | None = None


class Escrow:
    def __init__(self, key: str | None) -> None:
        if not key:
            raise EscrowUnavailable("KINDRED_IDENTITY_KEY is not set")
        try:
            self._fernet = Fernet(key.encode() if isinstance(key, str) else key)
        except (ValueError, TypeError):
            raise EscrowUnavailable("KINDRED_IDENTITY_KEY is not a valid Fernet key") from None
        self._mac_key = hashlib.sha256(b"kindred-fingerprint:" + key.encode()).digest()

    def seal(self, identity: Identity) -> bytes:
        payload = {"platform": identity.platform, "user_id": identity.user_id, "name": identity.name}
        return self._fernet.encrypt(json.dumps(payload).encode())

    def open(self, token: bytes) -> Identity:
        try:
            data = json.loads(self._fernet.decrypt(bytes(token)))
        except InvalidToken:
            raise EscrowUnavailable("escrowed identity cannot be decrypted with this key") from None
        return Identity(data["platform"], data["user_id"], data.get("name"))

    def fingerprint(self, platform: str, user_id: str) -> str:
        return hmac.new(self._mac_key, f"{platform}:{user_id}".encode(), hashlib.sha256).hexdigest()
