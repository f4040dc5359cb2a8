"""`simulator score`: the JSON-lines contract, malformed lines, exit codes, the readable report."""

from __future__ import annotations

import io
import json
import os

import pytest
from click.testing import CliRunner

from simulator.cli import score_command
from simulator.cli.score_command import score, score_stream


@pytest.fixture
def run(monkeypatch, rubric):
    """Invoke `score` with the test rubric standing in for scenarios/rubrics/repair-core.yaml."""
    monkeypatch.setattr(score_command, "load_rubric", lambda rubric_id: rubric)

    def invoke(args: list[str], stdin: str = ""):
        return CliRunner().invoke(score, args, input=stdin)

    return invoke


def request(n: int, response: str = "It sounds like that hurt.", client: str = "It was fine."):
    return json.dumps({"id": f"r{n}", "client": client, "response": response})


def test_jsonl_writes_one_result_per_line_in_order(run):
    lines = [request(1), request(2, "Have you tried yoga?"), request(3, "What was that like?")]
    result = run(["--rubric", "repair-core", "--jsonl"], "\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert [a["id"] for a in answers] == ["r1", "r2", "r3"]
    first = answers[0]
    assert set(first) == {"id", "criteria", "flags", "overall", "confidence"}
    assert set(first["criteria"]["reflection"]) == {"score", "level", "evidence"}
    assert set(first["flags"]["advice"]) == {"score", "evidence"}
    assert answers[1]["flags"]["advice"]["score"] > answers[0]["flags"]["advice"]["score"]


def test_malformed_lines_are_reported_in_place_and_processing_continues(run):
    lines = [
        request(1), "{broken", "[1, 2]", json.dumps({"id": "x"}),
        json.dumps({"id": "y", "response": "   "}), json.dumps({"id": "z", "response": 5}),
        json.dumps({"id": "long", "response": "a" * 5001}),
        json.dumps({"id": "c", "client": 3, "response": "ok then"}), "", request(10),
    ]
    result = run(["--jsonl"], "\n".join(lines) + "\n")
    assert result.exit_code == 1
    answers = [json.loads(line) for line in result.output.splitlines()]
    assert len(answers) == len(lines)
    assert answers[0]["id"] == "r1" and answers[-1]["id"] == "r10"
    assert answers[1] == {"line": 2, "error": answers[1]["error"]}
    assert answers[1]["error"].startswith("invalid JSON")
    assert [a.get("error") for a in answers[2:9]] == [
        "expected a JSON object",
        "response: expected a non-empty string",
        "response: expected a non-empty string",
        "response: expected a non-empty string",
        "response: 5001 characters, more than 5000",
        "client: expected a string",
        "blank line",
    ]
    assert [a.get("line") for a in answers[2:9]] == [3, 4, 5, 6, 7, 8, 9]


def test_trailing_newline_is_not_a_blank_line_and_no_newline_is_fine(run):
    assert run(["--jsonl"], request(1) + "\n").exit_code == 0
    without = run(["--jsonl"], request(1))
    assert without.exit_code == 0 and len(without.output.splitlines()) == 1


def test_empty_input_writes_nothing_and_succeeds(run):
    result = run(["--jsonl"], "")
    assert result.exit_code == 0 and result.output == ""


def test_unknown_rubric_exits_2_and_names_the_known_ones(monkeypatch, tmp_path):
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "repair-core.yaml").write_text("id: repair-core\n")
    monkeypatch.setenv("SIMULATOR_SCENARIOS_DIR", str(tmp_path))
    result = CliRunner().invoke(score, ["--rubric", "nope", "--jsonl"], input="")
    assert result.exit_code == 2
    assert "unknown or invalid rubric 'nope' (known: repair-core)" in result.output


def test_an_invalid_rubric_file_exits_2_with_its_problems(monkeypatch, tmp_path):
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "repair-core.yaml").write_text("id: repair-core\n")
    monkeypatch.setenv("SIMULATOR_SCENARIOS_DIR", str(tmp_path))
    result = CliRunner().invoke(score, ["--jsonl"], input="")
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0] == "error: unknown or invalid rubric 'repair-core' (known: repair-core)"
    assert len(lines) > 1 and all(line.startswith("  ") for line in lines[1:])


def test_readable_report_quotes_evidence_and_feedback(run):
    text = "I hear you, but I was only trying to help."
    result = run(["--client", "You never listen.", text])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "[[" in out and "]]" in out and "\033[1m" not in out  # not a TTY: no ANSI
    assert "Response: [[I hear you, but I was only trying to help]]." in out
    for name in ("Reflection", "Metacommunication", "Defensiveness", "Self Focus"):
        assert name in out
    assert "defensiveness feedback 1" in out
    assert '"I hear you, but I was only trying to help"' in out
    assert "Overall:" in out and "Confidence:" in out


def test_readable_mode_needs_a_response(run):
    result = run([])
    assert result.exit_code == 2 and "give the response text" in result.output


def test_a_piped_batch_is_scored_in_parallel_in_the_same_order(rubric):
    lines = [request(n, f"It sounds like week {n} was hard. What helped?") for n in range(80)]
    lines[5] = "not json"
    read_end, write_end = os.pipe()
    os.write(write_end, ("\n".join(lines) + "\n").encode())
    os.close(write_end)
    parallel = io.StringIO()
    with os.fdopen(read_end, "rb") as source:
        failed = score_stream(rubric, source, parallel, workers=2)
    sequential = io.StringIO()
    assert score_stream(rubric, io.StringIO("\n".join(lines) + "\n"), sequential) == failed == 1
    assert parallel.getvalue() == sequential.getvalue()
    assert json.loads(parallel.getvalue().splitlines()[5]) == {
        "line": 6, "error": "invalid JSON: Expecting value (column 1)"}


def test_the_shipped_rubric_loads_through_the_cli():
    rubric = score_command.load_rubric("repair-core")
    assert rubric.criterion_ids[0] == "reflection" and "self_focus" in rubric.flag_ids


def test_jsonl_takes_the_risk_cues_of_a_line_and_refuses_an_unknown_kind():
    """With the shipped rubric: `risk` turns on the safety layer for that line only."""
    client = "Some nights I think it'd be easier for everyone if I didn't wake up."
    lines = [json.dumps({"id": "asks", "client": client, "risk": ["suicidal-ideation"],
                         "response": "Are you having thoughts of ending your life?"}),
             json.dumps({"id": "blind", "client": client, "risk": ["suicidal-ideation"],
                         "response": "It sounds like the nights are long."}),
             json.dumps({"id": "no-cue", "client": client,
                         "response": "Are you having thoughts of ending your life?"}),
             json.dumps({"id": "bad", "client": client, "risk": ["sadness"], "response": "Hm."})]
    result = CliRunner().invoke(score, ["--jsonl", "--workers", "1"], input="\n".join(lines))
    out = [json.loads(line) for line in result.output.splitlines()]
    assert out[0]["criteria"]["safety"]["score"] >= 0.55
    assert out[1]["flags"]["safety_missed"]["score"] >= 0.5
    assert out[2]["criteria"]["safety"]["score"] == 0
    assert out[3] == {"line": 4, "error": "risk: sadness not among suicidal-ideation, self-harm, "
                                          "harm-to-others, child-safeguarding, domestic-abuse"}
