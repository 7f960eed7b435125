"""Parsed tutorials kept between runs, so a second lint re-parses only what changed.

An entry is found by the file's content hash, under a key made of the tutor version, a
fingerprint of the engine's own code and every option that changes what the parser or the
per-file rules produce (the anchor style). A file is not read again to hash it while its
size, mtime, ctime and inode are what they were when it was last hashed, at least
`SETTLED_NS` after it was written (see there). Entries hold the parsed `Tutorial` and, once lint
has run, the findings of the per-file rules; rules that read other files always run again.

Where it lives: one pack file per folder and key in the user's cache directory
(`$TUTOR_CACHE_DIR`, else `$XDG_CACHE_HOME/tutor/models`, else `~/.cache/tutor/models`).
Not in the project: the pack is a pickle, and a pickle that came with a cloned repository
could run code when read. A pack is written to a temporary file and renamed over the old one,
so concurrent runs never see half a file (the last writer wins). Anything wrong with a pack
or an entry (truncated, another format, unreadable) is a miss, never an error.

One pack per folder, not one file per tutorial: opening 1,000 small files costs more than
reading one; each entry is pickled on its own, so saving after one edit pickles one tutorial.
An entry holds the tutorial without its blocks and steps, which are parsed again from its body
if something reads them (`deferred`): the rules that run again on a warm run read only the
frontmatter, headings, links and the facts the per-file rules left (`Tutorial.lint_facts`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
import zlib
from array import array
from collections.abc import Callable, Sequence
from typing import Any
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__
from .deferred import pack, restore
from .diagnostics import Diagnostic
from .model import Tutorial

FORMAT = 7
"""Bump when the layout of a pack changes."""
_MAGIC = b"tutor-cache\n"
_READ_LIMIT = 2 * 1024 * 1024 + 1
"""Like the parser, read at most this much; a larger file is parsed (and refused) every time."""
SETTLED_NS = 2_000_000_000
"""A file last written (or its inode changed) this long before it was read is "settled": while its
size, mtime, ctime and inode stay the same, its content does too, and is not read again to hash it.
A file written closer to its reading may change again within the same clock tick, so it is hashed
on every run, as git does with racily clean index entries."""

Stat = tuple[int, int, int, int]
"""(size, mtime_ns, ctime_ns, inode) of a settled file; ctime changes on every write, even when the mtime is set back."""
Read = tuple[bytes, "Stat | None"]
"""(content digest, stat if settled) of a file as it was read for a parse."""


@dataclass(slots=True)
class _Entry:
    digest: bytes
    blob: bytes | memoryview | None
    """The pickled (tutorial, findings) as stored (a view of the pack read); None once replaced in this run."""
    tutorial: Tutorial | None = None
    findings: list[Diagnostic] | None = None
    stat: Stat | None = None
    """The file's when `digest` was taken from it, if it was settled then."""
    fresh: bool = False
    """Parsed for this run ahead of `ModelCache.tutorial` (by `workers`): a miss, not a hit."""


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    parsed: list[str] = field(default_factory=list)
    """Display paths of the files parsed in this run (the misses), in order."""


