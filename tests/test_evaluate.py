"""The scorer (polkg.extractor.evaluate) on hand-made predictions, the gold files, and ``polkg evaluate``."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from polkg.cli import app
from polkg.extractor.evaluate import GoldEvent, GoldPassage, gold_passage, names_match, read_gold, score
from polkg.model import Actor, Event, EventType, Kind, Role, Status

GOLD_DIR = Path(__file__).parent / "gold"
REPO = Path(__file__).resolve().parents[1]


def actor(text: str, role: Role = Role.PARTICIPANT, name: str | None = None, kind: Kind = Kind.PERSON) -> Actor:
    return Actor(text=text, kind=kind, role=role, name=name)


def event(type_: EventType, *actors: Actor, status: Status = Status.HAPPENED, date: dt.date | None = None,
          place: Actor | None = None) -> Event:
    return Event(doc="p", id="e", type=type_, status=status, actors=list(actors), date=date, place=place)


def passage(*events: GoldEvent, lang: str = "en", published: str | None = "2024-03-26") -> GoldPassage:
    return GoldPassage(id="p", lang=lang, text="...", published=published, events=list(events))


MEETING = GoldEvent("MEETING", ["Sergey Lavrov", "Wang Yi"], status="happened", date_text="on Tuesday")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("M. Gallant", "Yoav Gallant", True),  # honorific ignored, surname shared
        ("Sergei Lavrov", "Sergey Lavrov", True),  # transliteration variants
        ("Netanyahou", "Benjamin Netanyahu", True),
        ("President Emmanuel Macron", "Emanuel Macron", True),
        ("l'Ukraine", "Ukraine", True),  # article kept by R1 in the gold
        ("U.S.", "the United States", True),  # initials
        ("les États-Unis", "Etats-Unis", True),
        ("Bloc Qu\ufffdb\ufffdcois", "Bloc Québécois", True),  # replacement characters in the source
        ("African Union", "European Union", False),
        ("Joe Biden", "Hunter Biden", False),
        ("Lavrov", "Wang Yi", False),
        ("the Prime Minister", "Prime Minister", True),  # a description only: its words are kept
    ],
)
def test_names(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same
    assert names_match(b, a) is same


def test_perfect_prediction() -> None:
    predicted = event(EventType.MEETING, actor("Lavrov", name="Sergei Lavrov"), actor("Wang Yi"),
                      date=dt.date(2024, 3, 26))
    report = score([passage(MEETING)], {"p": [predicted]})
    counts = report.total("MEETING", "en")
    assert (counts.tp, counts.fp, counts.fn) == (1, 0, 0)
    assert counts.f1 == 1.0 and counts.status_accuracy == 1.0 and counts.date_accuracy == 1.0


def test_wrong_status_and_date_still_match() -> None:
    predicted = event(EventType.MEETING, actor("Lavrov"), actor("Wang Yi"), status=Status.PLANNED,
                      date=dt.date(2024, 3, 19))
    counts = score([passage(MEETING)], {"p": [predicted]}).total("MEETING")
    assert counts.tp == 1 and counts.status_accuracy == 0.0 and counts.date_accuracy == 0.0


def test_one_of_two_participants_is_compatible_but_a_stranger_is_not() -> None:
    half = event(EventType.MEETING, actor("Lavrov"))
    assert score([passage(MEETING)], {"p": [half]}).total().tp == 1
    stranger = event(EventType.MEETING, actor("Lavrov"), actor("Blinken"), actor("Macron"))
    counts = score([passage(MEETING)], {"p": [stranger]}).total()
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 1)


def test_an_incomplete_list_of_abstainers_is_compatible() -> None:
    gold = GoldEvent("VOTE_ABSTENTION", ["India", "South Africa", "Pakistan"], status="happened")
    partial = event(EventType.VOTE_ABSTENTION, actor("India", Role.ABSTAINER, kind=Kind.COUNTRY))
    assert score([passage(gold)], {"p": [partial]}).total().tp == 1
    mostly_wrong = event(EventType.VOTE_ABSTENTION, *(actor(n, Role.ABSTAINER) for n in ("India", "Brazil", "Chile")))
    assert score([passage(gold)], {"p": [mostly_wrong]}).total().tp == 0


def test_a_counted_group_is_an_alias_of_the_named_abstainers() -> None:
    gold = GoldEvent("VOTE_ABSTENTION", ["Bruno Le Maire", "Pierre Lellouche"], status="happened")
    counted = event(EventType.VOTE_ABSTENTION, actor("Dix députés", Role.ABSTAINER, kind=Kind.GROUP))
    assert score([passage(gold, lang="fr")], {"p": [counted]}).total().tp == 1
    meeting = GoldEvent("MEETING", ["Bruno Le Maire", "Pierre Lellouche"], status="happened")
    group = event(EventType.MEETING, actor("Dix députés", kind=Kind.GROUP))
    assert score([passage(meeting, lang="fr")], {"p": [group]}).total().tp == 0  # only for abstentions


def test_wrong_type_is_a_false_positive_and_a_miss() -> None:
    predicted = event(EventType.STATEMENT, actor("Lavrov", Role.SPEAKER))
    report = score([passage(MEETING)], {"p": [predicted]})
    assert report.total("MEETING").fn == 1 and report.total("STATEMENT").fp == 1
    assert report.total().f1 == 0.0


def test_one_to_one_matching() -> None:
    """Two predictions of one meeting: one matches, the duplicate is a false positive."""
    twice = [event(EventType.MEETING, actor("Lavrov"), actor("Wang Yi")) for _ in range(2)]
    counts = score([passage(MEETING)], {"p": twice}).total()
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)
    assert counts.precision == 0.5 and counts.recall == 1.0


def test_greedy_prefers_the_better_actor_match() -> None:
    gold = [GoldEvent("MEETING", ["Lavrov", "Wang Yi"], status="happened"),
            GoldEvent("MEETING", ["Lavrov", "Blinken"], status="cancelled")]
    predicted = [event(EventType.MEETING, actor("Lavrov"), actor("Blinken"), status=Status.CANCELLED),
                 event(EventType.MEETING, actor("Lavrov"), actor("Wang Yi"))]
    counts = score([passage(*gold)], {"p": predicted}).total()
    assert (counts.tp, counts.fp, counts.fn) == (2, 0, 0) and counts.status_accuracy == 1.0


def test_same_speaker_statements_are_merged_on_both_sides() -> None:
    gold = [GoldEvent("STATEMENT", ["Maria Zakharova"], status="happened"),
            GoldEvent("STATEMENT", ["Maria Zakharova"], status="happened"),
            GoldEvent("STATEMENT", ["Antony Blinken"], status="happened")]
    predicted = [event(EventType.STATEMENT, actor("Zakharova", Role.SPEAKER)),
                 event(EventType.STATEMENT, actor("she", Role.SPEAKER, name="Maria Zakharova")),
                 event(EventType.STATEMENT, actor("Zakharova", Role.SPEAKER)),
                 event(EventType.STATEMENT, actor("Blinken", Role.SPEAKER)),
                 event(EventType.STATEMENT, actor("Lavrov", Role.SPEAKER))]
    counts = score([passage(*gold)], {"p": predicted}).total("STATEMENT")
    assert (counts.tp, counts.fp, counts.fn) == (2, 1, 0)


def test_quotes_are_scored_leniently_on_matched_statements() -> None:
    gold = [GoldEvent("STATEMENT", ["Gallant"], status="happened", quote="Seule une victoire décisive mettra fin"),
            GoldEvent("STATEMENT", ["Sullivan"], status="happened", quote="une discussion constructive")]
    said = event(EventType.STATEMENT, actor("M. Gallant", Role.SPEAKER))
    said.quote = "« Seule une victoire décisive mettra fin à cette guerre »"
    other = event(EventType.STATEMENT, actor("Sullivan", Role.SPEAKER))
    other.quote = "le soutien indéfectible du président"
    counts = score([passage(*gold, lang="fr")], {"p": [said, other]}).total()
    assert counts.tp == 2 and (counts.quote_ok, counts.quote_n) == (1, 2)


def test_addressees_do_not_count_as_speakers() -> None:
    gold = GoldEvent("STATEMENT", ["Gallant"], status="happened", addressee="Sullivan")
    wrong = event(EventType.STATEMENT, actor("Sullivan", Role.ADDRESSEE))
    assert score([passage(gold)], {"p": [wrong]}).total().tp == 0
    right = event(EventType.STATEMENT, actor("Gallant", Role.SPEAKER), actor("Sullivan", Role.ADDRESSEE))
    assert score([passage(gold)], {"p": [right]}).total().tp == 1


def test_votes_for_against_and_vetoes_are_not_scored() -> None:
    gold = GoldEvent("VOTE_ABSTENTION", ["the United States"], status="happened")
    predicted = [event(EventType.VOTE_ABSTENTION, actor("US", Role.ABSTAINER, kind=Kind.COUNTRY)),
                 event(EventType.VETO, actor("Russia", Role.VOTER)),
                 event(EventType.VOTE_FOR, actor("France", Role.VOTER))]
    counts = score([passage(gold)], {"p": predicted}).total()
    assert (counts.tp, counts.fp, counts.fn) == (1, 0, 0)


def test_place_may_stand_for_the_counterpart_of_a_visit() -> None:
    gold = GoldEvent("MEETING", ["Merz", "Kyiv"], status="happened")
    predicted = event(EventType.MEETING, actor("Friedrich Merz"), place=actor("Kyiv", kind=Kind.PLACE))
    assert score([passage(gold)], {"p": [predicted]}).total().tp == 1


def test_per_language_cells_and_failed_passage() -> None:
    fr = GoldPassage(id="f", lang="fr", text="...", published=None,
                     events=[GoldEvent("STATEMENT", ["Gallant"], status="happened")])
    en = passage(MEETING)
    report = score([fr, en], {"f": RuntimeError("parser exploded"), "p": []})
    assert report.total("STATEMENT", "fr").fn == 1 and report.total("MEETING", "en").fn == 1
    assert report.total(lang="fr").recall == 0.0 and report.total().precision is None
    out = report.to_json(details=True)
    assert out["errors"] == [{"id": "f", "error": "RuntimeError: parser exploded"}]
    assert out["by_type_lang"]["STATEMENT/fr"]["fn"] == 1
    assert out["details"][0]["missed"][0]["actors"] == ["Gallant"]


def test_empty_gold_passage_measures_false_positives() -> None:
    predicted = event(EventType.VOTE_ABSTENTION, actor("Labour", Role.ABSTAINER))
    counts = score([passage()], {"p": [predicted]}).total("VOTE_ABSTENTION")
    assert (counts.tp, counts.fp, counts.fn) == (0, 1, 0) and counts.precision == 0.0


def test_petrarch_records_are_scored_at_type_level() -> None:
    record = {"id": "X", "text": "The US, Russia, and Switzerland met yesterday",
              "gold": [{"code": "040", "source": "USA", "target": "RUS"},
                       {"code": "040", "source": "RUS", "target": "USA"},
                       {"code": "0352", "source": "USA", "target": "RUS"}]}
    gold = gold_passage(record)
    assert [e.type for e in gold.events] == ["MEETING"] and not gold.actors_scored
    predicted = [event(EventType.MEETING, actor("anyone")), event(EventType.MEETING, actor("else"))]
    counts = score([gold], {"X": predicted}).total()
    assert (counts.tp, counts.fp, counts.fn) == (1, 0, 0)


def test_bad_gold_lines_are_reported_with_their_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "lang": "en", "text": "x", "events": []}\n{"id": "b", "lang": "de", "text": "x", '
                   '"events": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2: .*lang"):
        read_gold(bad)
    dup = tmp_path / "dup.jsonl"
    dup.write_text('{"id": "a", "lang": "en", "text": "x", "events": []}\n' * 2, encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        read_gold(dup)


@pytest.mark.parametrize("name", ["seed.jsonl", "wire.jsonl"])
def test_gold_files_keep_the_invariant(name: str) -> None:
    """Every actor, addressee, quote and date_text is a verbatim substring of the passage (as in news_dev)."""
    path = GOLD_DIR / name
    passages = read_gold(path)
    assert passages
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for ev in record["events"]:
            for text in [*ev["actors"], *(ev.get(k) for k in ("addressee", "quote", "date_text", "about"))]:
                assert text is None or text in record["text"], (record["id"], text)


def test_shared_gold_files_load(shared: Path) -> None:
    dev = read_gold(shared / "eval" / "news_dev.jsonl")
    assert len(dev) == 53 and sum(len(p.events) for p in dev) == 110
    petrarch = read_gold(shared / "eval" / "petrarch_validation_subset.jsonl")
    assert len(petrarch) == 32 and sum(1 for p in petrarch if p.events) == 14


def test_cli_rejects_a_bad_gold_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "polkg.cli", "evaluate", str(bad)], capture_output=True, text=True,
                         cwd=REPO, timeout=120)
    assert run.returncode == 2 and "bad.jsonl:1" in run.stderr


@pytest.mark.slow
def test_cli_runs_the_real_extractor_on_the_seed() -> None:
    """End to end, in process: every merged gold event of the seed is counted once, as found or missed."""
    runner = CliRunner()
    run = runner.invoke(app, ["evaluate", str(GOLD_DIR / "seed.jsonl"), "--format", "json", "--details"])
    assert run.exit_code == 0, run.output
    report = json.loads(run.stdout)
    assert report["passages"] == 1 and report["errors"] == []
    gold_counts = {"MEETING": 6, "STATEMENT": 3, "VOTE_ABSTENTION": 1}  # after merging same-speaker statements
    for type_, count in gold_counts.items():
        cell = report["by_type"][type_]
        assert cell["tp"] + cell["fn"] == count, type_
    detail = report["details"][0]
    assert len(detail["matched"]) == report["all"]["tp"] and len(detail["spurious"]) == report["all"]["fp"]
    assert set(report["by_lang"]) == {"fr"}

    table = runner.invoke(app, ["evaluate", str(GOLD_DIR / "seed.jsonl")])  # the models are loaded by now
    assert table.exit_code == 0, table.output
    assert "seed.jsonl: 1 passages" in table.stdout
    for label in ("MEETING fr", "STATEMENT all", "VOTE_ABSTENTION fr", "status acc"):
        assert label in table.stdout
