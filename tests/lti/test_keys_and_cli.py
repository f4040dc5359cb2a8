"""The tool's keys and `simulator lti`: platforms from the command line, rotation, retirement."""

from __future__ import annotations

import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlmodel import select

from simulator import create_app
from simulator.cli import cli
from simulator.config import ConfigError
from simulator.lti.keys import ToolKeyError, key_dir, tool_keys
from simulator.models import AuditEvent, LtiPlatform

GOOD = ["--issuer", "https://moodle.example.edu", "--client-id", "abc123",
        "--auth-url", "https://moodle.example.edu/mod/lti/auth.php",
        "--token-url", "https://moodle.example.edu/mod/lti/token.php",
        "--jwks-url", "https://moodle.example.edu/mod/lti/certs.php",
        "--deployment-id", "1", "--deployment-id", "7", "--name", "Moodle"]


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _pem(bits: int = 2048) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def _with(args: list[str], flag: str, value: str) -> list[str]:
    changed = list(args)
    changed[changed.index(flag) + 1] = value
    return changed


def test_add_platform_then_list_shows_it_with_the_urls_to_paste(runner, session):
    added = runner.invoke(cli, ["lti", "add-platform", *GOOD])
    assert added.exit_code == 0, added.output
    platform = session.exec(select(LtiPlatform)).one()
    assert (platform.name, platform.issuer, platform.client_id, platform.deployment_ids) == (
        "Moodle", "https://moodle.example.edu", "abc123", ["1", "7"])
    assert added.output == (f"Registered platform {platform.id} (https://moodle.example.edu, "
                            "client id abc123) with 2 deployment(s).\n")
    assert session.exec(select(AuditEvent).where(
        AuditEvent.action == "lti.platform.add")).one().object_id == str(platform.id)
    listed = runner.invoke(cli, ["lti", "list", "--base-url", "https://sim.example.ac.uk"])
    assert listed.exit_code == 0, listed.output
    for line in ("Login (OIDC initiation) URL:      https://sim.example.ac.uk/lti/login",
                 "Launch / redirect / target URL:   https://sim.example.ac.uk/lti/launch",
                 "Deep linking (content selection): https://sim.example.ac.uk/lti/launch",
                 "Public keyset (JWKS) URL:         https://sim.example.ac.uk/lti/jwks.json"):
        assert line in listed.output
    assert "Moodle" in listed.output and "abc123" in listed.output and "1, 7" in listed.output


def test_add_platform_reports_every_bad_value_by_flag(runner, session):
    args = _with(_with(GOOD, "--auth-url", "http://moodle.example.edu/auth"),
                 "--jwks-url", "certs.php")
    result = runner.invoke(cli, ["lti", "add-platform", *args])
    assert result.exit_code == 1
    assert result.output == (
        "Error: Nothing was saved.\n"
        "--auth-url: must use https ('http://moodle.example.edu/auth' uses http, which is "
        "allowed only to 127.0.0.1, localhost or ::1 for testing).\n"
        "--jwks-url: 'certs.php' is not an absolute https URL.\n")
    assert session.exec(select(LtiPlatform)).all() == []


def test_http_to_loopback_is_allowed_for_testing(runner, session):
    local = ["--issuer", "http://localhost:8080", "--client-id", "x",
             "--auth-url", "http://127.0.0.1:8080/auth", "--token-url", "http://[::1]:8080/t",
             "--jwks-url", "http://localhost:8080/jwks", "--deployment-id", "d"]
    result = runner.invoke(cli, ["lti", "add-platform", *local])
    assert result.exit_code == 0, result.output


def test_a_duplicate_issuer_and_client_id_says_so(runner, session):
    assert runner.invoke(cli, ["lti", "add-platform", *GOOD]).exit_code == 0
    again = runner.invoke(cli, ["lti", "add-platform", *GOOD])
    assert again.exit_code == 1
    assert ("--client-id: a platform with issuer 'https://moodle.example.edu' and client id "
            "'abc123' is already registered (id 1).") in again.output
    other_client = runner.invoke(cli, ["lti", "add-platform", *_with(GOOD, "--client-id", "z")])
    assert other_client.exit_code == 0  # one issuer, several registrations


