"""file, dir, disk and log probes against real files in a temp folder."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

import pytest

from tutor.probes import describe, evaluate, parse_probe
from tutor.probes import make_check


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "app.conf"
    path.write_text("name = web\nport = 8080\n")
    path.chmod(0o640)
    return path


def check(mapping: dict, variables: dict | None = None):
    return evaluate(parse_probe(mapping), variables)


def test_a_file_that_exists(config: Path) -> None:
    result = check({"file": str(config)})
    assert result.passed and result.attempts == 1 and result.found == "exists (mode 0640)"


def test_a_missing_file(tmp_path: Path) -> None:
    result = check({"file": str(tmp_path / "nope"), "hint": "run step 2 first"})
    assert not result.passed and result.found == "no such file" and result.hint == "run step 2 first"
    assert check({"file": str(tmp_path / "nope"), "exists": False}).passed
    assert check({"file": str(tmp_path / "not-a-dir" / "x"), "exists": False}).passed


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    result = check({"file": str(tmp_path)})
    assert not result.passed and "directory" in result.found


def test_contains(config: Path) -> None:
    assert check({"file": str(config), "contains": ["port = 8080", "name = web"]}).passed
    result = check({"file": str(config), "contains": ["port = 8080", "tls = on"]})
    assert not result.passed and result.found == "does not contain `tls = on`"


def test_matches(config: Path) -> None:
    assert check({"file": str(config), "matches": r"^port = \d+$"}).passed
    assert not check({"file": str(config), "matches": r"^port = 80$"}).passed


def test_sha256(config: Path) -> None:
    digest = hashlib.sha256(config.read_bytes()).hexdigest()
    assert check({"file": str(config), "sha256": digest.upper()}).passed
    result = check({"file": str(config), "sha256": "0" * 64})
    assert not result.passed and result.found == f"SHA-256 {digest[:16]}…"


def test_mode(config: Path) -> None:
    assert check({"file": str(config), "mode": "0640"}).passed
    result = check({"file": str(config), "mode": "0644"})
    assert not result.passed and result.found == "mode 0640"


def test_dir(tmp_path: Path, config: Path) -> None:
    (tmp_path / "data").mkdir(mode=0o750)
    os.chmod(tmp_path / "data", 0o750)
    assert check({"dir": str(tmp_path / "data"), "mode": "0750"}).passed
    assert check({"dir": str(tmp_path / "gone"), "exists": False}).passed
    missing = check({"dir": str(tmp_path / "gone")})
    assert not missing.passed and missing.found == "no such directory"
    a_file = check({"dir": str(config)})
    assert not a_file.passed and "a file is there" in a_file.found


def test_paths_take_variables(tmp_path: Path, config: Path) -> None:
    result = check({"file": "${ROOT}/app.conf", "contains": "port = $PORT"}, {"ROOT": str(tmp_path), "PORT": "8080"})
    assert result.passed and result.sentence == f"The file {tmp_path}/app.conf contains `port = 8080`"


def test_disk_free(tmp_path: Path) -> None:
    assert check({"disk": str(tmp_path), "free": "1B"}).passed
    result = check({"disk": str(tmp_path), "free": "1000000TB"})
    assert not result.passed and result.found.startswith("only ") and result.found.endswith(" TB free")


def test_disk_free_of_a_path_not_created_yet(tmp_path: Path) -> None:
    result = check({"disk": str(tmp_path / "later" / "images"), "free": "1KB"})
    assert result.passed and f"on {tmp_path}, the nearest existing parent" in result.found


def test_a_log_line_already_there(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("starting\nFinished App Compose Service\n")
    result = check({"log": str(log), "contains": "Finished App Compose Service"})
    assert result.passed and result.found == "line 2: Finished App Compose Service"
    assert check({"log": str(log), "matches": r"^Finished \w+"}).passed
    missing = check({"log": str(log), "contains": "Stopped"})
    assert not missing.passed and missing.found == "no matching line among 2"


def test_a_log_is_read_incrementally(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("one\n")
    attempt = make_check(parse_probe({"log": str(log), "contains": "ready"}), {})
    assert not attempt().passed
    with log.open("a") as handle:
        handle.write("two\nrea")
    assert not attempt().passed
    with log.open("a") as handle:
        handle.write("dy now")  # a line still being written counts
    outcome = attempt()
    assert outcome.passed and outcome.found == "line 3: ready now"


def test_a_rotated_log_is_read_from_the_start(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("a long line that will be rotated away\n")
    attempt = make_check(parse_probe({"log": str(log), "contains": "ready"}), {})
    assert not attempt().passed
    log.write_text("ready\n")
    assert attempt().passed


def test_within_waits_for_a_log_line(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("booting\n")

    def append_later() -> None:
        time.sleep(0.3)
        with log.open("a") as handle:
            handle.write("Finished App Compose Service\n")

    writer = threading.Thread(target=append_later)
    writer.start()
    try:
        result = check({"log": str(log), "contains": "Finished App Compose Service", "within": "10s", "interval": 0.05})
    finally:
        writer.join()
    assert result.passed and result.found == "line 2: Finished App Compose Service"
    assert result.sentence.endswith("(within 10 s)")


def test_sha256_from_a_variable(config: Path) -> None:
    digest = hashlib.sha256(config.read_bytes()).hexdigest()
    probe = {"file": str(config), "sha256": "${IMAGE_SHA}"}
    assert check(probe, {"IMAGE_SHA": digest.upper()}).passed
    wrong = check(probe, {"IMAGE_SHA": "0" * 64})
    assert not wrong.passed and wrong.found == f"SHA-256 {digest[:16]}…"
    short = check(probe, {"IMAGE_SHA": "abc123"})
    assert not short.passed and "not 64 hexadecimal characters" in short.found
    missing = check(probe)
    assert not missing.passed and "IMAGE_SHA" in missing.found
    assert "has SHA-256 `${IMAGE_SHA}`" in describe(parse_probe(probe))
    assert f"has SHA-256 `{digest[:16]}…`" in describe(parse_probe(probe), {"IMAGE_SHA": digest})
