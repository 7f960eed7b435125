"""port, process, service and env probes against this host."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.probes import evaluate, parse_probe


def check(mapping: dict, variables: dict | None = None, **kwargs):
    return evaluate(parse_probe(mapping), variables, **kwargs)


@pytest.fixture
def listener() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_a_listening_port(listener: int) -> None:
    result = check({"port": listener})
    assert result.passed and result.found == "accepts connections"
    assert result.sentence == f"Something is listening on 127.0.0.1:{listener}"
    assert not check({"port": listener, "listening": False}).passed


def test_a_closed_port() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    result = check({"port": port})
    assert not result.passed and result.found == "connection refused"
    assert check({"port": port, "listening": False}).passed


def test_a_port_from_a_variable(listener: int) -> None:
    assert check({"port": "${VMM_PORT}"}, {"VMM_PORT": str(listener)}).passed
    result = check({"port": "${VMM_PORT}"}, {"VMM_PORT": "nine"})
    assert not result.passed and "not a port number" in result.found


@pytest.fixture
def sleeper() -> Iterator[str]:
    duration = f"30.{uuid.uuid4().int % 10**9}"  # a command line no other process has
    process = subprocess.Popen(["sleep", duration])
    deadline = time.monotonic() + 5
    # Right after the fork the kernel may still show an empty command line.
    while not Path(f"/proc/{process.pid}/cmdline").read_bytes() and time.monotonic() < deadline:
        time.sleep(0.01)
    yield duration.replace(".", r"\.")
    process.kill()
    process.wait()


def test_a_running_process(sleeper: str) -> None:
    result = check({"process": f"^sleep {sleeper}$"})
    assert result.passed and result.found.startswith("running as pid ")
    assert not check({"process": f"^sleep {sleeper}$", "running": False}).passed


def test_no_such_process() -> None:
    pattern = f"no-such-program-{uuid.uuid4().hex}"
    result = check({"process": pattern})
    assert not result.passed and result.found == "no process matches"
    assert check({"process": pattern, "running": False}).passed


def test_the_probing_process_never_matches_itself() -> None:
    marker = f"self-marker-{uuid.uuid4().hex}"
    code = (
        "import sys; from tutor.probes import evaluate, parse_probe; "
        "print(evaluate(parse_probe({'process': sys.argv[1]})).found)"
    )
    found = subprocess.run([sys.executable, "-c", code, marker], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "no process matches"


def test_service_without_systemctl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = check({"service": "dstack-vmm", "enabled": True})
    assert not result.passed and result.found == "systemctl not found on this host"


@pytest.mark.skipif(shutil.which("systemctl") is None, reason="needs systemctl")
def test_an_unknown_service_is_not_active() -> None:
    result = check({"service": f"tutor-probe-test-{uuid.uuid4().hex[:8]}", "timeout": 5})
    assert not result.passed and result.found


SECRET = "s3cr3t-value-7f1e"


def test_env_set_and_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_PROBE_TEST_VALUE", SECRET)
    monkeypatch.delenv("TUTOR_PROBE_TEST_UNSET", raising=False)
    results = [
        check({"env": "TUTOR_PROBE_TEST_VALUE"}),
        check({"env": "TUTOR_PROBE_TEST_UNSET"}),
        check({"env": "TUTOR_PROBE_TEST_UNSET", "set": False}),
        check({"env": "TUTOR_PROBE_TEST_VALUE", "set": False}),
    ]
    assert [(r.passed, r.found) for r in results] == [(True, "set"), (False, "not set"), (True, "not set"), (False, "set")]
    assert all(SECRET not in r.sentence + r.found for r in results)


def test_env_value_and_pattern_never_show_the_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_PROBE_TEST_VALUE", SECRET)
    results = [
        check({"env": "TUTOR_PROBE_TEST_VALUE", "value": SECRET}),
        check({"env": "TUTOR_PROBE_TEST_VALUE", "matches": "^s3cr3t-"}),
        check({"env": "TUTOR_PROBE_TEST_VALUE", "value": "something else"}),
        check({"env": "TUTOR_PROBE_TEST_VALUE", "matches": "^public-"}),
    ]
    assert [(r.passed, r.found) for r in results] == [
        (True, "set"), (True, "set"), (False, "set, but does not match"), (False, "set, but does not match"),
    ]
    assert all(SECRET not in r.sentence + r.found for r in results)


def test_env_sees_the_runs_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CF_API_TOKEN", raising=False)
    result = check({"env": "CF_API_TOKEN"}, {"CF_API_TOKEN": SECRET})
    assert result.passed and SECRET not in result.sentence + result.found
    empty = check({"env": "CF_API_TOKEN"}, {"CF_API_TOKEN": ""})
    assert not empty.passed and empty.found == "set, but empty"
