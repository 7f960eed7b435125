"""Mermaid served from the site itself, so neither the build nor a reader's browser needs a CDN.

The file comes from the npm registry's `mermaid` package (the upstream release), fetched
once with `npm pack` and cached per user. Its SHA-256 is pinned here: a different file
is refused. It is about 3 MB, so it is not committed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VERSION = "11.12.1"
"""Material for MkDocs 9 renders with Mermaid 11."""
SHA256 = "198b19442f86f0b46a17e56d3abf744c3a28a3427e66fa8dada3b589a77babcc"
MEMBER = "package/dist/mermaid.min.js"
FETCH_TIMEOUT = 300


class VendorError(Exception):
    """Mermaid could not be vendored; the message says why and what to do."""


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tutor"


def vendored_mermaid(cache: Path | None = None) -> Path:
    """The path of the pinned mermaid.min.js, fetching it from npm the first time."""
    target = (cache or cache_dir()) / f"mermaid-{VERSION}.min.js"
    if target.is_file():
        return target
    data = _fetch()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise VendorError(f"mermaid@{VERSION} from npm has SHA-256 {digest}, expected {SHA256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, target)
    return target


def _fetch() -> bytes:
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm is not installed, so Mermaid cannot be fetched from the npm registry")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            subprocess.run(
                [npm, "pack", f"mermaid@{VERSION}", "--pack-destination", tmp, "--silent"],
                check=True, capture_output=True, text=True, timeout=FETCH_TIMEOUT, cwd=tmp,
            )
        except subprocess.CalledProcessError as exc:
            lines = (exc.stderr or "").strip().splitlines()
            raise VendorError(f"`npm pack mermaid@{VERSION}` failed: {lines[-1] if lines else exc}") from None
        except subprocess.TimeoutExpired:
            raise VendorError(f"`npm pack mermaid@{VERSION}` took longer than {FETCH_TIMEOUT} s") from None
        tarballs = list(Path(tmp).glob("*.tgz"))
        if not tarballs:
            raise VendorError(f"`npm pack mermaid@{VERSION}` wrote no tarball")
        with tarfile.open(tarballs[0]) as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise VendorError(f"the mermaid@{VERSION} package has no {MEMBER}")
            return member.read()
