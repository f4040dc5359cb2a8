"""PyLTI1p3's tool configuration, read from the LtiPlatform rows and the tool's current key.

Every issuer may have several registrations (client ids), so lookups always go by issuer and
client id; a login request without a client id still finds the registration when the issuer
has exactly one.
"""

from __future__ import annotations

from flask import Flask
from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config import ToolConfAbstract
from sqlmodel import Session, select

from simulator.lti.keys import tool_keys
from simulator.models import LtiPlatform


class PlatformRegistration(Registration):
    """A PyLTI1p3 registration that remembers which LtiPlatform row it came from."""

    platform: LtiPlatform


class DbToolConf(ToolConfAbstract):
    """Registrations and deployments from the database, signed with the tool's current key."""

    def __init__(self, session: Session, app: Flask) -> None:
        super().__init__()
        self._session = session
        self._app = app

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False  # always look registrations up by issuer *and* client id

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def platform(self, iss: str, client_id: str | None) -> LtiPlatform | None:
        """The registered platform; without a client id, the issuer's only registration."""
        query = select(LtiPlatform).where(LtiPlatform.issuer == iss)
        if client_id is not None:
            return self._session.exec(query.where(LtiPlatform.client_id == client_id)).first()
        found = self._session.exec(query.limit(2)).all()
        return found[0] if len(found) == 1 else None

    def registration(self, platform: LtiPlatform) -> PlatformRegistration:
        """The PyLTI1p3 registration for a platform row."""
        keys = tool_keys(self._app)
        registration = PlatformRegistration()
        registration.platform = platform
        (registration.set_issuer(platform.issuer).set_client_id(platform.client_id)
         .set_auth_login_url(platform.auth_url).set_auth_token_url(platform.token_url)
         .set_key_set_url(platform.jwks_url).set_tool_private_key(keys.current_private_pem)
         .set_tool_public_key(keys.current_public_pem))
        return registration

    def find_registration_by_issuer(self, iss: str, *args, **kwargs):
        platform = self.platform(iss, None)
        return self.registration(platform) if platform else None

    def find_registration_by_params(self, iss: str, client_id: str | None, *args, **kwargs):
        platform = self.platform(iss, client_id)
        return self.registration(platform) if platform else None

    def find_deployment(self, iss: str, deployment_id: str):
        platform = self.platform(iss, None)
        return _deployment(platform, deployment_id)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str,
                                  *args, **kwargs):
        return _deployment(self.platform(iss, client_id), deployment_id)


def _deployment(platform: LtiPlatform | None, deployment_id: str) -> Deployment | None:
    if platform is None or deployment_id not in (platform.deployment_ids or []):
        return None
    return Deployment().set_deployment_id(deployment_id)
