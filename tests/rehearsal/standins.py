"""Local stand-ins for the dstack pieces the tutorials talk to, all on 127.0.0.1.

Each HTTP stand-in has a `broken` switch: the port stays open and the server still
answers, but not the way the real service does. That is the failure a port check misses
and the tutorials' `provides` checks must catch.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import ssl
import subprocess
import tarfile
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

GUEST_VERSION = "0.5.5"
GUEST_DIGEST = hashlib.sha256(b"rehearsal guest image").hexdigest()


class StandIn:
    """A threaded HTTP server whose answers come from `respond(method, path)`."""

    def __init__(self, respond: Callable[["StandIn", str, str], tuple[int, str, bytes]],
                 tls: ssl.SSLContext | None = None) -> None:
        self.broken = False
        self.garbage = "replay"
        self.body = b""
        """The body of the last request."""
        """What a broken stand-in answers, when it has more than one way to be wrong."""
        self.respond = respond
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                owner.body = self.rfile.read(length) if length else b""
                status, ctype, body = owner.respond(owner, self.command, self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _json(status: int, data: Any) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(data).encode()


def release_tarball() -> bytes:
    """A guest image archive with the layout of a meta-dstack release: one dstack-<v>/ directory."""
    files = {
        f"dstack-{GUEST_VERSION}/metadata.json": json.dumps(
            {"bios": "ovmf.fd", "kernel": "bzImage", "initrd": "initramfs.cpio.gz", "rootfs": "rootfs.img.verity",
             "version": GUEST_VERSION}).encode(),
        f"dstack-{GUEST_VERSION}/digest.txt": GUEST_DIGEST.encode(),
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def release_server() -> StandIn:
    archive = release_tarball()

    def respond(s: StandIn, method: str, path: str) -> tuple[int, str, bytes]:
        if path == f"/v{GUEST_VERSION}/dstack-{GUEST_VERSION}.tar.gz":
            return 200, "application/gzip", (b"<html>rate limited</html>" if s.broken else archive)
        return 404, "text/plain", b"Not Found"

    return StandIn(respond)


def vmm_server(images_dir: Path) -> StandIn:
    """The VMM's RPC calls the tutorials make: Status and ListImages (`/prpc/<Method>?json`)."""

    def respond(s: StandIn, method: str, path: str) -> tuple[int, str, bytes]:
        if s.broken:  # a dashboard-like page, but the RPC API is not behind it
            return 200, "text/html", b"<html><title>dstack VMM</title></html>"
        if method == "POST" and path.startswith("/prpc/Status"):
            return _json(200, {"vms": []})
        if method == "POST" and path.startswith("/prpc/ListImages"):
            names = sorted(p.parent.name for p in images_dir.glob("*/metadata.json"))
            return _json(200, {"images": [{"name": n, "version": n.removeprefix("dstack-")} for n in names]})
        if path == "/":
            return 200, "text/html", b"<html><title>dstack VMM</title></html>"
        return 404, "text/plain", b"not found"

    return StandIn(respond)


def auth_server() -> StandIn:
    """auth-simple's health check: `GET /` answers {"status": "ok", ...}."""

    def respond(s: StandIn, method: str, path: str) -> tuple[int, str, bytes]:
        if path == "/":
            if s.broken:
                return _json(200, {"status": "error", "message": "config backend unavailable"})
            return _json(200, {"status": "ok", "gatewayAppId": ""})
        return 404, "text/plain", b"not found"

    return StandIn(respond)


def gateway_admin() -> StandIn:
    """The Gateway's admin API, as far as the tutorials ask it: `/prpc/Status`."""

    def respond(s: StandIn, method: str, path: str) -> tuple[int, str, bytes]:
        if path.startswith("/prpc/Status") and not s.broken:
            return _json(200, {"id": "gateway", "nodes": []})
        return 502, "text/plain", b"upstream not ready"

    return StandIn(respond)


