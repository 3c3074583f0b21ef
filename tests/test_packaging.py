"""The design card's layout is one import package, ``polkg``; no generic top-level modules leak out."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from polkg.cli import app

COMMANDS = ["extract", "build", "load", "export", "query", "serve", "ontology", "validate", "gazetteer", "evaluate"]


def test_sub_packages_import_and_generic_names_do_not(tmp_path) -> None:
    code = (
        "import importlib\n"
        "for name in ('polkg.ontology', 'polkg.extractor', 'polkg.linker', 'polkg.graph', 'polkg.api'):\n"
        "    importlib.import_module(name)\n"
        "for name in ('api', 'graph', 'extractor', 'ontology', 'linker'):\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ModuleNotFoundError:\n"
        "        continue\n"
        "    raise SystemExit(f'{name} is importable as a top-level module')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout


def test_every_command_has_help() -> None:
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for command in COMMANDS:
        assert command in top.output
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, f"{command} --help failed: {result.output}"
        assert "Usage" in result.output


def test_ontology_command_prints_each_format() -> None:
    runner = CliRunner()
    turtle = runner.invoke(app, ["ontology"])
    assert turtle.exit_code == 0 and "@prefix pk: <https://w3id.org/polkg/ontology#>" in turtle.output
    xml = runner.invoke(app, ["ontology", "--format", "xml"])
    assert xml.exit_code == 0 and "<rdf:RDF" in xml.output
    nt = runner.invoke(app, ["ontology", "--format", "nt"])
    assert "<https://w3id.org/polkg/ontology#Meeting>" in nt.output
    shapes = runner.invoke(app, ["ontology", "--shapes"])
    assert "sh:NodeShape" in shapes.output
