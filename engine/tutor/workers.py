"""A cold load on both cores: forked processes parse part of the files the cache misses.

Each file is parsed and its per-file rules run (`lint.file_findings`) by whichever process
takes its batch from a shared queue (the parent is one of them), at the same time. A worker
hands its entries back already packed as the cache stores them (`cache._blob`), so the parent
only unpacks them, as on a warm run, and writes them to the pack without packing again.

Only where it pays and is safe: with a cache, at least `MIN_FILES` files to parse, more than
one usable core that the load average says is spare, `os.fork` available, and no other thread in the process (forking a threaded
process, such as `mkdocs serve`'s, can deadlock). A worker that fails in any way leaves its
files to the parent, which parses them as usual: the result is the same, only slower.
"""

from __future__ import annotations

import io
import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from .cache import ModelCache, Read, _blob, read_file
from .diagnostics import Diagnostic
from .model import Tutorial

MIN_FILES = 64
"""Below this many files to parse, a fork costs more than it saves."""

Entry = tuple[str, Read, bytes]
"""What a worker hands back for a file: its rel_path, its (digest, stat) and its packed entry."""
Parse = Callable[[Path, str, bytes], Tutorial]
"""Parses one file (path, rel_path, its content) as the loader would."""


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def spare_cores() -> float:
    """Cores that nothing else keeps busy: by the load average of the last minute, or by the
    tasks running right now (`/proc/loadavg`) when they are fewer. The load average lags a
    minute behind: just after a build or a test run it still says busy while the cores are
    idle. One unit of either is this very process, so that one is not counted: measured on 2
    cores, a worker still paid at a load of 2 to 3, and cost at 6 to 9."""
    cores = usable_cores()
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):
        busy = 0.0
    running = running_now()
    if running is not None:
        busy = min(busy, running)
    return cores - max(0.0, busy - 1.0)


