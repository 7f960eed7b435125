"""The dstack tutorials, run for real through `tutor run` against local stand-ins.

Each `provides` case first runs the tutorial's steps against a healthy stand-in (its
`provides` checks pass at the end of the run). Then the stand-in is broken inside while
its port stays open, and a tutorial that depends on it is started: its pre-flight checks
the provider's `provides` once and refuses (exit 3, "this no longer holds").
"""

from __future__ import annotations

import json
from pathlib import Path

from . import standins
from .conftest import Rehearsal

GATEWAY_APP_ID = "32467b43bfa67273fc7ddda0999ee9a12f2aaa08"
CF_TOKEN = "cf-rehearsal-token-5b8e0a"
EXIT_VERIFY = 4
EXIT_PREFLIGHT = 3
EXIT_REBOOT = 5


def refused_by(r: Rehearsal, dependent: str, *variables: str) -> str:
    """Start `dependent` (a stand-in that needs the broken provider); return its refusal."""
    r.prepare(dependent)
    result = r.run(dependent, *variables)
    assert result.code == EXIT_PREFLIGHT, result.output
    assert "no longer holds" in result.output, result.output
    return result.output


def install_image(r: Rehearsal) -> None:
    image = r.images / f"dstack-{standins.GUEST_VERSION}"
    image.mkdir()
    (image / "metadata.json").write_text("{}")
    (image / "digest.txt").write_text(standins.GUEST_DIGEST + "\n")


def test_guest_image_setup_downloads_unpacks_and_is_listed(rehearsal: Rehearsal) -> None:
    r = rehearsal
    release, vmm = standins.release_server(), standins.vmm_server(r.images)
    r.servers += [release, vmm]
    folder = r.tutorial_set("guest-image-setup")
    r.prepare("guest-image-setup")
    variables = ["--var", f"DSTACK_DIR={r.dstack}", "--var", f"IMAGES_DIR={r.images}",
                 "--var", f"IMAGE_STAGING={r.root / 'staging'}",
                 "--var", f"IMAGE_BASE_URL=http://127.0.0.1:{release.port}", "--var", f"VMM_PORT={vmm.port}"]

    result = r.run("guest-image-setup", *variables)
    assert result.code == 0, result.output
    image = r.images / f"dstack-{standins.GUEST_VERSION}"
    assert (image / "digest.txt").read_text() == standins.GUEST_DIGEST
    assert f"dstack-{standins.GUEST_VERSION}" in result.output  # lsimage's table

    assert r.run("auth-server-setup", *variables).code == 0  # the next tutorial starts: guest-images holds
    # The VMM still holds its port but no longer answers ListImages: the provides check fails.
    vmm.broken = True
    refusal = refused_by(r, "auth-server-setup", *variables)
    assert "lsimage" in refusal and str(folder)


def test_guest_image_download_check_refuses_an_error_page(rehearsal: Rehearsal) -> None:
    r = rehearsal
    release, vmm = standins.release_server(), standins.vmm_server(r.images)
    release.broken = True  # 200 with an HTML body, saved under the archive's name
    r.servers += [release, vmm]
    r.tutorial_set("guest-image-setup")
    r.prepare("guest-image-setup")
    result = r.run("guest-image-setup", "--var", f"DSTACK_DIR={r.dstack}", "--var", f"IMAGES_DIR={r.images}",
                   "--var", f"IMAGE_STAGING={r.root / 'staging'}",
                   "--var", f"IMAGE_BASE_URL=http://127.0.0.1:{release.port}", "--var", f"VMM_PORT={vmm.port}")
    assert result.code == EXIT_VERIFY, result.output
    assert "not a guest image archive" in result.output
    assert not (r.images / f"dstack-{standins.GUEST_VERSION}").exists()


