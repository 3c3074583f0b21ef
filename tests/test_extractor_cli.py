"""``polkg extract`` through Typer's CliRunner (in process, so the spaCy models load once)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from polkg.cli import app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_seed_gives_one_json_object_per_event(runner, seeds):
    result = runner.invoke(app, ["extract", str(seeds), "--no-link"])
    assert result.exit_code == 0, result.output
    events = lines(result.stdout)
    assert len(events) >= 10
    first = events[0]
    assert set(first) >= {"doc", "id", "type", "subtype", "status", "actors", "quote", "topic", "date", "place",
                          "sentence", "start", "end", "confidence"}
    assert first["doc"] == "000_1505aa7bd25a2221" and first["id"] == "000_1505aa7bd25a2221-e1"
    assert {a["role"] for e in events for a in e["actors"]} >= {"speaker", "participant", "abstainer"}
    assert all(a["qid"] is None for e in events for a in e["actors"])  # --no-link
    assert {"Meeting", "Statement", "VoteAbstention"} <= {e["type"] for e in events}


def test_bad_inputs_are_reported_and_the_batch_goes_on(runner, tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text("Joe Biden a rencontré Emmanuel Macron mardi à Paris.", encoding="utf-8")
    bad_jsonl = tmp_path / "batch.jsonl"
    bad_jsonl.write_text('{"id": "ok", "lang": "en", "text": "Rishi Sunak met Joe Biden on Monday."}\n'
                         'not json\n{"id": "de", "lang": "de", "text": "Hallo"}\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt"), str(good), str(bad_jsonl),
                                 "--no-link", "--published", "2024-03-27"])
    assert result.exit_code == 0
    events = lines(result.stdout)
    assert {e["doc"] for e in events} == {"good", "ok"}
    assert next(e for e in events if e["doc"] == "good")["date"] == "2024-03-26"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 3
    assert any("missing.txt" in line for line in errors)
    assert any("batch.jsonl:2" in line for line in errors)


def test_nothing_processed_exits_non_zero(runner, tmp_path: Path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt"), "--no-link"])
    assert result.exit_code == 1
    assert "no such file" in result.stderr


def test_lang_option_and_table_format(runner, tmp_path: Path):
    text = tmp_path / "en.txt"
    text.write_text('"We will not back down," Prime Minister Rishi Sunak said on Tuesday.', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(text), "--lang", "en", "--format", "table", "--no-link"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Statement" in result.stdout and "Rishi Sunak" in result.stdout


def test_bad_published_date_is_a_usage_error(runner, seeds):
    result = runner.invoke(app, ["extract", str(seeds), "--published", "yesterday", "--no-link"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_linking_fills_qids_when_the_linker_is_available(runner, seeds):
    pytest.importorskip("polkg.linker")
    result = runner.invoke(app, ["extract", str(seeds)])
    assert result.exit_code == 0, result.output
    linked = {a["name"]: a["qid"] for e in lines(result.stdout) for a in e["actors"] if a["qid"]}
    assert linked, "the shipped gazetteer links at least one seed actor"
