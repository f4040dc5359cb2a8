"""LTI 1.3: LMS platforms launch Holding Space in a frame, sign people in, and get grades back.

The blueprint serves the tool's endpoints under /lti: the OIDC login initiation, the launch
(resource links and deep-linking requests), the deep-linking picker, and the public keys.
`init_app` wires what LTI needs beyond routes: the login and launch endpoints exempt from CSRF
(they verify state and a signed JWT instead), session cookies that work in the LMS frame, and
framing by the registered platforms. PyLTI1p3 does the protocol checks (simulator.lti.launch).
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("lti", __name__, url_prefix="/lti")
SESSION_MARK = "lti"  # session key: the platform id of a session signed in through a launch


def init_app(app: Flask) -> None:
    """Register the blueprint, the frame-friendly session cookie and the framing rule."""
    from simulator.config import ConfigError
    from simulator.extensions import csrf
    from simulator.lti import deep_linking, framing, views  # noqa: F401  (registers the views)
    from simulator.lti.cookies import LtiSessionInterface
    from simulator.lti.errors import key_unavailable
    from simulator.lti.keys import ToolKeyError, configured_key

    if app.config.get("LTI_PRIVATE_KEY"):
        try:  # a bad key stops the start, not the first launch an hour later
            configured_key(str(app.config["LTI_PRIVATE_KEY"]))
        except ToolKeyError as error:
            raise ConfigError(str(error)) from None
    app.register_blueprint(bp)
    app.register_error_handler(ToolKeyError, key_unavailable)
    csrf.exempt(views.login)
    csrf.exempt(views.launch)
    app.session_interface = LtiSessionInterface()
    framing.init_app(app)