def test_auth_server_config_step_whitelists_the_image_and_health_is_observed(rehearsal: Rehearsal) -> None:
    r = rehearsal
    install_image(r)
    auth = standins.auth_server()
    r.servers.append(auth)
    r.tutorial_set("auth-server-setup")
    r.prepare("auth-server-setup")
    r.done_before("auth-server-setup", 3)
    variables = ["--var", f"DSTACK_DIR={r.dstack}", "--var", f"IMAGES_DIR={r.images}", "--var", f"AUTH_PORT={auth.port}"]

    result = r.run("auth-server-setup", *variables, "--only", "3")
    assert result.code == 0, result.output
    config_path = r.dstack / "kms" / "auth-simple" / "auth-config.json"
    config = json.loads(config_path.read_text())
    assert config == {"osImages": ["0x" + standins.GUEST_DIGEST], "kms": {"allowAnyDevice": True}, "apps": {}}

    # Run again on an existing file: the digest is merged, not duplicated, other keys stay.
    config["gatewayAppId"] = "0x" + GATEWAY_APP_ID
    config_path.write_text(json.dumps(config))
    again = r.run("auth-server-setup", *variables, "--only", "3", "--restart")
    assert again.code == 0, again.output
    merged = json.loads(config_path.read_text())
    assert merged["osImages"] == ["0x" + standins.GUEST_DIGEST] and merged["gatewayAppId"] == "0x" + GATEWAY_APP_ID

    auth.broken = True  # still answers 200 on its port, but its health says error
    refusal = refused_by(r, "pccs-qcnl-collateral", *variables)
    assert f"http://127.0.0.1:{auth.port}/" in refusal


def test_key_provider_check_needs_a_tls_handshake(rehearsal: Rehearsal) -> None:
    r = rehearsal
    provider = standins.TlsStandIn(r.root)
    r.servers.append(provider)
    r.tutorial_set("sgx-key-provider")
    r.prepare("sgx-key-provider")
    r.done_before("sgx-key-provider", 4)
    variables = ["--var", f"DSTACK_DIR={r.dstack}", "--var", f"KEY_PROVIDER_PORT={provider.port}"]

    assert (ok := r.run("sgx-key-provider", *variables, "--only", "4")).code == 0, ok.output

    provider.broken = True  # accepts the connection and closes it, as docker-proxy does for a dead container
    refusal = refused_by(r, "kms-build-configuration", *variables)
    assert "openssl s_client" in refusal


def test_vmm_running_check_needs_the_status_rpc(rehearsal: Rehearsal) -> None:
    r = rehearsal
    vmm = standins.vmm_server(r.images)
    r.servers.append(vmm)
    r.tutorial_set("vmm-service-setup")
    r.prepare("vmm-service-setup")
    variables = ["--var", f"DSTACK_DIR={r.dstack}", "--var", f"VMM_PORT={vmm.port}"]

    assert (ok := r.run("vmm-service-setup", *variables, "--only", "1")).code == 0, ok.output

    vmm.broken = True  # the port answers 200 with a page, but there is no RPC API behind it
    refusal = refused_by(r, "guest-image-setup", *variables)
    assert "prpc/Status" in refusal


def gateway_setup(r: Rehearsal) -> tuple[list[str], standins.StandIn]:
    install_image(r)
    auth, admin = standins.auth_server(), standins.gateway_admin()
    r.servers += [auth, admin]
    app = "0x" + GATEWAY_APP_ID
    (r.dstack / "kms" / "auth-simple" / "auth-config.json").write_text(json.dumps(
        {"osImages": ["0x" + standins.GUEST_DIGEST], "kms": {"allowAnyDevice": True},
         "apps": {app: {"composeHashes": [], "allowAnyDevice": True}}, "gatewayAppId": app}))
    r.tutorial_set("gateway-cvm-deployment")
    r.prepare("gateway-cvm-deployment")
    variables = ["--var", f"DSTACK_DIR={r.dstack}", "--var", f"AUTH_PORT={auth.port}", "--var", "VMM_PORT=9",
                 "--var", f"GATEWAY_ADMIN_PORT={admin.port}",
                 "--var", f"GATEWAY_APP_ID={GATEWAY_APP_ID}", "--var", "GATEWAY_DOMAIN=gateway.apps.example.test",
                 "--var", "SRV_DOMAIN=apps.example.test", "--var", "KMS_DOMAIN=kms.example.test",
                 "--var", "PUBLIC_IP=198.51.100.7", "--var", f"CF_API_TOKEN={CF_TOKEN}"]
    return variables, auth


def test_gateway_env_from_template_then_hash_whitelisted_before_the_deploy_answer(rehearsal: Rehearsal) -> None:
    r = rehearsal
    variables, _ = gateway_setup(r)
    app_dir = r.dstack / "gateway" / "dstack-app"

    result = r.run("gateway-cvm-deployment", *variables, "--until", "5")
    assert result.code == 0, result.output
    assert CF_TOKEN not in result.output

    env = (app_dir / ".env").read_text()
    assert "NODE_ID=1" in env and "APP_LAUNCH_TOKEN=" in env and "GATEWAY_SERVING_PORT=9204" in env  # kept from the template
    assert "NET_MODE=user" in env and "KMS_URL=https://kms.example.test:9201" in env
    assert (app_dir / ".env").stat().st_mode & 0o777 == 0o600

    whitelisted = (app_dir / "gateway-compose-hash").read_text().strip()
    config = json.loads((r.dstack / "kms" / "auth-simple" / "auth-config.json").read_text())
    assert config["apps"]["0x" + GATEWAY_APP_ID]["composeHashes"] == [whitelisted]
    deployed = (r.control / "deployed").read_text()
    assert "net=user" in deployed and f"compose={whitelisted.removeprefix('0x')}" in deployed
    assert "Deployment cancelled" in (app_dir / "preview.log").read_text()  # the preview answered n


