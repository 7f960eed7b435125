"""What is done on this host: one JSON file per host, rewritten atomically after every change.

Location: `--state-dir`, else `$TUTOR_STATE_DIR`, else `$XDG_STATE_HOME/tutor/`, else
`/var/lib/tutor/` as root and `~/.local/state/tutor/` otherwise. The file is `state.json`,
one line per top-level key and one per tutorial (shown wrapped here):

    {"schema": 1, "host": "tdx-01", "updated": "2025-12-07T10:00:03+00:00",
     "tutorials": {"guest-image-setup": {
         "title": "…", "path": "…", "status": "done", "started": "…", "ended": "…",
         "variables": {"DSTACK_VERSION": "0.5.5"},
         "provides": [{"sentence": "…", "passed": true, "found": "…", "id": "guest-images", "checked": "…"}],
         "steps": [{"number": 1, "title": "…", "status": "done", "exit_code": 0,
                    "started": "…", "ended": "…", "hash": "sha256:…",
                    "probes": [{"sentence": "…", "passed": true, "found": "…", "id": null, "checked": "…"}],
                    "reason": "", "warnings": [], "cwd": "/root", "exports": {"WORK": "/tmp/w"},
                    "withheld": ["DB_PASSWORD"], "variable_hashes": {"DSTACK_VERSION": "hmac-sha256:…"}}]}}}

A tutorial's status is running, done, failed, interrupted or partial (its selected steps
passed, others are not done); a step's is running, done, failed, interrupted or skipped
(a confirmation was declined). `variables` and `exports` hold only values that are not secret;
`withheld` names the secrets a step exported, and `variable_hashes` holds keyed hashes only.
The file is 0600 in a 0700 folder.

Several runs may share the file (different tutorials at once): each save takes a lock,
re-reads the file if another process wrote it since, and replaces only its own tutorial's
entry. Strings pass through the run's redactor before they are written.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_atomically
from ..errors import TutorError
from ..textsafe import excerpt, storable
from . import json_fields as F
from .status import STEP_STATUSES, TUTORIAL_STATUSES, Status

SCHEMA = 1
STATE_FILE = "state.json"
LOCK_FILE = "state.lock"
MAX_STEP = 1_000_000
"""Step numbers in a state file are checked against this (a tutorial has far fewer steps)."""
MAX_EXIT = 65_535
_STEP_WORDS = frozenset(s.value for s in STEP_STATUSES)
_TUTORIAL_WORDS = frozenset(s.value for s in TUTORIAL_STATUSES)


def now() -> str:
    """Local time with its offset, to the second: what a person reads in `tutor status`."""
    return _dt.datetime.now(_dt.timezone.utc).astimezone().isoformat(timespec="seconds")


def state_dir(option: str | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The state folder, by the documented order of precedence."""
    env = os.environ if environ is None else environ
    if option:
        return Path(option).expanduser()
    if env.get("TUTOR_STATE_DIR"):
        return Path(env["TUTOR_STATE_DIR"]).expanduser()
    if env.get("XDG_STATE_HOME"):
        return Path(env["XDG_STATE_HOME"]).expanduser() / "tutor"
    if os.geteuid() == 0:
        return Path("/var/lib/tutor")
    return Path(env.get("HOME") or Path.home()).expanduser() / ".local" / "state" / "tutor"


@dataclass
class ProbeRecord:
    sentence: str
    passed: bool
    found: str = ""
    id: str | None = None
    checked: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence, "passed": self.passed, "found": self.found, "id": self.id, "checked": self.checked}


