"""Versions: every save kept with its author, time and note; the changes between two versions;
any version downloadable exactly as saved, and restorable into the editor."""

from __future__ import annotations

from sqlmodel import select

from simulator.authoring.diff import diff_lines
from simulator.models import AuditEvent
from tests.authoring.conftest import copy_text
from tests.supervisor.conftest import browser_for, token_of

NEW = "late-again-revised"


def _save(browser, text: str, message: str, first: bool = False):
    path = "/supervise/scenarios/new" if first else f"/supervise/scenarios/{NEW}/edit"
    response = browser.post(path, data={"text": text, "message": message,
                                        "csrf_token": token_of(browser, "/supervise/scenarios")})
    assert response.status_code == 303, response.get_data(as_text=True)


def test_save_history_diff_and_download(app, course, session):
    browser = browser_for(app, course.supervisor_a)
    first = copy_text(app, NEW)
    second = first.replace("minutes: ", "minutes: 1", 1)
    _save(browser, first, "first go", first=True)
    _save(browser, second, "longer session")

    history = browser.get(f"/supervise/scenarios/{NEW}/versions").get_data(as_text=True)
    assert history.index("longer session") < history.index("first go")  # newest first
    assert history.count(f"<td>{course.supervisor_a.name}</td>") == 2

    changes = browser.get(f"/supervise/scenarios/{NEW}/versions/2").get_data(as_text=True)
    old_line = next(line for line in first.splitlines() if line.startswith("minutes: "))
    assert "1 line added, 1 removed." in changes
    assert '<tr class="diff-removed">' in changes and f"<code>{old_line}</code>" in changes
    assert f"<code>{old_line.replace('minutes: ', 'minutes: 1')}</code>" in changes

    download = browser.get(f"/supervise/scenarios/{NEW}/versions/1.yaml")
    assert download.status_code == 200
    assert download.get_data(as_text=True) == first
    assert f'filename="{NEW}-v1.yaml"' in download.headers["Content-Disposition"]
    restored = browser.get(f"/supervise/scenarios/{NEW}/edit?version=1").get_data(as_text=True)
    assert "restored version 1" in restored
    assert browser.get(f"/supervise/scenarios/{NEW}/versions/3").status_code == 404
    saves = session.exec(select(AuditEvent).where(AuditEvent.action == "scenario.save")).all()
    assert [e.detail["version"] for e in saves] == [1, 2]
    assert all("text" not in e.detail for e in saves)  # the audit log holds no scenario text


def test_diff_lines_number_both_sides_and_mark_gaps():
    old = "\n".join(f"line {i}" for i in range(1, 21))
    new = old.replace("line 2\n", "line two\n").replace("line 19", "line nineteen")
    lines = diff_lines(old, new)
    changed = [(d.kind, d.old_number, d.new_number, d.text) for d in lines
               if d.kind in ("added", "removed")]
    assert changed == [("removed", 2, None, "line 2"), ("added", None, 2, "line two"),
                       ("removed", 19, None, "line 19"), ("added", None, 19, "line nineteen")]
    assert [d.kind for d in lines].count("gap") == 1
    assert diff_lines(old, old) == []
