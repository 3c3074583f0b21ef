"""Language detection on real news sentences (polkg.extractor.language)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polkg.extractor.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le ministre israélien de la Défense, Yoav Gallant, a rencontré mardi à Washington le conseiller "
         "américain à la sécurité nationale.", "fr"),
        ("« Seule une victoire décisive mettra fin à cette guerre », a déclaré M. Gallant.", "fr"),
        ("Les États-Unis se sont abstenus lors du vote au Conseil de sécurité.", "fr"),
        ("Sergei Lavrov held talks with Chinese Foreign Minister Wang Yi on Thursday.", "en"),
        ("The United States abstained, allowing the resolution to pass with 14 votes in favour.", "en"),
        ("Macron a parlé à Trump au téléphone", "fr"),
        ("Macron spoke to Trump by phone", "en"),
    ],
)
def test_sentences(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_no_clue_gives_the_default() -> None:
    assert detect_language("") == "en"
    assert detect_language("12 345 — 2024", default="fr") == "fr"


def test_dev_set_passages(shared: Path) -> None:
    """Every passage of the shared development set is detected as the language it is labelled with."""
    records = [json.loads(line) for line in (shared / "eval" / "news_dev.jsonl").read_text().splitlines() if line]
    wrong = [r["id"] for r in records if detect_language(r["text"]) != r["lang"]]
    assert wrong == []


@pytest.mark.parametrize("name", ["seed.jsonl", "wire.jsonl"])
def test_gold_passages(name: str) -> None:
    """Short wire passages and headlines (some a single line) are detected as their labelled language."""
    path = Path(__file__).parent / "gold" / name
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert [r["id"] for r in records if detect_language(r["text"]) != r["lang"]] == []