APPS_DOMAIN = "apps.example.test"
OLD_REPORT_DATA = "5eed" * 16
"""The report data of a quote someone saved earlier: what a replayed quote carries."""


def tdx_quote(report_data_hex: str) -> str:
    """A quote-shaped hex string: a v4 header, the report data padded to 64 bytes, a signature."""
    padded = bytes.fromhex(report_data_hex).ljust(64, b"\0")
    return (b"\x04\x00\x02\x00\x81\x00\x00\x00" + bytes(40) + bytes(520) + padded + bytes(64)).hex()


def gateway_app_server(workdir: Path) -> tuple[StandIn, Path]:
    """The Gateway in front of the hello-world app: HTTPS with a certificate for `*.<apps domain>`,
    routing `/GetQuote?report_data=0x…` to the app, which answers as the guest agent would.
    Broken: `garbage` says how. "replay" is a well-formed answer with an old quote, "html" an
    error page served with status 200. Returns the server and the certificate to trust."""
    key, cert = workdir / "gateway.key", workdir / "gateway.crt"
    subprocess.run(["openssl", "req", "-x509", "-nodes", "-newkey", "rsa:2048", "-days", "1", "-subj",
                    f"/CN=*.{APPS_DOMAIN}", "-addext", f"subjectAltName=DNS:*.{APPS_DOMAIN}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def respond(s: StandIn, method: str, path: str) -> tuple[int, str, bytes]:
        route, _, query = path.partition("?")
        if route != "/GetQuote" or method != "GET":
            return 404, "text/html", b"<html>404 Not Found</html>"
        if s.broken and s.garbage == "html":
            return 200, "text/html", b"<html><body>502 Bad Gateway</body></html>"
        asked = (parse_qs(query).get("report_data") or [""])[0].removeprefix("0x")
        quoted = OLD_REPORT_DATA if s.broken else asked
        return _json(200, {"quote": tdx_quote(quoted), "event_log": json.dumps([{"imr": 3, "event": "compose-hash"}]),
                           "report_data": quoted.ljust(128, "0"), "vm_config": json.dumps({"os_image_hash": GUEST_DIGEST})})

    return StandIn(respond, tls=context), cert


REPORT_DATA_AT = 48 + 520
"""Where a TDX quote (v4) holds its 64 bytes of report data: after the 48-byte header, at 520
in the TD report body (as `tdx_quote` builds them)."""


def verifier_server(app_id: str, compose_hash: str) -> StandIn:
    """dstack-verifier's POST /verify as its README shows it: the report data read from the
    quote it is sent, the app's identity from the (here: given) event log."""

    def respond(s: StandIn, method: str, path: str) -> tuple[int, str, bytes]:
        if path == "/health":
            return _json(200, {"status": "ok", "service": "dstack-verifier"})
        if method != "POST" or path != "/verify":
            return 404, "text/plain", b"not found"
        quote = bytes.fromhex(json.loads(s.body)["quote"])
        report_data = quote[REPORT_DATA_AT:REPORT_DATA_AT + 64].hex()
        return _json(200, {"is_valid": True, "reason": None, "details": {
            "quote_verified": True, "event_log_verified": True, "os_image_hash_verified": True,
            "report_data": report_data, "tcb_status": "UpToDate", "advisory_ids": [],
            "app_info": {"app_id": app_id, "compose_hash": compose_hash, "os_image_hash": GUEST_DIGEST}}})

    return StandIn(respond)


CURL_VIA_LOCALHOST = """#!/bin/sh
# Stand-in for DNS and the public CA: every connection goes to 127.0.0.1 (same port), and the
# stand-in Gateway's certificate is trusted.
exec {curl} --connect-to ::127.0.0.1: --cacert {ca} "$@"
"""


def curl_via_localhost(folder: Path, ca: Path) -> None:
    """Put a `curl` in the rehearsal's PATH that reaches `https://<app-id>.<apps domain>:<port>` locally."""
    real = shutil.which("curl")
    assert real, "curl is needed for the rehearsal"
    shim = folder / "curl"
    shim.write_text(CURL_VIA_LOCALHOST.format(curl=real, ca=ca))
    shim.chmod(0o755)


class TlsStandIn:
    """The key provider's endpoint: a TLS server. Broken: accepts TCP and closes, as docker-proxy
    does when the container behind it is dead."""

    def __init__(self, workdir: Path) -> None:
        self.broken = False
        key, cert = workdir / "kp.key", workdir / "kp.crt"
        subprocess.run(["openssl", "req", "-x509", "-nodes", "-newkey", "rsa:2048", "-days", "1", "-subj",
                        "/CN=key-provider", "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self._stop = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            if self.broken:
                conn.close()
                return
            with self.context.wrap_socket(conn, server_side=True) as tls:
                tls.settimeout(5)
                try:
                    tls.recv(1024)
                except OSError:
                    pass
        except (OSError, ssl.SSLError):
            pass

    def close(self) -> None:
        self._stop = True
        self.sock.close()


# --- the dstack checkout ---------------------------------------------------------------------

VMM_CLI = '''#!/usr/bin/env python3
"""Stand-in for vmm/src/vmm-cli.py: the subcommands the tutorials call, against the stub VMM."""
import argparse, json, urllib.request
p = argparse.ArgumentParser()
p.add_argument("--url", required=True)
sub = p.add_subparsers(dest="command")
ls = sub.add_parser("lsimage"); ls.add_argument("--json", action="store_true")
a = p.parse_args()
def rpc(method):
    req = urllib.request.Request(f"{a.url}/prpc/{method}?json", data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=10))
if a.command == "lsimage":
    images = rpc("ListImages")["images"]
    if a.json:
        print(json.dumps(images, indent=2))
    else:
        for img in images:
            print(img["name"], img.get("version", "-"))
'''

# Stand-in for gateway/dstack-app/deploy-to-vmm.sh: template, required variables, compose
# hash from the .env values, the tty-only prompt, then "deploy" (a marker file).
GATEWAY_DEPLOY = r'''#!/bin/bash
if [ -f .env ]; then
  echo "Loading environment variables from .env file..."
  set -a; source .env; set +a
else
  echo "Creating template .env file..."
  cat >.env <<EOF
# VMM_RPC=unix:../../../build/vmm.sock
# CF_API_TOKEN=your_cloudflare_api_token
# SRV_DOMAIN=test5.dstack.phala.network
PUBLIC_IP=192.0.2.1
NODE_ID=1
# GATEWAY_APP_ID=31884c4b7775affe4c99735f6c2aff7d7bc6cfcd
ACME_STAGING=no
# NET_MODE=bridge
SUBNET_INDEX=0
# MY_URL=https://gateway.test5.dstack.phala.network:9202
# BOOTNODE_URL=https://gateway.test2.dstack.phala.network:9202
OS_IMAGE=dstack-0.5.5
GATEWAY_IMAGE=dstacktee/dstack-gateway@sha256:a7b7e3144371b053ba21d6ac18141afd49e3cd767ca2715599aa0e2703b3a11a
GATEWAY_RPC_ADDR=0.0.0.0:9202
GATEWAY_ADMIN_RPC_ADDR=127.0.0.1:9203
GATEWAY_SERVING_PORT=9204
GATEWAY_SERVING_NUM_PORTS=1
GUEST_AGENT_ADDR=127.0.0.1:9206
WG_ADDR=0.0.0.0:9202
APP_LAUNCH_TOKEN=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
EOF
  echo "Please edit the .env file and set the required variables, then run this script again."
  exit 1
fi
for var in VMM_RPC CF_API_TOKEN SRV_DOMAIN PUBLIC_IP WG_ADDR GATEWAY_APP_ID MY_URL APP_LAUNCH_TOKEN NODE_ID KMS_URL; do
  if [ -z "${!var}" ]; then echo "Error: Required environment variable $var is not set."; exit 1; fi
done
echo "Docker compose file:"
echo "services: {gateway: {image: $GATEWAY_IMAGE}}"
extra=""
[ -f "$STANDIN_CONTROL/compose-drift" ] && extra="$(date +%s%N)"
jq -n --arg img "$GATEWAY_IMAGE" --arg domain "$SRV_DOMAIN" --arg kms "$KMS_URL" --arg id "$GATEWAY_APP_ID" \
  --arg token "$(printf %s "$APP_LAUNCH_TOKEN" | sha256sum | cut -d' ' -f1)" --arg extra "$extra" \
  '{manifest_version: 2, name: "dstack-gateway", image: $img, domain: $domain, kms: $kms, app: $id,
    launch_token_hash: $token, extra: $extra}' > .app-compose.json
echo "Compose hash: 0x$(sha256sum .app-compose.json | cut -d' ' -f1)"
echo "Configuration:"
echo "VMM_RPC: $VMM_RPC"
if [ -t 0 ]; then
  read -p "Continue? [y/N] " -n 1 -r
  echo
  if [[ ! $REPLY =~ ^[Yy]$ ]]; then echo "Deployment cancelled"; exit 1; fi
fi
echo "Deploying dstack-gateway to dstack-vmm..."
echo "net=${NET_MODE:-bridge} kms=$KMS_URL compose=$(sha256sum .app-compose.json | cut -d' ' -f1)" > "$STANDIN_CONTROL/deployed"
echo "App ID: $GATEWAY_APP_ID"
echo "Created VM with ID: 6b1c2f0e-0000-4000-8000-000000000001"
echo "Admin API ready, bootstrapping configuration..."
echo "Bootstrap complete"
'''

SUDO = '#!/bin/sh\n# Stand-in for sudo: the rehearsal runs as the invoking user.\nwhile [ $# -gt 0 ]; do case $1 in -*) shift;; *) break;; esac; done\nexec "$@"\n'


def dstack_checkout(root: Path, python: str) -> Path:
    """A dstack-like tree at DSTACK_DIR with the files the rehearsed steps use."""
    root.mkdir(parents=True)
    (root / "vmm" / "src").mkdir(parents=True)
    cli = root / "vmm" / "src" / "vmm-cli.py"
    cli.write_text(VMM_CLI)
    cli.chmod(0o755)
    venv_bin = root / "vmm" / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    os.symlink(python, venv_bin / "python")
    (root / "kms" / "auth-simple").mkdir(parents=True)
    gateway = root / "gateway" / "dstack-app"
    gateway.mkdir(parents=True)
    script = gateway / "deploy-to-vmm.sh"
    script.write_text(GATEWAY_DEPLOY)
    script.chmod(0o755)
    (root / "vmm-data").mkdir()
    (root / "vmm-data" / "vmm.toml").write_text(
        '[key_provider]\nenabled = true\naddress = "127.0.0.1"\nport = 3443\n')
    return root


def reboot_stub(folder: Path, sysfs: Path, tdx: str) -> Path:
    """TUTOR_REBOOT_COMMAND for the rehearsal: the host "comes back" with KVM's tdx parameter
    reading `tdx` (Y: the TDX kernel booted; N: another kernel did), and the reboot is counted."""
    script = folder / "reboot-standin"
    parameter = sysfs / "module" / "kvm_intel" / "parameters" / "tdx"
    script.write_text(f"#!/bin/sh\nmkdir -p '{parameter.parent}' && echo {tdx} > '{parameter}'\n"
                      f"echo reboot >> \"$STANDIN_CONTROL/reboots\"\n")
    script.chmod(0o755)
    return script


def shim_bin(folder: Path) -> Path:
    folder.mkdir(parents=True)
    sudo = folder / "sudo"
    sudo.write_text(SUDO)
    sudo.chmod(0o755)
    return folder
