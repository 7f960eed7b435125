"""Keyed hashes of variable values: how a run tells that a value changed without writing it down.

A done step records, for each variable it uses, `hmac-sha256:<hex>` of the value it ran with
(`unset` when it had none). The key is 32 random bytes in `<state-dir>/fingerprint.key` (0600),
made by the first run that needs it, so a state file pasted into a bug report does not let
anyone test guesses of a short secret against it. `tutor plan` only reads the key: with none
yet, no step has fingerprints to compare.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from ..errors import TutorError

__all__ = ["KEY_FILE", "UNSET", "Fingerprints"]

KEY_FILE = "fingerprint.key"
UNSET = "unset"
_KEY_BYTES = 32


class Fingerprints:
    """Fingerprints with one host's key; without a key (a dry run on a fresh host) there are none."""

    def __init__(self, key: bytes | None) -> None:
        self._key = key

    @classmethod
    def read(cls, directory: Path) -> Fingerprints:
        """The host's key if there is one; never creates anything."""
        try:
            key = (directory / KEY_FILE).read_bytes()
        except OSError:
            return cls(None)
        return cls(key if len(key) == _KEY_BYTES else None)

    @classmethod
    def open(cls, directory: Path) -> Fingerprints:
        """The host's key, made now if there is none (two runs at once agree on one: a hard link
        never replaces a file, so the second one reads the first one's key)."""
        path = directory / KEY_FILE
        found = cls.read(directory)
        if found.available:
            return found
        try:
            directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{KEY_FILE}.", dir=directory)  # 0600
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(secrets.token_bytes(_KEY_BYTES))
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    pass
            finally:
                os.unlink(tmp)
        except OSError as exc:
            raise TutorError(f"cannot write the fingerprint key: {exc.strerror or exc}",
                             "pass --state-dir with a folder you can write, or set TUTOR_STATE_DIR",
                             path=str(path)) from None
        found = cls.read(directory)
        if not found.available:
            raise TutorError("the fingerprint key is not 32 bytes long",
                             f"remove it (rm {path}); the next run makes a new one, and runs the steps that use variables again",
                             path=str(path))
        return found

    @property
    def available(self) -> bool:
        return self._key is not None

    def of(self, value: str | None) -> str | None:
        """The fingerprint of a value (`unset` for none); None when there is no key."""
        if value is None:
            return UNSET
        if self._key is None:
            return None
        return "hmac-sha256:" + hmac.new(self._key, value.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()