def test_gateway_deploy_answers_no_when_the_hash_differs(rehearsal: Rehearsal) -> None:
    r = rehearsal
    variables, _ = gateway_setup(r)
    first = r.run("gateway-cvm-deployment", *variables, "--until", "4")
    assert first.code == 0, first.output

    (r.control / "compose-drift").touch()  # the script now renders another compose file than the one whitelisted
    result = r.run("gateway-cvm-deployment", *variables, "--only", "5")
    assert result.code != 0, result.output
    assert "answering n" in result.output
    assert not (r.control / "deployed").exists()


def tdx_reboot_setup(r: Rehearsal, tdx: str) -> tuple[list[str], dict[str, str]]:
    checkout = r.root / "canonical-tdx"
    checkout.mkdir()
    (checkout / "setup-tdx-host.sh").write_text("#!/bin/sh\n")
    sysfs = r.root / "sys"
    r.tutorial_set("tdx-software-installation")
    r.prepare("tdx-software-installation")
    r.done_before("tdx-software-installation", 6)
    variables = ["--var", f"TDX_CHECKOUT={checkout}", "--var", f"SYSFS_ROOT={sysfs}"]
    return variables, {"TUTOR_REBOOT_COMMAND": str(standins.reboot_stub(r.bin, sysfs, tdx))}


def test_tdx_install_reboots_then_checks_that_kvm_reports_tdx(rehearsal: Rehearsal) -> None:
    r = rehearsal
    variables, env = tdx_reboot_setup(r, "Y")

    first = r.run("tdx-software-installation", *variables, "--only", "6", env=env)
    assert first.code == EXIT_REBOOT, first.output
    assert (r.control / "reboots").read_text().split() == ["reboot"]

    after = r.run("tdx-software-installation", *variables, env=env)
    assert after.code == 0, after.output
    assert "Step 6/6: Reboot into the TDX kernel: done" in after.output
    assert (r.control / "reboots").read_text().split() == ["reboot"], "the run after the reboot does not reboot again"


def test_tdx_install_after_a_reboot_into_another_kernel_fails_its_check(rehearsal: Rehearsal) -> None:
    r = rehearsal
    variables, env = tdx_reboot_setup(r, "N")  # the host came back, KVM says no TDX

    first = r.run("tdx-software-installation", *variables, "--only", "6", env=env)
    assert first.code == EXIT_REBOOT, first.output

    after = r.run("tdx-software-installation", *variables, env=env)
    assert after.code == EXIT_VERIFY, after.output
    assert "step 6/6 (Reboot into the TDX kernel) ended with a reboot, and after it a check fails" in after.output, after.output
    assert "parameters/tdx has content matching `^Y`" in after.output and "KVM does not report TDX after the reboot" in after.output

    still = r.run("tdx-software-installation", *variables, env=env)
    assert still.code == EXIT_VERIFY, "each run makes the step's checks again until they pass"


APP_ID = "e631a04a5d068c0e5ffd8ca60d6574ac99a18bda"


def quote_setup(r: Rehearsal) -> tuple[list[str], standins.StandIn, Path]:
    gateway, ca = standins.gateway_app_server(r.root)
    r.servers.append(gateway)
    standins.curl_via_localhost(r.bin, ca)
    app = r.dstack / "apps" / "hello-world"
    (app / "attestation").mkdir(parents=True)
    (app / "app-id").write_text(APP_ID + "\n")
    r.tutorial_set("attestation-verification")
    r.prepare("attestation-verification")
    r.done_before("attestation-verification", 3)
    variables = ["--var", f"DSTACK_DIR={r.dstack}", "--var", f"SRV_DOMAIN={standins.APPS_DOMAIN}",
                 "--var", f"APP_PORT={gateway.port}"]
    return variables, gateway, app / "attestation"


