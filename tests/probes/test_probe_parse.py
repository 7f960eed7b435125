"""parse_probe and parse_probe_list: what authors write, and what they are told when it is wrong."""

from __future__ import annotations

import pytest

from tutor.probes import (
    PROBE_TYPES, CommandProbe, DiskProbe, FileProbe, HttpProbe, ProbeSpecError, ServiceProbe,
    allowed_fields, parse_probe, parse_probe_list,
)
from tutor.probes.durations import format_duration, parse_duration, parse_size


def test_a_probe_has_its_type_subject_and_defaults() -> None:
    probe = parse_probe({"file": "/etc/hosts", "id": "hosts", "hint": "reinstall"})
    assert isinstance(probe, FileProbe)
    assert (probe.kind, probe.subject, probe.id, probe.hint) == ("file", "/etc/hosts", "hosts", "reinstall")
    assert (probe.within, probe.interval, probe.timeout, probe.exists) == (0.0, 1.0, 10.0, True)
    assert probe.spec == {"file": "/etc/hosts", "id": "hosts", "hint": "reinstall"}


def test_fields_are_typed() -> None:
    probe = parse_probe({"command": "true", "exit": 3, "stdout": "ok", "within": "1m30s", "interval": 2, "timeout": "5s"})
    assert isinstance(probe, CommandProbe)
    assert (probe.exit, probe.stdout, probe.within, probe.interval, probe.timeout) == (3, "ok", 90.0, 2.0, 5.0)
    http = parse_probe({"http": "http://127.0.0.1/", "status": [200, 204], "json": {"a.b[0]": 1}, "method": "post"})
    assert isinstance(http, HttpProbe)
    assert (http.status, http.method, http.json) == ((200, 204), "POST", {"a.b[0]": 1})
    disk = parse_probe({"disk": "/var", "free": "1.5 GiB"})
    assert isinstance(disk, DiskProbe) and disk.free == int(1.5 * 2**30) and disk.free_unit == "GiB"


def test_service_checks_active_unless_told_otherwise() -> None:
    assert (parse_probe({"service": "nginx"}).active, parse_probe({"service": "nginx"}).enabled) == (True, None)
    only_enabled = parse_probe({"service": "nginx", "enabled": True})
    assert isinstance(only_enabled, ServiceProbe) and (only_enabled.active, only_enabled.enabled) == (None, True)


@pytest.mark.parametrize(
    ("written", "bits"),
    [("0644", 0o644), ("755", 0o755), ("0o600", 0o600), (0o644, 0o644)],  # 0o644 is what YAML makes of `0644`
)
def test_modes(written: object, bits: int) -> None:
    probe = parse_probe({"file": "/x", "mode": written})
    assert isinstance(probe, FileProbe) and probe.mode == bits


@pytest.mark.parametrize(
    ("mapping", "in_message", "in_hint"),
    [
        ({"path": "/etc/hosts"}, "needs exactly one of file, dir, command", ""),
        ({"fiel": "/etc/hosts"}, "has no type", "did you mean `file`"),
        ({"file": "/a", "dir": "/b"}, "2 type keys (file, dir)", "one probe per type"),
        ({"file": "/a", "contain": "x"}, "no field `contain`", "did you mean `contains`"),
        ({"file": "/a", "colour": "x"}, "no field `colour`", "file probes accept: exists, contains"),
        ({"file": "/a", "timeout": "5s"}, "no field `timeout`", "accept"),
        ({"file": "/a", "within": "5 minutes"}, "`within` \"5 minutes\" is not a duration", "30s"),
        ({"file": "/a", "within": -1}, "negative", ""),
        ({"command": "true", "interval": 0}, "`interval` must be longer than zero", ""),
        ({"file": "/a", "sha256": "abc123"}, "64 hexadecimal characters", "sha256sum"),
        ({"file": "/a", "matches": "cargo (1"}, "not a valid regular expression", "escape"),
        ({"process": "dstack[vmm"}, "not a valid regular expression", "escape"),
        ({"file": "/a", "mode": 644}, "ambiguous", 'mode: "0644"'),
        ({"file": "/a", "mode": "rw-r--r--"}, "not an octal permission mode", ""),
        ({"file": "/a", "exists": "yes please"}, "`exists` must be true or false", ""),
        ({"file": "/a", "exists": False, "contains": "x"}, "`exists: false` cannot be combined with contains", ""),
        ({"file": None}, "`file` needs a value", "e.g. file:"),
        ({"command": True}, "`command` needs a value as text", 'put it in quotes: command: "true"'),
        ({"command": "true", "exit": 300}, "0 to 255", ""),
        ({"command": "true", "exit": True}, "whole number", ""),
        ({"http": "http://x/", "status": "ok"}, "HTTP status", ""),
        ({"http": "http://x/", "json": {"a..b": 1}}, "not a JSON path", ""),
        ({"http": "http://x/", "json": {"a": "~(unclosed"}}, "not a valid regular expression", ""),
        ({"http": "127.0.0.1:8080/health"}, "not an http:// or https:// URL", "e.g. http: http://"),
        ({"file": "/a", "id": "x", "dir": None, "fiel": 1} , "2 type keys", ""),
        ({"port": 70000}, "out of range", ""),
        ({"port": "http"}, "must be a port number", ""),
        ({"disk": "/var"}, "needs `free`", "free: 10GB"),
        ({"disk": "/var", "free": "10 parsecs"}, "not a size", ""),
        ({"env": "not a name"}, "not an environment variable name", ""),
        ({"env": "A", "value": "x", "matches": "y"}, "not both", ""),
        ({"env": "A", "set": False, "value": "x"}, "`set: false` cannot be combined", ""),
        ({"log": "/var/log/x"}, "exactly one of `contains` or `matches`", ""),
        ({"file": "/a", "contains": 42}, "must be text", "quotes"),
    ],
)
def test_mistakes_are_refused_with_a_hint(mapping: dict, in_message: str, in_hint: str) -> None:
    with pytest.raises(ProbeSpecError) as caught:
        parse_probe(mapping)
    assert in_message in caught.value.message
    assert in_hint in caught.value.hint
    assert caught.value.hint, "every refusal says what to do"


