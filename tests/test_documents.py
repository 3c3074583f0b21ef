"""Reading input documents: sidecars, JSON Lines, directories, stdin, and bad files that do not stop a batch."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from polkg.documents import DocumentError, read_documents
from polkg.model import Document


def test_seed_with_its_sidecar(seeds: Path) -> None:
    [doc] = list(read_documents([seeds]))
    assert isinstance(doc, Document)
    assert doc.id == "000_1505aa7bd25a2221"
    assert doc.lang == "fr" and doc.published == dt.date(2024, 3, 26)
    assert doc.title.startswith('"Seule une victoire décisive')
    assert "Yoav Gallant" in doc.text


def test_text_without_sidecar_takes_the_file_stem(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("Emmanuel Macron a reçu Olaf Scholz.", encoding="utf-8")
    [doc] = list(read_documents([tmp_path / "note.txt"]))
    assert doc.id == "note" and doc.lang is None and doc.published is None


def test_jsonl_batch_goes_on_past_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Biden met Xi.", "lang": "en", "published": "2023-11-15"}),
        "{not json",
        json.dumps({"id": "b", "lang": "en"}),
        json.dumps({"id": "c", "text": "x", "lang": "de"}),
        json.dumps({"id": "d", "text": "Macron a parlé.", "published": "2019-01"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(read_documents([path]))
    assert [type(r).__name__ for r in results] == ["Document", "DocumentError", "DocumentError", "DocumentError",
                                                   "Document"]
    assert results[0].published == dt.date(2023, 11, 15)
    assert results[4].published is None  # a month alone is not a day
    errors = [r for r in results if isinstance(r, DocumentError)]
    assert errors[0].where.endswith("batch.jsonl:2")
    assert "text" in errors[1].reason and "lang" in errors[2].reason


def test_directory_recursion_missing_path_and_bad_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text("Un texte.", encoding="utf-8")
    (tmp_path / "sub" / "one.meta.json").write_text('{"id": "doc-1", "published": "not a date"}', encoding="utf-8")
    (tmp_path / "two.txt").write_bytes(b"\xff\xfe bad utf-8 \xff")
    (tmp_path / "ignored.csv").write_text("a,b", encoding="utf-8")
    results = list(read_documents([tmp_path, tmp_path / "missing.txt"]))
    assert all(isinstance(r, DocumentError) for r in results)
    assert [Path(r.where).name for r in results] == ["one.txt", "two.txt", "missing.txt"]
    assert "not an ISO date" in results[0].reason
    assert "no such file" in results[2].reason


@pytest.mark.parametrize(
    ("data", "ids"),
    [("Texte libre\nsur deux lignes.", ["stdin"]), ('{"id": "x", "text": "t"}\n{"id": "y", "text": "u"}\n', ["x", "y"])],
)
def test_stdin(monkeypatch: pytest.MonkeyPatch, data: str, ids: list[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(data))
    assert [d.id for d in read_documents(["-"])] == ids
