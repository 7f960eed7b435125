"""One check per probe type: a single attempt against the host, on a probe whose variables are expanded.

A check never raises for what it finds on the host: a missing file, a refused connection
or a command that hangs all become the short `found` text of a failed outcome.
`registry` says which check belongs to which probe type.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .durations import SIZE_UNITS, format_duration, format_size
from .spec import (
    CommandProbe, DirProbe, DiskProbe, EnvProbe, FileProbe, HttpProbe, LogProbe, PortProbe, Probe,
    ProcessProbe, ServiceProbe,
)

EXCERPT = 200
"""Characters of output or content shown in `found`."""
MAX_BODY = 10 * 2**20
"""An HTTP body is read up to this size; probes check services, not downloads."""
_READ_BLOCK = 2**20
_JSON_STEP = re.compile(r"\[(-?\d+)\]|([^.\[\]]+)")


@dataclass(frozen=True)
class Outcome:
    passed: bool
    found: str


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """Output on one line, cut to `limit` characters."""
    flat = " ⏎ ".join(line.rstrip("\r") for line in text.strip().split("\n"))
    return flat if len(flat) <= limit else flat[:limit] + "…"


def _code(text: str) -> str:
    return f"``{text}``" if "`" in text else f"`{text}`"


def _os_error(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


# --- file and dir ---


def check_file(probe: FileProbe) -> Outcome:
    try:
        info = os.stat(probe.subject)
    except (FileNotFoundError, NotADirectoryError):
        return Outcome(not probe.exists, "no such file")
    except OSError as exc:
        return Outcome(False, f"cannot check it: {_os_error(exc)}")
    if stat.S_ISDIR(info.st_mode):
        return Outcome(False, "a directory is there, not a file")
    if not probe.exists:
        return Outcome(False, "the file exists")
    problems: list[str] = []
    mode = stat.S_IMODE(info.st_mode)
    if probe.mode is not None and mode != probe.mode:
        problems.append(f"mode {mode:04o}")
    try:
        if probe.sha256 is not None:
            expected = probe.sha256.strip().lower()
            if not re.fullmatch(r"[0-9a-f]{64}", expected):  # from a variable: fields.sha256 checked the rest
                return Outcome(False, f"the expected SHA-256 is not 64 hexadecimal characters ({len(expected)} characters)")
            digest = _sha256_of(probe.subject)
            if digest != expected:
                problems.append(f"SHA-256 {digest[:16]}…")
        if probe.contains or probe.matches is not None:
            content = Path(probe.subject).read_text(encoding="utf-8", errors="replace")
            problems += [f"does not contain {_code(text)}" for text in probe.contains if text not in content]
            if probe.matches is not None and not re.search(probe.matches, content, re.MULTILINE):
                problems.append(f"nothing in it matches {_code(probe.matches)}")
    except OSError as exc:
        return Outcome(False, f"cannot read it: {_os_error(exc)}")
    return Outcome(not problems, "; ".join(problems) if problems else f"exists (mode {mode:04o})")


def _sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_READ_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def check_dir(probe: DirProbe) -> Outcome:
    try:
        info = os.stat(probe.subject)
    except (FileNotFoundError, NotADirectoryError):
        return Outcome(not probe.exists, "no such directory")
    except OSError as exc:
        return Outcome(False, f"cannot check it: {_os_error(exc)}")
    if not stat.S_ISDIR(info.st_mode):
        return Outcome(False, "a file is there, not a directory")
    if not probe.exists:
        return Outcome(False, "the directory exists")
    mode = stat.S_IMODE(info.st_mode)
    if probe.mode is not None and mode != probe.mode:
        return Outcome(False, f"mode {mode:04o}")
    return Outcome(True, f"exists (mode {mode:04o})")


# --- command ---


def check_command(probe: CommandProbe, environment: Mapping[str, str]) -> Outcome:
    """Run `bash -c` in its own process group, so a timeout stops everything it started."""
    if probe.cwd and not os.path.isdir(probe.cwd):
        return Outcome(False, f"no such directory: {probe.cwd}")
    try:
        process = subprocess.Popen(
            ["bash", "-c", probe.subject],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=probe.cwd or None, env=dict(environment), start_new_session=True,
        )
    except FileNotFoundError:
        return Outcome(False, "bash not found on this host")
    except OSError as exc:
        return Outcome(False, f"cannot start it: {_os_error(exc)}")
    try:
        out, err = process.communicate(timeout=probe.timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        return Outcome(False, f"no result within {format_duration(probe.timeout)}; stopped it")
    stdout = out.decode("utf-8", errors="replace")
    stderr = err.decode("utf-8", errors="replace")
    code = process.returncode
    passed = (
        code == probe.exit
        and (probe.stdout is None or re.search(probe.stdout, stdout, re.MULTILINE) is not None)
        and (probe.stderr is None or re.search(probe.stderr, stderr, re.MULTILINE) is not None)
    )
    found = [f"killed by signal {-code}" if code < 0 else f"exit {code}"]
    if stdout.strip():
        found.append(f"stdout: {excerpt(stdout)}")
    if stderr.strip():
        found.append(f"stderr: {excerpt(stderr)}")
    return Outcome(passed, "; ".join(found))


def _stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    try:
        process.communicate(timeout=2)
    except subprocess.TimeoutExpired:
        # Something left the group and still holds the pipes: do not wait for it.
        for pipe in (process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
        process.wait()


# --- http ---


def check_http(probe: HttpProbe) -> Outcome:
    # Imported here: the linter and the site load this module (through the registry) without them.
    import http.client
    import ssl
    import urllib.error
    import urllib.request

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        """The probe checks the URL itself: a redirect is an answer, not something to follow."""

        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if _is_loopback(probe.subject):
        handlers.append(urllib.request.ProxyHandler({}))  # a proxy cannot reach this host's own services
    if probe.insecure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    try:
        request = urllib.request.Request(probe.subject, method=probe.method, headers=probe.headers)
        try:
            with opener.open(request, timeout=probe.timeout) as response:
                status, raw, charset = response.status, response.read(MAX_BODY), response.headers.get_content_charset()
        except urllib.error.HTTPError as error:
            status, raw, charset = error.code, error.read(MAX_BODY), error.headers.get_content_charset()
            error.close()
    except urllib.error.URLError as exc:
        return Outcome(False, _network_problem(exc.reason, probe.timeout))
    except (OSError, ValueError, http.client.HTTPException) as exc:  # a bad URL after expansion, a broken reply
        return Outcome(False, _network_problem(exc, probe.timeout))

    problems: list[str] = []
    if probe.status and status not in probe.status:
        problems.append("expected " + " or ".join(map(str, probe.status)))
    elif not probe.status and not 200 <= status < 400:
        problems.append("expected a 2xx or 3xx status")
    body = raw.decode(charset or "utf-8", errors="replace") if raw else ""
    if probe.body is not None and not re.search(probe.body, body, re.MULTILINE):
        problems.append(f"the body does not match {_code(probe.body)} (body: {excerpt(body) or 'empty'})")
    if probe.json:
        problems += _json_problems(probe.json, body)
    return Outcome(not problems, "; ".join([f"status {status}"] + problems))


def _is_loopback(url: str) -> bool:
    import urllib.parse

    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _network_problem(reason: object, timeout: float) -> str:
    import ssl

    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {format_duration(timeout)}"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"certificate not trusted ({reason.verify_message}); for a self-signed certificate add insecure: true"
    if isinstance(reason, socket.gaierror):
        return f"host not found ({reason.strerror})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower()
    return str(reason) or type(reason).__name__


def _json_problems(checks: Mapping[str, object], body: str) -> list[str]:
    try:
        document = json.loads(body)
    except ValueError:
        return [f"the body is not JSON (body: {excerpt(body) or 'empty'})"]
    problems = []
    for path, expected in checks.items():
        found, actual = _json_at(document, path)
        if not found:
            problems.append(f"{_code(path)} is missing")
        elif not _json_equal(expected, actual):
            shown = excerpt(json.dumps(actual), 80)
            wanted = f"matching {_code(expected[1:])}" if isinstance(expected, str) and expected.startswith("~") \
                else json.dumps(expected, default=str)
            problems.append(f"{_code(path)} is {shown}, expected {wanted}")
    return problems


def _json_at(document: object, path: str) -> tuple[bool, object]:
    current = document
    for index, key in _JSON_STEP.findall(path):
        if index:
            if not isinstance(current, list) or not -len(current) <= int(index) < len(current):
                return False, None
            current = current[int(index)]
        else:
            if not isinstance(current, dict) or key not in current:
                return False, None
            current = current[key]
    return True, current


def _json_equal(expected: object, actual: object) -> bool:
    """YAML-typed expectation against a JSON value: `1` is not `"1"`, and `true` is not `1`."""
    if isinstance(expected, str) and expected.startswith("~"):
        text = actual if isinstance(actual, str) else json.dumps(actual)
        return re.search(expected[1:], text) is not None
    if isinstance(expected, date):
        expected = expected.isoformat()
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and expected == actual
    return type(expected) is type(actual) and expected == actual


# --- port, service, process ---


def check_port(probe: PortProbe) -> Outcome:
    try:
        port = int(probe.subject)
    except ValueError:
        return Outcome(False, f"{probe.subject!r} is not a port number")
    if not 1 <= port <= 65535:
        return Outcome(False, f"{port} is not a port number (1-65535)")
    try:
        with socket.create_connection((probe.host, port), timeout=probe.timeout):
            listening, found = True, "accepts connections"
    except OSError as exc:
        listening, found = False, _network_problem(exc, probe.timeout)
    return Outcome(listening == probe.listening, found)


def check_service(probe: ServiceProbe) -> Outcome:
    systemctl = shutil.which("systemctl")
    if systemctl is None:
        return Outcome(False, "systemctl not found on this host")
    passed, states = True, []
    for verb, wanted in (("is-active", probe.active), ("is-enabled", probe.enabled)):
        if wanted is None:
            continue
        try:
            result = subprocess.run(
                [systemctl, verb, "--", probe.subject],
                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=probe.timeout,
            )
        except subprocess.TimeoutExpired:
            return Outcome(False, f"systemctl did not answer within {format_duration(probe.timeout)}")
        except OSError as exc:
            return Outcome(False, f"cannot run systemctl: {_os_error(exc)}")
        # Exit 0 is systemctl's own "yes"; the word it prints is what the operator needs to see.
        passed = passed and (result.returncode == 0) == wanted
        state = (result.stdout.strip() or result.stderr.strip() or f"exit {result.returncode}").splitlines()[0]
        if state not in states:
            states.append(state)
    return Outcome(passed, ", ".join(states))


def check_process(probe: ProcessProbe) -> Outcome:
    pattern = re.compile(probe.subject)
    pids = [pid for pid, command_line in _processes() if pattern.search(command_line)]
    if not pids:
        return Outcome(not probe.running, "no process matches")
    # Only pids: other processes' command lines may carry tokens.
    shown = ", ".join(map(str, pids[:5])) + (", …" if len(pids) > 5 else "")
    found = f"running as pid {shown}" if len(pids) == 1 else f"{len(pids)} processes match (pid {shown})"
    return Outcome(probe.running, found)


def _processes() -> Iterator[tuple[int, str]]:
    """(pid, command line) of every process but this one."""
    own = os.getpid()
    if os.path.isdir("/proc/self"):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or int(entry.name) == own:
                continue
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                    raw = handle.read()
            except OSError:
                continue  # gone meanwhile, or not ours to read
            command_line = raw.replace(b"\0", b" ").strip().decode("utf-8", errors="replace")
            if command_line:
                yield int(entry.name), command_line
        return
    listing = subprocess.run(["ps", "-axww", "-o", "pid=,args="], capture_output=True, text=True, check=False)
    for line in listing.stdout.splitlines():
        pid, _, command_line = line.strip().partition(" ")
        if pid.isdigit() and int(pid) != own and not command_line.startswith("ps -axww"):
            yield int(pid), command_line.strip()


# --- disk, env, log ---


def check_disk(probe: DiskProbe) -> Outcome:
    path = Path(probe.subject)
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        free = shutil.disk_usage(path).free
    except OSError as exc:
        return Outcome(False, f"cannot check it: {_os_error(exc)}")
    shown = format_size(free, _unit_for(free, probe.free_unit))
    where = "" if str(path) == probe.subject else f" (on {path}, the nearest existing parent)"
    if free < probe.free:
        return Outcome(False, f"only {shown} free{where}")
    return Outcome(True, f"{shown} free{where}")


def _unit_for(size: int, unit: str) -> str:
    if unit != "B":
        return unit
    fitting = [u for u in ("KB", "MB", "GB", "TB") if size >= SIZE_UNITS[u]]
    return fitting[-1] if fitting else "B"


def check_env(probe: EnvProbe, environment: Mapping[str, str]) -> Outcome:
    # The value itself never appears in `found`, whatever the outcome.
    value = environment.get(probe.subject)
    if not value:
        return Outcome(not probe.set, "set, but empty" if value == "" else "not set")
    if not probe.set:
        return Outcome(False, "set")
    if probe.value is not None and value != probe.value:
        return Outcome(False, "set, but does not match")
    if probe.matches is not None and not re.search(probe.matches, value):
        return Outcome(False, "set, but does not match")
    return Outcome(True, "set")


class LogWatch:
    """Reads only what was appended since the last attempt, so waiting on a big log stays cheap."""

    def __init__(self, probe: LogProbe) -> None:
        self.probe = probe
        self.pattern = re.compile(probe.matches) if probe.matches is not None else None
        self.offset = 0
        self.partial = b""
        self.lines = 0

    def __call__(self) -> Outcome:
        try:
            with open(self.probe.subject, "rb") as handle:
                if os.fstat(handle.fileno()).st_size < self.offset:  # truncated or rotated: start over
                    self.offset, self.partial, self.lines = 0, b"", 0
                handle.seek(self.offset)
                for block in iter(lambda: handle.read(_READ_BLOCK), b""):
                    self.offset += len(block)
                    *complete, self.partial = (self.partial + block).split(b"\n")
                    for line in complete:
                        self.lines += 1
                        if self._matches(line):
                            return Outcome(True, f"line {self.lines}: {excerpt(self._text(line))}")
        except FileNotFoundError:
            return Outcome(False, "no such file")
        except OSError as exc:
            return Outcome(False, f"cannot read it: {_os_error(exc)}")
        # A last line still being written counts too; it is read again next time.
        if self.partial and self._matches(self.partial):
            return Outcome(True, f"line {self.lines + 1}: {excerpt(self._text(self.partial))}")
        return Outcome(False, f"no matching line among {self.lines + bool(self.partial)}")

    @staticmethod
    def _text(line: bytes) -> str:
        return line.rstrip(b"\r").decode("utf-8", errors="replace")

    def _matches(self, line: bytes) -> bool:
        text = self._text(line)
        if self.pattern is not None:
            return self.pattern.search(text) is not None
        return (self.probe.contains or "") in text
