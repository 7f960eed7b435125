"""describe(): the sentence the site lists and the runner prints, for each probe type."""

from __future__ import annotations

import pytest

from tutor.probes import describe, parse_probe

SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize(
    ("mapping", "sentence"),
    [
        ({"file": "/var/lib/dstack/images/dstack-${DSTACK_VERSION}/metadata.json"},
         "The file /var/lib/dstack/images/dstack-${DSTACK_VERSION}/metadata.json exists"),
        ({"file": "/etc/app.conf", "exists": False}, "The file /etc/app.conf does not exist"),
        ({"file": "/etc/app.conf", "contains": ["port = 80", "tls = on"], "mode": "0600"},
         "The file /etc/app.conf contains `port = 80` and `tls = on` and has mode 0600"),
        ({"file": "/etc/app.conf", "matches": "^port", "sha256": SHA},
         "The file /etc/app.conf has content matching `^port` and has SHA-256 `e3b0c44298fc1c14…`"),
        ({"dir": "/var/lib/dstack"}, "The directory /var/lib/dstack exists"),
        ({"dir": "/var/lib/dstack", "mode": "0755"}, "The directory /var/lib/dstack exists and has mode 0755"),
        ({"dir": "/tmp/old", "exists": False}, "The directory /tmp/old does not exist"),
        ({"command": "cargo --version", "stdout": r"cargo 1\."},
         r"The command `cargo --version` exits with 0 and prints something matching `cargo 1\.`"),
        ({"command": "make check", "exit": 2, "stderr": "missing", "cwd": "/src"},
         "The command `make check`, run in /src, exits with 2 and prints something matching `missing` on stderr"),
        ({"command": "echo `date`"}, "The command `` echo `date` `` exits with 0"),
        ({"http": "http://127.0.0.1:9080/", "status": 200}, "http://127.0.0.1:9080/ answers with status 200"),
        ({"http": "http://127.0.0.1:9080/"}, "http://127.0.0.1:9080/ answers with a 2xx or 3xx status"),
        ({"http": "http://h/api", "method": "POST", "status": [200, 201], "body": "ok", "json": {"a.b[0]": 1, "v": "~^0\\.5"}},
         "http://h/api answers to POST with status 200 or 201, its body matches `ok`, "
         "its JSON has `a.b[0]` = `1` and its JSON has `v` matching `^0\\.5`"),
        ({"port": 9080}, "Something is listening on 127.0.0.1:9080"),
        ({"port": 22, "host": "::1", "listening": False}, "Nothing is listening on [::1]:22"),
        ({"service": "dstack-vmm", "enabled": True, "active": True}, "The service dstack-vmm is active and enabled"),
        ({"service": "dstack-vmm"}, "The service dstack-vmm is active"),
        ({"service": "apache2", "active": False}, "The service apache2 is not active"),
        ({"process": "dstack-vmm"}, "A process matching `dstack-vmm` is running"),
        ({"process": "apt-get", "running": False}, "No process matching `apt-get` is running"),
        ({"disk": "/var/lib/dstack", "free": "10GB"}, "At least 10 GB is free on /var/lib/dstack"),
        ({"disk": "/", "free": "1.5GiB"}, "At least 1.5 GiB is free on /"),
        ({"env": "CF_API_TOKEN"}, "The environment variable CF_API_TOKEN is set"),
        ({"env": "DEBUG", "set": False}, "The environment variable DEBUG is not set"),
        ({"env": "MODE", "value": "production"}, "The environment variable MODE is set to the expected value"),
        ({"env": "MODE", "matches": "^prod"}, "The environment variable MODE is set to a value matching `^prod`"),
        ({"log": "/var/log/x.log", "contains": "Finished App Compose Service"},
         "The log /var/log/x.log has a line containing `Finished App Compose Service`"),
        ({"log": "/var/log/x.log", "matches": "listening on .*:80"},
         "The log /var/log/x.log has a line matching `listening on .*:80`"),
    ],
)
def test_each_type_reads_as_a_sentence(mapping: dict, sentence: str) -> None:
    assert describe(parse_probe(mapping)) == sentence


@pytest.mark.parametrize(("within", "suffix"), [("30s", " (within 30 s)"), ("5m", " (within 5 min)"), (90, " (within 1 min 30 s)")])
def test_a_waiting_probe_says_how_long(within: object, suffix: str) -> None:
    assert describe(parse_probe({"port": 9080, "within": within})) == "Something is listening on 127.0.0.1:9080" + suffix


def test_the_authors_description_replaces_the_sentence() -> None:
    probe = parse_probe({"port": 9080, "within": "30s", "description": "The VMM dashboard on ${VMM_PORT} is up"})
    assert describe(probe) == "The VMM dashboard on ${VMM_PORT} is up"
    assert describe(probe, {"VMM_PORT": "9080"}) == "The VMM dashboard on 9080 is up"


def test_values_are_shown_when_given() -> None:
    probe = parse_probe({"file": "/var/lib/dstack/images/dstack-${DSTACK_VERSION}/metadata.json"})
    assert describe(probe, {"DSTACK_VERSION": "0.5.5"}) == "The file /var/lib/dstack/images/dstack-0.5.5/metadata.json exists"
    assert describe(probe, {"OTHER": "x"}) == describe(probe), "a name without a value stays as written"


def test_secrets_are_never_expanded() -> None:
    probe = parse_probe({"http": "https://api.example.com/zones?key=${CF_API_TOKEN}&account=$ACCOUNT_ID"})
    values = {"CF_API_TOKEN": "tok-9f8e7d6c", "ACCOUNT_ID": "acct-1234"}
    assert describe(probe, values) == "https://api.example.com/zones?key=***&account=acct-1234 answers with a 2xx or 3xx status"
    masked = describe(probe, values, secrets={"ACCOUNT_ID"})
    assert "acct-1234" not in masked and "tok-9f8e7d6c" not in masked and masked.count("***") == 2


def test_an_env_probe_never_shows_the_expected_value() -> None:
    probe = parse_probe({"env": "ADMIN_PASSPHRASE", "value": "${EXPECTED}"})
    assert "hunter2" not in describe(probe, {"EXPECTED": "hunter2"})


def test_a_dollar_can_be_written_literally() -> None:
    assert describe(parse_probe({"file": "/etc/motd", "contains": "costs $$5"})) == "The file /etc/motd contains `costs $5`"