def test_common_fields_are_not_mistaken_for_a_type() -> None:
    with pytest.raises(ProbeSpecError) as caught:
        parse_probe({"id": "guest-images", "exists": True})
    assert "did you mean" not in caught.value.hint


def test_a_probe_must_be_a_mapping() -> None:
    with pytest.raises(ProbeSpecError, match="must be a mapping"):
        parse_probe("file: /etc/hosts")  # type: ignore[arg-type]


def test_allowed_fields_name_the_common_ones() -> None:
    assert "timeout" in allowed_fields("http") and "timeout" not in allowed_fields("file")
    assert set(allowed_fields("env")) >= {"set", "value", "matches", "id", "within", "interval", "hint", "description"}
    assert len(PROBE_TYPES) == 10


def test_a_verify_block_is_a_list_of_probes() -> None:
    probes = parse_probe_list("- file: /etc/hosts\n- port: 9080\n  within: 30s\n")
    assert [(p.kind, p.subject) for p in probes] == [("file", "/etc/hosts"), ("port", "9080")]
    assert probes[1].within == 30.0


def test_the_bad_item_of_a_verify_block_is_located() -> None:
    text = "- file: /etc/hosts\n\n- command: \"true\"\n  exit: 0\n- port: 9080\n  listen: true\n"
    with pytest.raises(ProbeSpecError) as caught:
        parse_probe_list(text)
    assert caught.value.line == 4
    assert "did you mean `listening`" in caught.value.hint


def test_a_verify_block_that_is_not_a_list_is_refused() -> None:
    with pytest.raises(ProbeSpecError) as caught:
        parse_probe_list("file: /etc/hosts\n")
    assert "must be a YAML list" in caught.value.message and caught.value.line == 0
    with pytest.raises(ProbeSpecError, match="must be a mapping"):
        parse_probe_list("- /etc/hosts\n")


def test_broken_yaml_and_empty_blocks_are_refused() -> None:
    with pytest.raises(ProbeSpecError) as caught:
        parse_probe_list("- file: /etc/hosts\n- command: [unclosed\n")
    assert "not valid YAML" in caught.value.message and caught.value.line >= 1
    with pytest.raises(ProbeSpecError, match="empty"):
        parse_probe_list("\n")


@pytest.mark.parametrize(
    ("written", "seconds"),
    [(30, 30.0), (2.5, 2.5), ("30s", 30.0), ("5m", 300.0), ("1h", 3600.0), ("1m30s", 90.0), ("500ms", 0.5), ("45", 45.0), ("2min", 120.0)],
)
def test_durations(written: object, seconds: float) -> None:
    assert parse_duration(written) == seconds


@pytest.mark.parametrize(("seconds", "words"), [(30, "30 s"), (300, "5 min"), (90, "1 min 30 s"), (5400, "1 h 30 min"), (0.5, "500 ms")])
def test_durations_in_words(seconds: float, words: str) -> None:
    assert format_duration(seconds) == words


@pytest.mark.parametrize(
    ("written", "size"),
    [("10GB", 10 * 10**9), ("10 gb", 10 * 10**9), ("1KiB", 1024), ("2 TiB", 2 * 2**40), ("1B", 1), (512, 512), ("1.5MB", 1_500_000)],
)
def test_sizes(written: object, size: int) -> None:
    assert parse_size(written)[0] == size