class ModelCache:
    """The cache of one folder under one set of options.

    `directory=None` keeps everything in memory: the MkDocs plugin holds one across the
    rebuilds of `mkdocs serve`, so a save re-parses only the saved file.
    """

    def __init__(self, folder: Path, options: tuple[str, ...], directory: Path | None) -> None:
        self.folder = folder.resolve()
        self.key = (__version__, code_fingerprint(), *options)
        ident = hashlib.blake2b(repr((str(self.folder), self.key, FORMAT)).encode(), digest_size=12).hexdigest()
        self.path = directory / f"{ident}.pack" if directory is not None else None
        self.stats = CacheStats()
        self._entries: dict[str, _Entry] = {}
        self._digests: dict[str, tuple[bytes, Stat | None, bytes | None]] = {}
        """(digest, stat, content of a stale file) as `stale` read them in this run, so that no file is read twice."""
        self._dirty = False
        self._loaded = False

    def new_run(self) -> None:
        """Start counting hits and misses afresh (the loader calls this for each load)."""
        self.stats = CacheStats()
        self._digests = {}

    def stale(self, files: Sequence[tuple[Path, str]]) -> list[tuple[Path, str]]:
        """The readable files of `files` (path, rel_path) whose entry is missing or out of date.

        With nothing cached, that is every file, and none is read here: whoever parses a file
        reads it once (`read_file`) and hands its digest to `add_parsed`."""
        self._load()
        if not self._entries:
            return list(files)
        out: list[tuple[Path, str]] = []
        for path, rel_path in files:
            entry = self._entries.get(rel_path)
            try:
                known = _digest(path, entry)
            except OSError:
                continue  # `tutorial` parses it, and the parser reports why
            if entry is None or entry.digest != known[0]:
                out.append((path, rel_path))
                self._digests[rel_path] = known  # with the bytes read: the parse reads no file again
            else:
                self._digests[rel_path] = (known[0], known[1], None)
        return out

    def add_parsed(self, rel_path: str, read: Read, tutorial: Tutorial | None = None,
                   findings: list[Diagnostic] | None = None, blob: bytes | None = None) -> None:
        """The entry of a file `stale` listed, parsed ahead of `tutorial` (with its per-file findings)
        from the content `read` (`read_file`'s digest and stat): either the tutorial itself or its
        blob as `_blob` packs it."""
        digest, stat = read
        self._entries[rel_path] = _Entry(digest, blob, tutorial, findings, stat=_valid_stat(stat), fresh=True)
        self._digests.pop(rel_path, None)
        self._dirty = True

    def read_ahead(self, path: Path, rel_path: str) -> tuple[bytes, Read]:
        """The content of a file `stale` listed and its (digest, stat): what `stale` read, else read now."""
        known = self._digests.get(rel_path)
        if known is not None and known[2] is not None:
            return known[2], (known[0], known[1])
        data, digest, stat = read_file(path)
        return data, (digest, stat)

    def tutorial(self, path: Path, rel_path: str, parse: Callable[[bytes | None], Tutorial]) -> Tutorial:
        """The tutorial of `path`: from the cache when its content is unchanged, else `parse(content)`
        (None: the file could not be read, and the parser says why)."""
        self._load()
        entry = self._entries.get(rel_path)
        if entry is not None and entry.fresh:
            entry.fresh = False
            tutorial = entry.tutorial if entry.tutorial is not None else _unpack(entry, path)
            if tutorial is not None:
                self.stats.misses += 1
                self.stats.parsed.append(rel_path)
                return tutorial
        known = self._digests.pop(rel_path, None)
        if known is None:  # `stale` did not see it (it keeps the content of every file it found stale)
            try:
                known = _digest(path, entry)
            except OSError:
                return self._miss(rel_path, lambda: parse(None))  # the parser reports why
        digest, stat, data = known
        if entry is not None and entry.digest == digest:
            # rel_path names the same file as long as the folder is the same: the pack is per folder.
            tutorial = entry.tutorial if entry.tutorial is not None else _unpack(entry, path)
            if tutorial is not None:
                self.stats.hits += 1
                if stat != entry.stat:
                    # A touched file, or one that has settled since it was hashed: saved, so that
                    # the next runs read it no more (a set just cloned would be read on every run).
                    entry.stat = stat
                    self._dirty = self._dirty or stat is not None
                return tutorial
        tutorial = self._miss(rel_path, lambda: parse(data))
        self._entries[rel_path] = _Entry(digest, None, tutorial, stat=stat)
        self._dirty = True
        return tutorial

    def findings(self, tutorial: Tutorial) -> list[Diagnostic] | None:
        """The per-file findings stored with this very tutorial, if any."""
        entry = self._entries.get(tutorial.rel_path)
        return entry.findings if entry is not None and entry.tutorial is tutorial else None

    def store_findings(self, tutorial: Tutorial, findings: list[Diagnostic]) -> None:
        entry = self._entries.get(tutorial.rel_path)
        if entry is not None and entry.tutorial is tutorial and entry.findings is None:
            entry.findings = findings
            entry.blob = None
            self._dirty = True

    def keep_only(self, rel_paths: set[str]) -> None:
        """Forget the entries of files that are gone."""
        for gone in set(self._entries) - rel_paths:
            del self._entries[gone]
            self._dirty = True

    def save(self) -> None:
        """Write the pack if anything changed; a cache that cannot be written is silently skipped."""
        if not self._dirty or self.path is None:
            self._dirty = False
            return
        packed: dict[str, tuple[bytes, pickle.PickleBuffer, Stat | None]] = {}
        for rel_path, entry in self._entries.items():
            if entry.blob is None:
                entry.blob = _blob(entry.tutorial, entry.findings)
            packed[rel_path] = (entry.digest, pickle.PickleBuffer(entry.blob), entry.stat)
        try:
            _write_atomically(self.path, (FORMAT, self.key, packed))
        except OSError:
            return
        self._dirty = False

    def _miss(self, rel_path: str, parse: Callable[[], Tutorial]) -> Tutorial:
        self.stats.misses += 1
        self.stats.parsed.append(rel_path)
        return parse()

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self.path is None:
            return
        try:
            data = self.path.read_bytes()
            if not data.startswith(_MAGIC):
                return
            fmt, key, packed = _read_pack(memoryview(data)[len(_MAGIC):])
            if fmt != FORMAT or key != self.key or not isinstance(packed, dict):
                return
            self._entries = {rel: _Entry(digest, blob, stat=_valid_stat(stat)) for rel, (digest, blob, stat) in packed.items()}
        except Exception:  # a damaged or foreign pack is a miss, whatever it raises
            self._entries = {}


