"""Holding Space: a training simulator for repairing ruptures in the therapeutic alliance."""

from __future__ import annotations

import logging
import os

from flask import Flask

from simulator import db, library
from simulator.config import load_config
from simulator.extensions import csrf, htmx, limiter, login_manager
from simulator.resources import resource_dir

__version__ = "0.1.0"


def create_app(test_config: dict | None = None) -> Flask:
    """Build a configured app: settings, database, scenario library, extensions, blueprints."""
    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get(
        "SIMULATOR_INSTANCE_PATH"
    )
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    load_config(app, test_config)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))
    db.init_app(app)
    library.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _init_extensions(app: Flask) -> None:
    csrf.init_app(app)
    htmx.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    from simulator.auth.session import init_login

    init_login(app, login_manager)


def _register_blueprints(app: Flask) -> None:
    from simulator.auth import bp as auth_bp
    from simulator.main import bp as main_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
