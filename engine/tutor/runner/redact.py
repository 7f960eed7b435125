"""Secrets out of sight: every text the runner shows or writes passes through a `Redactor`.

A variable is secret when the tutorial marks it `secret: true` or its name ends in TOKEN,
SECRET, PASSWORD, PASSWD or KEY (any case: CF_API_TOKEN, db_password, SSH_KEY). The redactor
holds secret *values* and replaces each occurrence with `***`:

- the longest value wins where several match at one place;
- only empty values are ignored, so a very short secret (`a`, `12`) masks every occurrence
  of that text, wanted or not: over-masking is the safe side;
- each line of a multi-line secret (a PEM key) is masked too, when it is 4 characters or longer,
  so a secret printed one line at a time is still hidden;
- only the literal value is matched: an encoded form (base64, URL-escaped) is not.

Output arrives in chunks, and a secret can straddle two of them. `StreamRedactor` holds back
just the end of a chunk that could be the start of a secret, and nothing else, so ordinary
output is passed on at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..secret_names import MASK, SECRET_NAME, is_secret, is_secret_name

__all__ = ["MASK", "SECRET_NAME", "Redactor", "StreamRedactor", "is_secret", "is_secret_name", "secret_values"]

_MIN_LINE = 4
"""Lines of a multi-line secret shorter than this are not masked on their own."""


def secret_values(values: Mapping[str, str], secret_names: Iterable[str] = ()) -> list[str]:
    """The values, among `values`, of variables that are secret by name or listed in `secret_names`."""
    declared = set(secret_names)
    return [value for name, value in values.items() if value and (name in declared or is_secret_name(name))]


class Redactor:
    """Replaces secret values with `***` in text and bytes."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self._version = 0
        self._pattern: re.Pattern[str] | None = None
        self._bytes_pattern: re.Pattern[bytes] | None = None
        self.add_all(secrets)

    @classmethod
    def for_variables(cls, values: Mapping[str, str], secret_names: Iterable[str] = ()) -> Redactor:
        """A redactor for the secret ones among `values` (by name, or listed in `secret_names`)."""
        return cls(secret_values(values, secret_names))

    def add(self, value: str) -> None:
        if not value:
            return
        new = {value}
        if "\n" in value:
            new.update(line.rstrip("\r") for line in value.split("\n") if len(line.rstrip("\r")) >= _MIN_LINE)
        if new <= self._secrets:
            return
        self._secrets |= new
        self._version += 1
        self._pattern = self._bytes_pattern = None

    def add_all(self, values: Iterable[str]) -> None:
        for value in values:
            self.add(value)

    @property
    def secrets(self) -> frozenset[str]:
        return frozenset(self._secrets)

    @property
    def version(self) -> int:
        """Changes whenever a secret is added (streams use it to refresh what they hold back)."""
        return self._version

    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._secrets:
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, ordered)))
        return self._pattern

    def redact(self, text: str) -> str:
        pattern = self.pattern()
        return pattern.sub(MASK, text) if pattern is not None and text else text

    def redact_bytes(self, data: bytes) -> bytes:
        if not self._secrets or not data:
            return data
        if self._bytes_pattern is None:
            ordered = sorted({s.encode("utf-8", "surrogateescape") for s in self._secrets}, key=len, reverse=True)
            self._bytes_pattern = re.compile(b"|".join(map(re.escape, ordered)))
        return self._bytes_pattern.sub(MASK.encode(), data)

    def __call__(self, text: str) -> str:
        return self.redact(text)

    def stream(self) -> StreamRedactor:
        return StreamRedactor(self)


class StreamRedactor:
    """Redacts text that arrives in chunks: `feed(chunk)` returns what is safe to show now.

    Only a tail that is the beginning of some secret is held back (until the next chunk
    or `flush()`), so a secret split across chunks is still masked and other output is not delayed.
    """

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor
        self._pending = ""
        self._version = -1
        self._secrets: list[str] = []

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        if not text:
            return ""
        pattern = self.redactor.pattern()
        if pattern is None:
            self._pending = ""
            return text
        self._refresh()
        safe_end = len(text) - self._held(text)
        out: list[str] = []
        position = 0
        for match in pattern.finditer(text):
            if match.start() >= safe_end:
                break
            if match.end() > safe_end:
                # A secret that reaches into the held tail may yet turn out to be a longer one.
                safe_end = match.start()
                break
            out.append(text[position:match.start()])
            out.append(MASK)
            position = match.end()
        out.append(text[position:safe_end])
        self._pending = text[safe_end:]
        return "".join(out)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return self.redactor.redact(text)

    def _refresh(self) -> None:
        if self._version == self.redactor.version:
            return
        self._secrets = sorted((s for s in self.redactor.secrets if len(s) > 1), key=len, reverse=True)
        self._version = self.redactor.version

    def _held(self, text: str) -> int:
        """Length of the longest tail of `text` that is a proper prefix of a secret.

        For each secret, the candidates are the places in the last len-1 characters where its
        first character occurs, tried from the earliest (the longest tail) on, each with one
        `startswith`: no table of prefixes, so memory stays linear in the secrets' length (a
        32 KB secret once cost 500 MB per block).
        """
        best = 0
        size = len(text)
        for secret in self._secrets:
            window = min(len(secret) - 1, size)
            if window <= best:
                continue  # the secrets are longest first: nothing here can beat `best`
            first = secret[0]
            position = text.find(first, size - window)
            while 0 <= position < size - best:
                if secret.startswith(text[position:]):
                    best = size - position
                    break
                position = text.find(first, position + 1)
        return best