def running_now() -> int | None:
    """Tasks running or ready to run at this moment, this process included (None where /proc cannot tell)."""
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            return int(handle.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None


def worker_count(files: int) -> int:
    """How many processes to fork for `files` files to parse (0: parse them all here).

    One per spare core but the parent's: on a machine kept busy by other work, the
    processes only share the same cores, and the extra packing makes the whole slower."""
    if files < MIN_FILES or not hasattr(os, "fork") or threading.active_count() > 1:
        return 0
    spare = int(spare_cores() + 0.5)
    return max(0, min(usable_cores(), spare, files // (MIN_FILES // 2)) - 1)


def parse_ahead(cache: ModelCache, files: Sequence[tuple[Path, str]], parse: Parse) -> None:
    """Parse the stale ones of `files` (path, rel_path) into `cache`, on every core, when that pays."""
    stale = cache.stale(files)
    workers = worker_count(len(stale))
    if workers <= 0:
        return
    try:
        queue = _Queue(len(stale))
    except OSError:
        return
    started = [_fork(stale, queue, parse) for _ in range(workers)]
    collected: list[list[Entry]] = []
    finished = False
    try:
        for path, rel_path in queue.claimed(stale):
            try:
                data, read = cache.read_ahead(path, rel_path)
            except OSError:
                continue  # parsed by the loader, which says why it cannot be read
            tutorial = parse(path, rel_path, data)
            findings = _findings(tutorial)
            # Packed now, while the workers pack theirs, not in `save` once they are done.
            cache.add_parsed(rel_path, read, tutorial=tutorial, findings=findings, blob=_blob(tutorial, findings))
        finished = True
    finally:  # also when the parent fails or is interrupted: no worker is left behind
        if not finished:
            queue.drain()  # the workers stop after the files they hold
        collected = [_collect(pid, output) for pid, output in started]
        queue.close()
    for entries in collected:
        for rel_path, read, blob in entries:
            cache.add_parsed(rel_path, read, blob=blob)


class _Queue:
    """The files to parse, handed out a few at a time to whichever process asks first.

    A pipe filled before the fork with one 4-byte record per batch: a read of one record
    takes a whole record (the records are all written at once, and a pipe read holds the
    pipe's lock), so each batch goes to exactly one process, and the end of the pipe means
    nothing is left. A static split made one process wait for the other on a busy machine."""

    RECORD = 4
    MAX_RECORDS = 8192
    """At most this many batches (32 KiB: a pipe holds 64 KiB, unless the user has too many)."""

    def __init__(self, files: int) -> None:
        self.files = files
        self.batch = max(4, -(-files // self.MAX_RECORDS))
        self._read, write = os.pipe()
        try:
            records = b"".join(start.to_bytes(self.RECORD, "little") for start in range(0, files, self.batch))
            os.set_blocking(write, False)  # a pipe the system made smaller refuses (no worker), never blocks
            written = os.write(write, records)
            if written != len(records):
                raise OSError("the pipe took only part of the queue")
        except OSError:
            os.close(self._read)
            raise
        finally:
            os.close(write)

    def claimed(self, items: Sequence[tuple[Path, str]]) -> Iterator[tuple[Path, str]]:
        """The items of the batches this process takes, until none is left."""
        while True:
            try:
                record = os.read(self._read, self.RECORD)
            except OSError:
                return
            if len(record) != self.RECORD:
                return
            start = int.from_bytes(record, "little")
            yield from items[start : min(start + self.batch, self.files)]

    def drain(self) -> None:
        try:
            while os.read(self._read, 65536):
                pass
        except OSError:
            pass

    def close(self) -> None:
        os.close(self._read)


def _findings(tutorial: Tutorial) -> list[Diagnostic] | None:
    """What `lint_set` would find in the tutorial with the per-file families (it runs none on an unreadable file)."""
    from .lint import file_findings

    return file_findings(tutorial) if tutorial.readable else None


def _fork(stale: Sequence[tuple[Path, str]], queue: _Queue, parse: Parse) -> tuple[int, IO[bytes]] | tuple[None, None]:
    """Start a worker on the batches of `queue`; its entries go to an unnamed file in memory
    (or a temporary file), not a pipe, so that it never waits for the parent, which is busy
    parsing its own batches. Each entry is written as soon as it is packed: when the last
    batch is done, nothing is left to write but a buffer."""
    try:
        output = _unnamed_file()
    except OSError:
        return None, None
    try:
        pid = os.fork()
    except OSError:
        output.close()
        return None, None
    if pid == 0:  # the worker: never returns
        code = 1
        try:
            _work(queue.claimed(stale), parse, output)
            output.flush()
            code = 0
        finally:
            os._exit(code)
    return pid, output


def _unnamed_file() -> IO[bytes]:
    """A file no other process can open: in memory where the system can (`memfd_create`: the
    entries of 500 tutorials are 8 MB, which a disk file pays for in page-cache writes), else
    a temporary file."""
    memfd = getattr(os, "memfd_create", None)
    if memfd is not None:
        try:
            return open(memfd("tutor-parse", getattr(os, "MFD_CLOEXEC", 0)), "w+b", buffering=_BUFFER)
        except OSError:
            pass
    return tempfile.TemporaryFile(buffering=_BUFFER)


_BUFFER = 256 * 1024


def _work(share: Iterable[tuple[Path, str]], parse: Parse, output: IO[bytes]) -> None:
    """What a worker does: read and parse its share, pack each entry as the cache stores it,
    and write it to `output` at once."""
    for path, rel_path in share:
        try:
            data, digest, stat = read_file(path)
        except OSError:
            continue  # left to the parent, whose loader says why it cannot be read
        tutorial = parse(path, rel_path, data)
        entry: Entry = (rel_path, (digest, stat), _blob(tutorial, _findings(tutorial)))
        pickle.dump(entry, output, protocol=pickle.HIGHEST_PROTOCOL)


def _collect(pid: int | None, output: IO[bytes] | None) -> list[Entry]:
    """The entries a worker wrote; none (the parent parses its files) if it failed."""
    if pid is None or output is None:
        return []
    with output:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return []
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return []
        entries = []
        try:
            output.seek(0)
            written = io.BytesIO(output.read())  # one read: unpickled from a file, each entry costs a few reads
            while True:
                try:
                    entry = pickle.load(written)
                except EOFError:
                    break
                if not _well_formed(entry):
                    return []
                entries.append(entry)
        except Exception:  # noqa: BLE001 - whatever went wrong, the parent parses the files itself
            return []
    return entries


def _well_formed(entry: object) -> bool:
    if not (isinstance(entry, tuple) and len(entry) == 3):
        return False
    rel_path, read, blob = entry
    return (isinstance(rel_path, str) and isinstance(blob, bytes) and isinstance(read, tuple) and len(read) == 2
            and isinstance(read[0], bytes) and (read[1] is None or isinstance(read[1], tuple)))
