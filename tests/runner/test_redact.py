"""Secrets are replaced by *** wherever they appear, even split across chunks of streamed output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.model import Variable
from tutor.runner.background import PUMP
from tutor.runner.redact import Redactor, is_secret, is_secret_name, secret_values


@pytest.mark.parametrize("name", ["CF_API_TOKEN", "DB_PASSWORD", "SSH_KEY", "client_secret", "ROOT_PASSWD", "apikey"])
def test_names_that_are_secret(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["DSTACK_VERSION", "TOKEN_FILE", "KEYRING_DIR", "PASSWORD_HINT_URL", "HOME"])
def test_names_that_are_not_secret(name: str) -> None:
    assert not is_secret_name(name)


def test_a_variable_is_secret_when_marked_or_named_so() -> None:
    assert is_secret(Variable(name="ADMIN", secret=True))
    assert is_secret(Variable(name="GITHUB_TOKEN"))
    assert not is_secret(Variable(name="REGION"))


def test_secret_values_picks_secret_names_and_declared_ones() -> None:
    values = {"REGION": "eu", "API_TOKEN": "tok-123", "ADMIN": "root-pw", "EMPTY_KEY": ""}
    assert sorted(secret_values(values, {"ADMIN"})) == ["root-pw", "tok-123"]


def test_every_occurrence_is_masked_and_the_longest_secret_wins() -> None:
    redactor = Redactor(["abc", "abcdef"])
    assert redactor.redact("x abcdef y abc z abcde") == "x *** y *** z ***de"


def test_empty_values_are_ignored_and_short_ones_still_mask() -> None:
    redactor = Redactor(["", "42"])
    assert redactor.redact("answer 42, not 4") == "answer ***, not 4"
    assert Redactor([""]).redact("anything") == "anything"


def test_each_line_of_a_multiline_secret_is_masked_on_its_own() -> None:
    key = "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASC\n-----END KEY-----"
    redactor = Redactor([key])
    assert redactor.redact(key) == "***"
    assert "MIIEvQIBADANBgkqhkiG9w0B" not in redactor.redact("line: MIIEvQIBADANBgkqhkiG9w0B\n")


def test_bytes_are_redacted_too() -> None:
    assert Redactor(["s3cr3t", "pässwörd"]).redact_bytes("a s3cr3t b pässwörd".encode()) == b"a *** b ***"


def test_special_characters_in_secrets_are_literal() -> None:
    redactor = Redactor(["a.b*c(d)", "$(x)"])
    assert redactor.redact("a.b*c(d) axbbc(d) $(x)") == "*** axbbc(d) ***"


TEXT = "start xx-SECRET-VALUE-xx middle SECRET-VALUE end SECRET-VALU"


@pytest.mark.parametrize("cut", range(len(TEXT) + 1))
def test_a_secret_split_across_two_chunks_is_masked(cut: int) -> None:
    redactor = Redactor(["SECRET-VALUE"])
    stream = redactor.stream()
    shown = stream.feed(TEXT[:cut]) + stream.feed(TEXT[cut:]) + stream.flush()
    assert shown == redactor.redact(TEXT)
    assert "SECRET-VALUE" not in shown


def test_a_secret_fed_one_character_at_a_time_is_masked() -> None:
    redactor = Redactor(["tok", "token-123456"])
    stream = redactor.stream()
    shown = "".join(stream.feed(c) for c in "a token-123456 b tok c token-12") + stream.flush()
    assert shown == "a *** b *** c ***en-12"


def test_streamed_text_that_cannot_start_a_secret_is_not_held_back() -> None:
    stream = Redactor(["hunter2"]).stream()
    assert stream.feed("plain output\n") == "plain output\n"
    assert stream.feed("the word hunt") == "the word "
    assert stream.feed("ing\n") == "hunting\n"


def test_a_secret_added_after_the_stream_started_is_masked() -> None:
    redactor = Redactor()
    stream = redactor.stream()
    assert stream.feed("before ") == "before "
    redactor.add("late-secret")
    assert stream.feed("late-sec") + stream.feed("ret!") + stream.flush() == "***!"


def test_the_log_pump_redacts_a_stream_of_bytes(tmp_path: Path) -> None:
    log = tmp_path / "bg.log"
    secrets_read, secrets_write = os.pipe()
    pump = subprocess.Popen([sys.executable, "-I", "-S", str(PUMP), str(secrets_read), str(log)],
                            stdin=subprocess.PIPE, pass_fds=(secrets_read,))
    os.close(secrets_read)
    os.write(secrets_write, json.dumps(["pw-0123456789"]).encode())
    os.close(secrets_write)
    assert pump.stdin is not None
    for chunk in (b"user admin pw-01234", b"56789 ok\n", b"again pw-0123456789\n"):
        pump.stdin.write(chunk)
        pump.stdin.flush()
    pump.stdin.close()
    assert pump.wait(timeout=10) == 0
    assert log.read_bytes() == b"user admin *** ok\nagain ***\n"