def test_add_platform_needs_a_deployment_id(runner):
    args = GOOD[:GOOD.index("--deployment-id")] + ["--name", "x"]
    result = runner.invoke(cli, ["lti", "add-platform", *args])
    assert result.exit_code == 2 and "--deployment-id" in result.output


def test_the_first_key_is_made_on_first_use_readable_by_the_owner_only(app, tool_key):
    folder = key_dir(app)
    (folder / f"{tool_key}.pem").unlink()
    (folder / "current").unlink()
    keys = tool_keys(app)
    assert keys.current_kid != tool_key
    path = folder / f"{keys.current_kid}.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    [public] = keys.jwks()["keys"]
    assert (public["kid"], public["alg"], public["use"], public["kty"]) == (
        keys.current_kid, "RS256", "sig", "RSA")
    assert "d" not in public and "p" not in public  # nothing private is published
    assert tool_keys(app).current_kid == keys.current_kid  # made once, then reused


def test_rotation_keeps_the_old_key_published_until_retired(app, runner, client, tool_key):
    rotated = runner.invoke(cli, ["lti", "rotate-key"])
    assert rotated.exit_code == 0, rotated.output
    new_kid = tool_keys(app).current_kid
    assert new_kid != tool_key and f"New current key {new_kid}." in rotated.output
    kids = [k["kid"] for k in client.get("/lti/jwks.json").get_json()["keys"]]
    assert kids == [new_kid, tool_key]
    assert sorted(p.name for p in key_dir(app).iterdir()) == sorted(
        ["current", f"{new_kid}.pem", f"{tool_key}.pem"])  # nothing staged is left behind
    refused = runner.invoke(cli, ["lti", "retire-key", new_kid])
    assert refused.exit_code == 1 and "is the current key" in refused.output
    retired = runner.invoke(cli, ["lti", "retire-key", tool_key])
    assert retired.exit_code == 0, retired.output
    assert [k["kid"] for k in client.get("/lti/jwks.json").get_json()["keys"]] == [new_kid]
    unknown = runner.invoke(cli, ["lti", "retire-key", "nope"])
    assert unknown.exit_code == 1
    assert "No published key 'nope'" in unknown.output and new_kid in unknown.output


def test_a_configured_key_signs_and_folder_keys_stay_published(app_config, tool_key, tmp_path):
    pem_file = tmp_path / "tool.pem"
    pem_file.write_text(_pem(), encoding="ascii")
    app = create_app({**app_config, "LTI_PRIVATE_KEY": str(pem_file)})
    keys = tool_keys(app)
    assert keys.current_kid != tool_key
    assert [k["kid"] for k in keys.jwks()["keys"]] == [keys.current_kid, tool_key]
    with pytest.raises(ToolKeyError, match="SIMULATOR_LTI_PRIVATE_KEY"):
        from simulator.lti.keys import rotate_key

        rotate_key(app)
    as_text = create_app({**app_config, "LTI_PRIVATE_KEY": pem_file.read_text()})
    assert tool_keys(as_text).current_kid == keys.current_kid


@pytest.mark.parametrize(("value", "message"), [
    ("/no/such/key.pem", "SIMULATOR_LTI_PRIVATE_KEY: cannot read the key file /no/such/key.pem"),
    ("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----",
     "SIMULATOR_LTI_PRIVATE_KEY: not a PEM private key"),
])
def test_a_bad_configured_key_stops_the_start_with_a_clear_message(app_config, value, message):
    with pytest.raises(ConfigError, match=message.replace(".", r"\.")):
        create_app({**app_config, "LTI_PRIVATE_KEY": value})


def test_a_short_configured_key_is_refused(app_config):
    with pytest.raises(ConfigError, match="the RSA key has 1024 bits; at least 2048 needed"):
        create_app({**app_config, "LTI_PRIVATE_KEY": _pem(1024)})


def test_the_jwks_is_public_and_cacheable_and_sets_no_cookie(client):
    response = client.get("/lti/jwks.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers.getlist("Set-Cookie") == []



def test_a_broken_key_folder_gives_a_clear_503_not_a_500(app, client, tool_key):
    (key_dir(app) / "current").write_text("no-such-kid", encoding="ascii")
    response = client.get("/lti/jwks.json")
    assert response.status_code == 503
    assert "signing key cannot be loaded" in response.get_data(as_text=True)
