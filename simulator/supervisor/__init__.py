"""Supervisors and course leaders: cohorts, assignments, review, agreement and exports."""

from flask import Blueprint

bp = Blueprint("supervisor", __name__, url_prefix="/supervise")

from simulator.supervisor import (  # noqa: E402, F401  (registers the views)
    authoring_views,
    cohort_views,
    export_views,
    home,
    link_views,
    lms_views,
    preview_views,
    review_views,
    roster_views,
    upload_views,
    version_views,
)
