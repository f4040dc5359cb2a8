"""The app factory and its configuration."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from simulator import create_app
from simulator.config import ConfigError


def test_factory_builds_independent_apps(app_config):
    first = create_app(app_config)
    second = create_app({**app_config, "SECRET_KEY": "another-" + "k" * 40})
    assert first is not second
    assert first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
    assert first.testing


def test_settings_come_from_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SIMULATOR_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("SIMULATOR_SCENARIOS_DIR", str(tmp_path / "library"))
    monkeypatch.setenv("SIMULATOR_INSTANCE_PATH", str(tmp_path / "inst"))
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'env.db'}"
    assert app.config["SCENARIOS_DIR"] == str(tmp_path / "library")
    assert app.instance_path == str(tmp_path / "inst")


def test_database_defaults_to_sqlite_file_in_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SIMULATOR_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst")})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'inst' / 'simulator.db'}"


def test_secret_is_generated_once_and_kept_private(monkeypatch, tmp_path):
    monkeypatch.delenv("SIMULATOR_SECRET_KEY", raising=False)
    instance = tmp_path / "inst"
    first = create_app({"INSTANCE_PATH": str(instance)})
    second = create_app({"INSTANCE_PATH": str(instance)})
    secret_file = Path(instance) / "secret_key"
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (None, "SIMULATOR_SECRET_KEY is not set."),
        ("changeme", "SIMULATOR_SECRET_KEY is too weak: it has 8 characters and needs at least 32"),
        ("a" * 40, "SIMULATOR_SECRET_KEY is too weak: it repeats too few characters."),
    ],
)
def test_production_refuses_missing_or_weak_secret(monkeypatch, tmp_path, secret, message):
    monkeypatch.delenv("SIMULATOR_SECRET_KEY", raising=False)
    config = {"ENV": "production", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": secret}
    with pytest.raises(ConfigError) as caught:
        create_app(config)
    assert str(caught.value).startswith(message)
    assert not (tmp_path / "secret_key").exists()


def test_production_accepts_a_strong_secret(tmp_path):
    strong = "Zq8-rV2nW7xK1pL4sT9yB3mC6fH0jD5gA_eU"
    app = create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": strong})
    assert app.config["SECRET_KEY"] == strong


def test_base_layout_is_accessible_and_says_it_is_a_simulation(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page
    assert '<main id="main"' in page and '<nav aria-label="Main">' in page
    assert "It gives no clinical advice" in page
    assert "vendor/htmx/htmx.min.js" in page


def test_static_htmx_is_served(client):
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
    assert b"htmx" in response.data[:2000]
