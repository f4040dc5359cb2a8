"""The application factory: settings, database, scenario library, extensions, blueprints."""

from __future__ import annotations

import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from simulator import db, delivery, headers, library, logs, lti, xapi
from simulator.config import load_config
from simulator.extensions import csrf, htmx, login_manager
from simulator.lti import grades as lti_grades
from simulator.resources import resource_dir
from simulator.web import credited_spans, highlight


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
    logs.install()  # every record, from any logger, redacted before a handler sees it
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # start-up chatter
    db.init_app(app)
    library.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)
    lti.init_app(app)  # LMS launches (LTI 1.3): /lti endpoints, frame-friendly cookies
    xapi.init_app(app)  # statements to a learning record store, if SIMULATOR_LRS_URL is set
    lti_grades.init_app(app)  # grades back to LMS line items (LTI AGS), for linked assignments
    delivery.init_app(app)  # after every sender is registered: the first request wakes them
    headers.init_app(app)
    _trust_proxy(app)
    app.add_template_filter(highlight)
    app.add_template_global(credited_spans)
    return app


def _trust_proxy(app: Flask) -> None:
    """Behind N reverse proxies (SIMULATOR_PROXY_FIX=N), take scheme, host and client from them."""
    hops = int(app.config.get("PROXY_FIX") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _init_extensions(app: Flask) -> None:
    csrf.init_app(app)
    htmx.init_app(app)
    from simulator.auth import throttle
    from simulator.auth.session import init_login

    throttle.init_app(app)
    init_login(app, login_manager)


def _register_blueprints(app: Flask) -> None:
    from simulator.admin import bp as admin_bp
    from simulator.auth import bp as auth_bp
    from simulator.main import bp as main_bp
    from simulator.supervisor import bp as supervisor_bp
    from simulator.trainee import bp as trainee_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(trainee_bp)
    app.register_blueprint(supervisor_bp)
    app.register_blueprint(admin_bp)