def test_attestation_gets_a_quote_for_a_fresh_nonce_or_the_readers_report_data(rehearsal: Rehearsal) -> None:
    r = rehearsal
    variables, _, attestation = quote_setup(r)

    fresh = r.run("attestation-verification", *variables, "--only", "3")
    assert fresh.code == 0, fresh.output
    nonce = (attestation / "report-data").read_text().strip()
    assert len(nonce) == 66 and nonce.startswith("0x")
    quote = json.loads((attestation / "quote.json").read_text())
    assert nonce[2:] in quote["quote"]

    chosen = "0x" + "ab12" * 4
    again = r.run("attestation-verification", *variables, "--var", f"REPORT_DATA={chosen}", "--only", "3")
    assert again.code == 0, again.output
    assert (attestation / "report-data").read_text().strip() == chosen
    assert chosen[2:] + "00" in json.loads((attestation / "quote.json").read_text())["quote"]

    refused = r.run("attestation-verification", *variables, "--var", "REPORT_DATA=0x123", "--only", "3")
    assert refused.code == 1 and "REPORT_DATA must be 0x and 1 to 64 bytes of hex" in refused.output, refused.output


def test_attestation_quote_check_refuses_a_replayed_quote(rehearsal: Rehearsal) -> None:
    r = rehearsal
    variables, gateway, attestation = quote_setup(r)
    gateway.broken = True  # well-formed JSON, a real-looking quote, but for someone else's report data

    result = r.run("attestation-verification", *variables, "--only", "3")
    assert result.code == EXIT_VERIFY, result.output
    assert "not a quote for your report data" in result.output
    assert standins.OLD_REPORT_DATA in (attestation / "quote.json").read_text()


def test_attestation_quote_step_fails_on_an_error_page(rehearsal: Rehearsal) -> None:
    r = rehearsal
    variables, gateway, _ = quote_setup(r)
    gateway.broken, gateway.garbage = True, "html"  # status 200, but a page, not a quote

    result = r.run("attestation-verification", *variables, "--only", "3")
    assert result.code == EXIT_VERIFY, result.output
    assert "quote.json is not a quote's JSON; it starts with:\n<html>" in result.output
    assert "not a quote for your report data" in result.output


def verify_setup(r: Rehearsal, quoted: str, sent: str) -> list[str]:
    """Step 5 with quote.json for report data `quoted` and report-data `sent`."""
    install_image(r)
    compose_hash = "c0" * 32
    verifier = standins.verifier_server(APP_ID, compose_hash)
    r.servers.append(verifier)
    app = r.dstack / "apps" / "hello-world"
    (app / "attestation").mkdir(parents=True)
    (app / "app-id").write_text(APP_ID + "\n")
    (app / "compose-hash").write_text(compose_hash + "\n")
    (app / "attestation" / "report-data").write_text(sent + "\n")
    (app / "attestation" / "quote.json").write_text(json.dumps(
        {"quote": standins.tdx_quote(quoted.removeprefix("0x")), "event_log": "[]", "vm_config": "{}"}))
    r.tutorial_set("attestation-verification")
    r.prepare("attestation-verification")
    r.done_before("attestation-verification", 5)
    return ["--var", f"DSTACK_DIR={r.dstack}", "--var", f"IMAGES_DIR={r.images}", "--var", "SRV_DOMAIN=apps.example.test",
            "--var", f"VERIFIER_PORT={verifier.port}"]


def test_attestation_verify_step_accepts_a_verified_quote_for_the_report_data_sent(rehearsal: Rehearsal) -> None:
    r = rehearsal
    nonce = "0x" + "7a" * 32
    variables = verify_setup(r, quoted=nonce, sent=nonce)
    result = r.run("attestation-verification", *variables, "--only", "5")
    assert result.code == 0, result.output
    verified = json.loads((r.dstack / "apps" / "hello-world" / "attestation" / "verified.json").read_text())
    assert verified["details"]["report_data"].startswith(nonce[2:])


def test_attestation_verify_step_refuses_a_genuine_quote_for_other_report_data(rehearsal: Rehearsal) -> None:
    r = rehearsal
    # The verifier finds the quote genuine and the app's identity right, but the quote was made
    # for someone else's nonce: a replayed quote. Only the report data tells.
    variables = verify_setup(r, quoted="0x" + standins.OLD_REPORT_DATA, sent="0x" + "7a" * 32)
    result = r.run("attestation-verification", *variables, "--only", "5")
    assert result.code == 1, result.output
    assert "step 5/5 (Verify the quote and compare the app's identity) failed" in result.output
    assert ": `jq -e --arg app \"$(cat ../app-id)\"" in result.output, "the identity and report data test failed"
