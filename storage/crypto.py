"""Encryption at rest for tokens and uploaded rosters (Fernet, keyed by MICROCOACH_SECRET_KEY)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken


class Sealer:
    """Seals text with Fernet; without a key it stores text marked as plain (the playground)."""

    _PLAIN = "plain:"
    _SEALED = "fernet:"

    def __init__(self, key: str | None):
        self._fernet = Fernet(key.encode()) if key else None

    @property
    def can_seal(self) -> bool:
        """Whether :meth:`seal` encrypts (a key is set), rather than marking text as plain."""
        return self._fernet is not None

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode()

    def seal(self, text: str) -> str:
        if self._fernet is None:
            return self._PLAIN + text
        return self._SEALED + self._fernet.encrypt(text.encode()).decode()

    def open(self, blob: str) -> str:
        if blob.startswith(self._PLAIN):
            return blob[len(self._PLAIN):]
        if not blob.startswith(self._SEALED) or self._fernet is None:
            raise ValueError("sealed data needs MICROCOACH_SECRET_KEY")
        try:
            return self._fernet.decrypt(blob[len(self._SEALED):].encode()).decode()
        except InvalidToken:
            raise ValueError("sealed data does not open with this MICROCOACH_SECRET_KEY") from None