@dataclass
class StepRecord:
    number: int
    title: str
    status: str
    hash: str
    exit_code: int | None = None
    started: str | None = None
    ended: str | None = None
    probes: list[ProbeRecord] = field(default_factory=list)
    reason: str = ""
    """Why the step is not done, in words (the failing line, the probe, the interruption)."""
    warnings: list[str] = field(default_factory=list)
    cwd: str | None = None
    """The shell's working folder when the step ended, so a resumed run starts there."""
    exports: dict[str, str] = field(default_factory=dict)
    """What the shell exported by then beyond its starting environment (PATH and what sourced
    files set included; never a secret), for the same reason."""
    withheld: list[str] = field(default_factory=list)
    """Names of exported secrets left out of `exports` (their values are never written)."""
    variable_hashes: dict[str, str] = field(default_factory=dict)
    """Keyed hash of the value of each variable the step uses, as it ran (see `fingerprints`)."""
    checks_after_reboot: bool = False
    """The step ended with a `reboot` block and its checks have not passed since: the next run makes them."""

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "status": self.status, "exit_code": self.exit_code,
                "started": self.started, "ended": self.ended, "hash": self.hash,
                "probes": [p.as_dict() for p in self.probes], "reason": self.reason, "warnings": list(self.warnings),
                "cwd": self.cwd, "exports": dict(self.exports), "withheld": list(self.withheld),
                "variable_hashes": dict(self.variable_hashes), "checks_after_reboot": self.checks_after_reboot}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "step") -> StepRecord:
        """Raises `BadField` for a field of the wrong type or out of range."""
        data = F.object_at(data, where)
        return cls(number=F.integer(data, "number", where, 0, MAX_STEP),
                   title=F.text(data, "title", where, ""),
                   status=F.word(data, "status", where, _STEP_WORDS),
                   hash=F.text(data, "hash", where),
                   exit_code=F.optional_integer(data, "exit_code", where, -MAX_EXIT, MAX_EXIT),
                   started=F.optional_text(data, "started", where),
                   ended=F.optional_text(data, "ended", where),
                   probes=_probes(data, "probes", where),
                   reason=F.text(data, "reason", where, ""),
                   warnings=F.text_list(data, "warnings", where),
                   cwd=F.optional_text(data, "cwd", where),
                   exports=F.name_map(data, "exports", where),
                   withheld=F.text_list(data, "withheld", where),
                   variable_hashes=F.name_map(data, "variable_hashes", where),
                   checks_after_reboot=F.boolean(data, "checks_after_reboot", where, False))


@dataclass
class TutorialRecord:
    slug: str
    title: str = ""
    path: str = ""
    status: str = Status.RUNNING
    started: str | None = None
    ended: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    """Values of the non-secret variables of the last run, to re-check `provides` probes later."""
    provides: list[ProbeRecord] = field(default_factory=list)
    steps: list[StepRecord] = field(default_factory=list)

    def step(self, number: int) -> StepRecord | None:
        for record in self.steps:
            if record.number == number:
                return record
        return None

    def put_step(self, record: StepRecord) -> None:
        self.steps = [s for s in self.steps if s.number != record.number] + [record]
        self.steps.sort(key=lambda s: s.number)

    @classmethod
    def from_dict(cls, slug: str, data: Mapping[str, Any]) -> TutorialRecord:
        """Raises `BadField` for a field of the wrong type or out of range."""
        where = f"tutorials.{excerpt(slug)}"
        data = F.object_at(data, where)
        steps = [StepRecord.from_dict(s, f"{where}.steps[{i}]") for i, s in enumerate(F.entries(data, "steps", where))]
        return cls(slug=slug, title=F.text(data, "title", where, ""), path=F.text(data, "path", where, ""),
                   status=F.word(data, "status", where, _TUTORIAL_WORDS, Status.RUNNING.value),
                   started=F.optional_text(data, "started", where), ended=F.optional_text(data, "ended", where),
                   variables=F.name_map(data, "variables", where), provides=_probes(data, "provides", where),
                   steps=steps)

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "path": self.path, "status": self.status, "started": self.started,
                "ended": self.ended, "variables": dict(self.variables), "provides": [p.as_dict() for p in self.provides],
                "steps": [s.as_dict() for s in self.steps]}


def _probes(data: Mapping[str, Any], key: str, where: str) -> list[ProbeRecord]:
    records = []
    for index, item in enumerate(F.entries(data, key, where)):
        at = f"{where}.{key}[{index}]"
        item = F.object_at(item, at)
        records.append(ProbeRecord(sentence=F.text(item, "sentence", at, ""), passed=F.boolean(item, "passed", at),
                                   found=F.text(item, "found", at, ""), id=F.optional_text(item, "id", at),
                                   checked=F.text(item, "checked", at, "")))
    return records


class StateError(TutorError):
    """The state file exists but cannot be used."""