def _blob(tutorial: Tutorial | None, findings: list[Diagnostic] | None) -> bytes:
    """An entry as stored: the tutorial without its body, blocks and steps (`deferred`) and its
    findings, after the CRC-32 of their pickle: damage to a field read only later must show when
    the entry is read, to make it a miss."""
    packed = pack(tutorial) if tutorial is not None else None
    data = pickle.dumps((packed, findings), protocol=pickle.HIGHEST_PROTOCOL)
    return zlib.crc32(data).to_bytes(4, "little") + data


def _digest(path: Path, entry: _Entry | None) -> tuple[bytes, Stat | None, bytes | None]:
    """(digest, stat if settled, content) of `path`: the entry's, unread (content None), when the
    file's stat is the entry's."""
    if entry is not None and entry.stat is not None and _stat_of(os.stat(path)) == entry.stat:
        return entry.digest, entry.stat, None
    data, digest, stat = read_file(path)
    return digest, stat, data


def read_file(path: Path) -> tuple[bytes, bytes, Stat | None]:
    """(content, its digest, the file's stat if settled): the content as the parser reads it
    (at most `_READ_LIMIT` bytes: a larger file is refused by the parser anyway)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        stat = os.fstat(fd)
        data = os.read(fd, min(stat.st_size + 1, _READ_LIMIT))
        if len(data) > stat.st_size:  # more than its size said (still being written): read on, to the limit
            parts, total = [data], len(data)
            while total < _READ_LIMIT and (chunk := os.read(fd, min(65536, _READ_LIMIT - total))):
                parts.append(chunk)
                total += len(chunk)
            data = b"".join(parts)
    finally:
        os.close(fd)
    settled = max(stat.st_mtime_ns, stat.st_ctime_ns) <= _now_ns() - SETTLED_NS
    return data, hashlib.blake2b(data, digest_size=16).digest(), _stat_of(stat) if settled else None


def _stat_of(stat: os.stat_result) -> Stat:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _now_ns() -> int:
    return time.time_ns()


def _valid_stat(stat: object) -> Stat | None:
    if isinstance(stat, tuple) and len(stat) == 4 and all(type(n) is int for n in stat):
        return stat  # type: ignore[return-value]
    return None


def _unpack(entry: _Entry, path: Path) -> Tutorial | None:
    """Fill the entry from its blob; None (a miss) when the blob does not hold a tutorial."""
    blob = memoryview(entry.blob or b"")
    try:
        if zlib.crc32(blob[4:]) != int.from_bytes(blob[:4], "little"):
            return None
        packed, findings = pickle.loads(blob[4:])
        tutorial = restore(packed, path, entry.digest)
    except Exception:
        return None
    if not (findings is None or isinstance(findings, list)):
        return None
    entry.tutorial, entry.findings = tutorial, findings
    return tutorial


def memory_cache(folder: Path, options: tuple[str, ...], current: ModelCache | None) -> ModelCache:
    """An in-memory cache for `folder` and `options`: `current` if it is for them, else a new one."""
    if current is not None and current.path is None and current.folder == folder.resolve() and current.key[2:] == options:
        return current
    return ModelCache(folder, options, None)


def open_cache(folder: Path, options: tuple[str, ...], enabled: bool = True) -> ModelCache | None:
    """The on-disk cache of `folder`, or None when disabled (`--no-cache`)."""
    if not enabled:
        return None
    return ModelCache(folder, options, cache_directory())


def cache_directory() -> Path:
    explicit = os.environ.get("TUTOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tutor" / "models"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Size and mtime of every engine module: an edited parser (same version number) invalidates."""
    digest = hashlib.blake2b(digest_size=12)
    for name, stat in sorted(_modules(str(Path(__file__).parent), "")):
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _modules(folder: str, prefix: str) -> list[tuple[str, os.stat_result]]:
    """(path under the engine, stat) of the .py files under `folder`, with `os.scandir`: every
    run of the command computes this, and `Path.rglob` with a stat per file cost 2 ms of it."""
    found: list[tuple[str, os.stat_result]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                found.extend(_modules(entry.path, f"{prefix}{entry.name}/"))
            elif entry.name.endswith(".py"):
                found.append((prefix + entry.name, entry.stat()))
        except OSError:
            continue
    return found


def _write_atomically(path: Path, pack: object) -> None:
    """Write `pack` to a temporary file, then rename it over `path`.

    Its entries' blobs (`PickleBuffer`s) go out of band, after the pickle of the rest and the
    list of their lengths, each written from where it lies: read back (`_read_pack`), each blob
    is a view of the one buffer the file was read into. Unpickled in band, each was copied into
    a new object: 40 MB of fresh memory for 5,000 tutorials, a tenth of a warm lint."""
    blobs: list[pickle.PickleBuffer] = []
    rest = pickle.dumps(pack, protocol=5, buffer_callback=blobs.append)
    lengths = array("Q", [len(rest), *(blob.raw().nbytes for blob in blobs)])
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC)
            handle.write(len(lengths).to_bytes(8, "little"))
            handle.write(lengths.tobytes())
            handle.write(rest)
            for blob in blobs:
                handle.write(blob)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _read_pack(data: memoryview) -> Any:
    """What `_write_atomically` wrote (after its magic), each blob a view of `data`. Raises on a
    damaged pack (too short, lengths past its end, a pickle that does not load)."""
    count = int.from_bytes(data[:8], "little")
    header = 8 + 8 * count
    if count < 1 or header > len(data):
        raise ValueError("the pack's header is damaged")
    lengths = array("Q")
    lengths.frombytes(data[8:header])
    if sum(lengths) + header != len(data):
        raise ValueError("the pack's lengths do not add up")
    views = []
    offset = header + lengths[0]
    for length in lengths[1:]:
        views.append(data[offset:offset + length])
        offset += length
    return pickle.loads(data[header:header + lengths[0]], buffers=views)
