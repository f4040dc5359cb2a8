"""GET /healthz for load balancers."""

from __future__ import annotations

from simulator.db import get_engine
from simulator.library import shipped_library


def test_healthz_reports_database_and_scenarios(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "database": "ok",
        "scenarios": len(shipped_library(app).scenarios),
        "scorer": "ok",
    }
    assert response.get_json()["scenarios"] >= 1


def test_healthz_names_the_database_when_it_is_down(client, app):
    get_engine(app).dispose()
    app.extensions["simulator.engine"] = _broken_engine()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["failing"] == "database"
    assert body["database"] == "unavailable"


def test_healthz_names_the_scenarios_when_none_loaded(app_config, tmp_path):
    from simulator import create_app

    empty = tmp_path / "empty-library"
    empty.mkdir()
    app = create_app({**app_config, "SCENARIOS_DIR": str(empty)})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "error", "database": "ok", "scenarios": 0, "scorer": "ok",
        "failing": "scenarios",
    }


def test_healthz_names_the_scorer_when_its_weights_do_not_load(client, monkeypatch, tmp_path):
    from simulator.scoring import model

    broken = tmp_path / "weights.json"
    broken.write_text('{"version": 1, "items": {"reflection": {"bias": "x"', encoding="utf-8")
    monkeypatch.setattr(model, "WEIGHTS_PATH", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["failing"], body["scorer"]) == ("error", "scorer", "failing")


def _broken_engine():
    from simulator.db import make_engine

    return make_engine("sqlite:////nonexistent-dir/for/sure/db.sqlite")