class StateStore:
    """The state file of one host. Reading never creates anything; saving creates the folder."""

    def __init__(self, directory: Path, redact: Callable[[str], str] | None = None) -> None:
        self.directory = directory
        self.path = directory / STATE_FILE
        self.redact = redact
        """Applied to every string before it is written; None when the run has no secrets."""
        self._written: tuple[int, int, int, int] | None = None
        self._entries: dict[str, str] = {}
        self._scrubbed_steps: dict[str, Any] = {}
        """Each step of the last save, scrubbed, by its repr: a save scrubs only the steps that changed."""
        self._scrubbed_with: object = None
        """Each tutorial's entry as JSON text, as of the last read or write of this store."""

    def load(self) -> dict[str, TutorialRecord]:
        """Every tutorial's entry, each field type-checked: a file that is not what tutor writes
        is a `StateError` naming the field, never a record with the wrong types in it."""
        tutorials = self._read().get("tutorials") or {}
        try:
            return {slug: TutorialRecord.from_dict(slug, entry) for slug, entry in tutorials.items()}
        except F.BadField as exc:
            raise self._unusable(str(exc)) from None

    def get(self, slug: str) -> TutorialRecord | None:
        return self.load().get(slug)

    def save(self, record: TutorialRecord, durable: bool = False) -> None:
        """Replace `record.slug`'s entry; other tutorials' entries stay as another run left them.

        Every save is atomic (a kill -9 leaves the old file or the new one); a `durable` one is
        also flushed to disk before the rename, so it survives a power cut. The runner asks for
        that at the end of a run, not after every step, where it would cost milliseconds each.
        """
        entry = self._scrubbed(record)
        self._ensure_directory()
        with self._locked():
            if self._written is None or _file_key(self.path) != self._written:
                # Someone else wrote the file since (or this store never did): take their entries.
                self._entries = {slug: json.dumps(value, ensure_ascii=False)
                                 for slug, value in (self._read().get("tutorials") or {}).items()}
            self._entries[record.slug] = json.dumps(entry, ensure_ascii=False)
            self._entries = dict(sorted(self._entries.items()))
            try:
                write_atomically(self.path, _compose(self._entries), durable=durable, mode=0o600)
            except OSError as exc:  # a full disk, a read-only folder: the old file is still there, whole
                self._written = None
                raise StateError(f"cannot write the state file: {exc.strerror or exc}",
                                 "free some space there, or pass --state-dir with a folder you can write",
                                 path=str(self.path)) from None
            self._written = _file_key(self.path)

    def _scrubbed(self, record: TutorialRecord) -> dict[str, Any]:
        """`record` as stored. Scrubbing every step at every save made a run quadratic in its steps;
        a step already scrubbed with the same secrets (the redactor's version) is reused."""
        redact = self.redact if self.redact is not None else _unchanged
        version = getattr(redact, "version", None)
        if redact is not _unchanged and version is None:  # a masker that cannot say it changed
            return _scrub(record.as_dict(), redact)
        if (redact, version) != self._scrubbed_with:
            self._scrubbed_steps, self._scrubbed_with = {}, (redact, version)
        previous, self._scrubbed_steps = self._scrubbed_steps, {}
        data = record.as_dict()

        def step(raw: dict[str, Any]) -> Any:
            key = repr(raw)  # as_dict builds its keys in one order; repr is 4x cheaper than json.dumps
            done = previous.get(key)
            if done is None:
                done = _scrub(raw, redact, "steps")
            self._scrubbed_steps[key] = done
            return done

        return {key: [step(raw) for raw in value] if key == "steps" else _scrub(value, redact, key)
                for key, value in data.items()}

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {"schema": SCHEMA, "tutorials": {}}
        except OSError as exc:
            raise StateError(f"cannot read the state file: {exc.strerror or exc}", "check its permissions, or pass --state-dir",
                             path=str(self.path)) from None
        if not raw.strip():
            raise self._unusable("it is empty")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise self._unusable(f"it holds bytes that are not UTF-8 text (at byte {exc.start})") from None
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise self._unusable(f"it is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, NaN, nesting deeper than Python goes
            raise self._unusable(f"it is not JSON tutor can read ({str(exc)[:120] or type(exc).__name__})") from None
        if not isinstance(data, dict):
            raise self._unusable(f"it holds {excerpt(data)}, which is not a tutor state file")
        if not isinstance(data.get("tutorials", {}), dict):
            raise self._unusable(f"its `tutorials` is {excerpt(data.get('tutorials'))}, not an object")
        schema = data.get("schema")
        if isinstance(schema, bool) or not isinstance(schema, int) or not 1 <= schema <= SCHEMA:
            raise self._unusable(f"its schema version {excerpt(schema)} is not one this tutor reads (it reads {SCHEMA})")
        return data

    def _unusable(self, why: str) -> StateError:
        return StateError(f"the state file cannot be used: {why}",
                          f"move it aside (mv {self.path} {self.path}.bak) to start with an empty state, or pass --state-dir",
                          path=str(self.path))

    def _ensure_directory(self) -> None:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StateError(f"cannot create the state folder: {exc.strerror or exc}",
                             "pass --state-dir with a folder you can write, or set TUTOR_STATE_DIR",
                             path=str(self.directory)) from None

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            handle = open(self.directory / LOCK_FILE, "a")
        except OSError as exc:
            raise StateError(f"cannot write in the state folder: {exc.strerror or exc}",
                             "pass --state-dir with a folder you can write, or set TUTOR_STATE_DIR",
                             path=str(self.directory)) from None
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class RunLock:
    """One run of a tutorial at a time on a host; released by the kernel if the process dies."""

    def __init__(self, directory: Path, slug: str) -> None:
        self.path = directory / f"run-{slug}.lock"
        self._handle: Any = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle = open(self.path, "a+")
        except OSError as exc:
            raise StateError(f"cannot write in the state folder: {exc.strerror or exc}",
                             "pass --state-dir with a folder you can write, or set TUTOR_STATE_DIR",
                             path=str(self.path.parent)) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StateError(f"another `tutor run` of this tutorial is in progress on this host (pid {holder})",
                             "wait for it to finish, or stop it first") from None
        try:
            os.ftruncate(handle.fileno(), 0)
            os.pwrite(handle.fileno(), str(os.getpid()).encode(), 0)  # unbuffered: nothing left to fail at close
        except OSError as exc:
            handle.close()
            raise StateError(f"cannot write in the state folder: {exc.strerror or exc}",
                             "free some space there, or pass --state-dir with a folder you can write",
                             path=str(self.path.parent)) from None
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def is_held(self) -> bool:
        """A live `tutor run` of this tutorial holds the lock (a killed one does not: the kernel freed it)."""
        try:
            with open(self.path, "a+") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return True
                fcntl.flock(handle, fcntl.LOCK_UN)
        except OSError:
            return False
        return False


def settle_killed(record: TutorialRecord, directory: Path) -> TutorialRecord:
    """A record that says "running" while no run holds its lock was left by a run that was killed
    (kill -9, a power cut): it, and its running step, read as interrupted."""
    if record.status != Status.RUNNING or RunLock(directory, record.slug).is_held():
        return record
    record.status = Status.INTERRUPTED
    for step in record.steps:
        if step.status == Status.RUNNING:
            step.status = Status.INTERRUPTED
            step.reason = step.reason or "the run was killed"
    return record


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number tutor writes")


_VERBATIM = frozenset({"status", "hash", "started", "ended", "checked", "id", "path", "title", "number", "exit_code", "passed",
                       "withheld", "variable_hashes"})
"""Fields of tutor's own making or the tutorial's (statuses, hashes, times, the file, titles): never
masked, so that a one-letter secret cannot turn "done" into "d***ne" and make the file unreadable."""
_REUSED = frozenset({"variables", "exports"})
"""Values a resumed run puts back into the shell: one that holds a secret is left out, never stored masked."""


def _unchanged(text: str) -> str:
    return text


def _scrub(value: Any, redact: Callable[[str], str], key: str = "") -> Any:
    """`value` with secrets masked in its free text (reasons, warnings, what a probe found), and
    every text one a UTF-8 JSON file can hold (see `storable`)."""
    if key in _REUSED and isinstance(value, dict):
        return {k: v for k, v in value.items() if not isinstance(v, str) or redact(storable(v)) == v}
    if key == "cwd" and isinstance(value, str):
        return value if redact(storable(value)) == value else None
    if isinstance(value, str):
        value = storable(value)
        return value if key in _VERBATIM or not value else redact(value)
    if key in _VERBATIM:
        return value
    if isinstance(value, dict):
        return {k: _scrub(v, redact, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, redact, key) for v in value]
    return value


def _compose(entries: Mapping[str, str]) -> str:
    """The file: one line per top-level key and one per tutorial, so it reads and diffs well.

    Entries stay compact JSON: `json.dumps` with `indent` falls back to the pure-Python
    encoder, which would cost a long tutorial milliseconds per step.
    """
    head = [f'  "schema": {SCHEMA}', f'  "host": {json.dumps(os.uname().nodename)}', f'  "updated": {json.dumps(now())}']
    body = ",\n".join(f"    {json.dumps(slug)}: {text}" for slug, text in entries.items())
    tutorials = f'  "tutorials": {{\n{body}\n  }}' if entries else '  "tutorials": {}'
    return "{\n" + ",\n".join([*head, tutorials]) + "\n}\n"


def _file_key(path: Path) -> tuple[int, int, int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_ctime_ns, info.st_size

