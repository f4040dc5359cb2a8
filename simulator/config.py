"""Settings: defaults, SIMULATOR_* environment variables, and the checks production insists on."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from simulator.resources import resource_dir

MIN_SECRET_LENGTH = 32
# Values people paste from tutorials; a key like these signs sessions anyone can forge.
KNOWN_WEAK_SECRETS = frozenset(
    {"dev", "secret", "changeme", "change-me", "password", "development"}
)

DEFAULTS = {
    "ENV": "development",
    "DATABASE_URL": None,  # resolved to a SQLite file in the instance folder
    "SECRET_KEY": None,  # resolved from the instance folder outside production
    "SCENARIOS_DIR": None,  # resolved to the shipped library
    "RATELIMIT_STORAGE_URI": "database",  # failed sign-ins counted where every worker sees them
    "LOGIN_RATE_LIMIT": "10 per minute",
    "SESSION_IDLE_HOURS": 12,  # signed out after this long without a request
    "SESSION_MAX_DAYS": 7,  # and after this long in any case
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    # The site's public address (https://sim.example.ac.uk): the base of xAPI ids; None uses
    # the request's own address (and xAPI statements made outside a request are not queued).
    "BASE_URL": None,
    # xAPI delivery to a learning record store (simulator.xapi); None turns it off entirely.
    "LRS_URL": None,  # the LRS's xAPI endpoint; statements go to {LRS_URL}/statements
    "LRS_USERNAME": None,  # HTTP Basic credentials the LRS issued for this site
    "LRS_PASSWORD": None,
    "XAPI_RESPONSE_TEXT": True,  # False: statements leave out the trainee's words
    "DELIVERY_MODE": "background",  # background | inline | off (simulator.delivery)
    "DELIVERY_POLL_SECONDS": 30,  # the background sender also wakes this often, for retries
    # The LTI tool's signing key (PEM text or a PEM file's path); None: keys made and rotated
    # in <instance>/lti/keys (simulator.lti.keys).
    "LTI_PRIVATE_KEY": None,
}


class ConfigError(RuntimeError):
    """The configuration cannot run safely; the message says what to change."""


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill app.config from defaults, then SIMULATOR_* variables, then test overrides."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("SIMULATOR")
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _resolve_database_url(app)
    _resolve_scenarios_dir(app)
    _resolve_secret_key(app)


def is_production(app: Flask) -> bool:
    """True when SIMULATOR_ENV=production."""
    return str(app.config.get("ENV", "")).lower() == "production"


def _resolve_database_url(app: Flask) -> None:
    if not app.config["DATABASE_URL"]:
        path = Path(app.instance_path) / "simulator.db"
        app.config["DATABASE_URL"] = f"sqlite:///{path}"


def _resolve_scenarios_dir(app: Flask) -> None:
    configured = app.config["SCENARIOS_DIR"]
    app.config["SCENARIOS_DIR"] = str(Path(configured) if configured else resource_dir("scenarios"))


def _resolve_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if is_production(app):
        check_production_secret(key)
        return
    if not key:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")


def check_production_secret(key: object) -> None:
    """Refuse a missing, short or well-known secret key in production, saying why."""
    if not key:
        raise ConfigError(
            "SIMULATOR_SECRET_KEY is not set. Production needs an explicit secret shared by "
            "every app server; generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'"
        )
    text = str(key)
    if len(text) < MIN_SECRET_LENGTH or text.lower() in KNOWN_WEAK_SECRETS:
        raise ConfigError(
            f"SIMULATOR_SECRET_KEY is too weak: it has {len(text)} characters and needs at "
            f"least {MIN_SECRET_LENGTH} random ones."
        )
    if len(set(text)) < 10:
        raise ConfigError("SIMULATOR_SECRET_KEY is too weak: it repeats too few characters.")


def _instance_secret(path: Path) -> str:
    """Read the instance secret, creating it (readable by the owner only) on first use."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker created it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
