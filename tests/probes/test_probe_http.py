"""http probes against a real server on 127.0.0.1, started for these tests."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tutor.probes import evaluate, parse_probe


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/":
            self._send(200, "text/html", b"<h1>dstack VMM dashboard</h1>")
        elif self.path == "/status":
            document = {"status": "ok", "version": "0.5.5", "workers": [{"name": "kms", "up": True, "port": 8000}]}
            self._send(200, "application/json", json.dumps(document).encode())
        elif self.path == "/old":
            self.send_response(302)
            self.send_header("Location", "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/whoami":
            self._send(200, "text/plain", self.headers.get("Authorization", "anonymous").encode())
        else:
            self._send(502, "text/plain", b"bad gateway")

    def do_POST(self) -> None:
        self._send(201, "text/plain", b"created")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def check(mapping: dict, variables: dict | None = None):
    return evaluate(parse_probe(mapping), variables)


def test_status(server: str) -> None:
    result = check({"http": f"{server}/", "status": 200})
    assert result.passed and result.found == "status 200"
    assert check({"http": f"{server}/"}).passed, "any 2xx or 3xx by default"
    failing = check({"http": f"{server}/broken"})
    assert not failing.passed and failing.found == "status 502; expected a 2xx or 3xx status"
    assert check({"http": f"{server}/broken", "status": [500, 502]}).passed


def test_redirects_are_answers_not_followed(server: str) -> None:
    assert check({"http": f"{server}/old", "status": 302}).passed
    assert check({"http": f"{server}/old"}).passed


def test_body(server: str) -> None:
    assert check({"http": f"{server}/", "body": r"dstack \w+ dashboard"}).passed
    result = check({"http": f"{server}/", "body": "KMS"})
    assert not result.passed
    assert result.found == "status 200; the body does not match `KMS` (body: <h1>dstack VMM dashboard</h1>)"


def test_json(server: str) -> None:
    url = f"{server}/status"
    assert check({"http": url, "json": {"status": "ok", "workers[0].up": True, "workers[-1].port": 8000}}).passed
    assert check({"http": url, "json": {"version": "~^0\\.5\\.", "workers[0].port": "~^80"}}).passed


def test_json_mismatches_say_what_was_there(server: str) -> None:
    url = f"{server}/status"
    typed = check({"http": url, "json": {"workers[0].port": "8000"}})
    assert not typed.passed and typed.found == 'status 200; `workers[0].port` is 8000, expected "8000"'
    missing = check({"http": url, "json": {"workers[1].name": "gateway"}})
    assert missing.found == "status 200; `workers[1].name` is missing"
    not_json = check({"http": f"{server}/", "json": {"status": "ok"}})
    assert not_json.found.startswith("status 200; the body is not JSON")


def test_method_and_headers(server: str) -> None:
    assert check({"http": f"{server}/", "method": "POST", "status": 201, "body": "created"}).passed
    result = check({"http": f"{server}/whoami", "headers": {"Authorization": "Bearer $API_TOKEN"}, "body": "^Bearer "},
                   {"API_TOKEN": "tok-abcdef123"})
    assert result.passed
    assert "tok-abcdef123" not in result.found and "tok-abcdef123" not in result.sentence


def test_a_closed_port_is_a_finding_not_an_error() -> None:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    result = check({"http": f"http://127.0.0.1:{port}/", "within": 0})
    assert not result.passed and result.found == "connection refused"


def test_url_from_variables(server: str) -> None:
    result = check({"http": "${VMM_URL}/status", "json": {"status": "ok"}}, {"VMM_URL": server})
    assert result.passed and result.sentence.startswith(f"{server}/status answers")


def test_a_proxy_in_the_environment_is_not_used_for_this_host(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        dead_proxy = f"http://127.0.0.1:{unused.getsockname()[1]}"
    monkeypatch.setenv("http_proxy", dead_proxy)
    monkeypatch.setenv("HTTP_PROXY", dead_proxy)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    assert check({"http": f"{server}/", "status": 200}).passed


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl to make a self-signed certificate")
def test_insecure_accepts_a_self_signed_certificate(tmp_path: Path) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost"],
        check=True, capture_output=True,
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{httpd.server_address[1]}/"
        refused = check({"http": url})
        assert not refused.passed and "certificate not trusted" in refused.found and "insecure: true" in refused.found
        assert check({"http": url, "insecure": True, "status": 200}).passed
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()
