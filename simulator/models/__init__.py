"""The data model. Importing this package registers every table on SQLModel.metadata."""

from simulator.models.authoring import AuthoredScenario, ScenarioAudience, ScenarioVersion
from simulator.models.lti import (
    LtiContext,
    LtiGradeSync,
    LtiIdentity,
    LtiLink,
    LtiPlatform,
)
from simulator.models.membership import AttemptShare, CohortInvitation, RosterImport
from simulator.models.outbox import OUTBOX_STATUSES, XapiOutbox
from simulator.models.people import (
    COHORT_ROLES,
    ROLES,
    Cohort,
    CohortMember,
    SetPasswordToken,
    User,
)
from simulator.models.practice import (
    ATTEMPT_STATUSES,
    MODES,
    Assignment,
    Attempt,
    ScenarioSnapshot,
    Turn,
)
from simulator.models.review import AuditEvent, Review
from simulator.models.throttle import FailureCount
from simulator.models.types import utcnow

__all__ = [
    "ATTEMPT_STATUSES",
    "COHORT_ROLES",
    "MODES",
    "OUTBOX_STATUSES",
    "ROLES",
    "Assignment",
    "Attempt",
    "AuthoredScenario",
    "AttemptShare",
    "AuditEvent",
    "Cohort",
    "CohortInvitation",
    "CohortMember",
    "FailureCount",
    "LtiContext",
    "LtiGradeSync",
    "LtiIdentity",
    "LtiLink",
    "LtiPlatform",
    "Review",
    "RosterImport",
    "ScenarioAudience",
    "ScenarioSnapshot",
    "ScenarioVersion",
    "SetPasswordToken",
    "Turn",
    "User",
    "XapiOutbox",
    "utcnow",
]
