"""`polkg gazetteer build`: JSON Lines and the Wikidata JSON dump format (plain, .gz, .bz2) → an index."""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from polkg.cli import app
from polkg.linker import GazetteerError, Index, Linker
from polkg.linker.build import build_index, curated_aliases
from polkg.linker.curate import TABLE, select
from polkg.linker.linker import shipped_index
from polkg.model import Kind


def item(qid: str, en: str, fr: str | None = None, claims: dict | None = None, aliases_fr: list[str] = ()) -> dict:
    """A Wikidata entity as the JSON dump (and wbgetentities) writes it."""
    labels = {"en": {"language": "en", "value": en}}
    if fr:
        labels["fr"] = {"language": "fr", "value": fr}
    return {"type": "item", "id": qid, "labels": labels,
            "descriptions": {"en": {"language": "en", "value": f"description of {en}"}},
            "aliases": {"fr": [{"language": "fr", "value": a} for a in aliases_fr]},
            "claims": claims or {}, "sitelinks": {}}


def snak(prop: str, value: dict, kind: str) -> dict:
    return {"snaktype": "value", "property": prop, "datavalue": {"value": value, "type": kind}}


def link(prop: str, qid: str, qualifiers: dict | None = None) -> dict:
    claim = {"mainsnak": {**snak(prop, {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid},
                                 "wikibase-entityid"), "datatype": "wikibase-item"},
             "type": "statement", "rank": "normal"}
    if qualifiers:
        claim["qualifiers"] = qualifiers
    return claim


def code(prop: str, value: str) -> dict:
    return {"mainsnak": {**snak(prop, value, "string"), "datatype": "external-id"}, "type": "statement", "rank": "normal"}


def time(prop: str, iso: str, precision: int = 11) -> dict:
    value = {"time": f"+{iso}T00:00:00Z", "timezone": 0, "before": 0, "after": 0, "precision": precision,
             "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}
    return {prop: [snak(prop, value, "time")]}


DUMP = [
    item("Q43723", "Benjamin Netanyahu", "Benyamin Netanyahou", aliases_fr=["Bibi"], claims={
        "P31": [link("P31", "Q5")], "P27": [link("P27", "Q801")],
        "P39": [link("P39", "Q208487", {**time("P580", "2009-03-31"), **time("P582", "2021-06-13")}),
                link("P39", "Q208487", time("P580", "2022-12-29"))]}),
    item("Q208487", "Prime Minister of Israel", "Premier ministre d'Israël",
         claims={"P31": [link("P31", "Q4164871")], "P17": [link("P17", "Q801")]}),
    item("Q801", "Israel", "Israël", claims={"P31": [link("P31", "Q3624078")], "P463": [link("P463", "Q1065")],
                                             "P297": [code("P297", "IL")], "P298": [code("P298", "ISR")]}),
    item("Q1065", "United Nations", "Organisation des Nations unies", aliases_fr=["ONU"],
         claims={"P31": [link("P31", "Q484652")]}),
    item("Q2", "Earth", "Terre", claims={"P31": [link("P31", "Q3504248")]}),   # not political: dropped
    item("Q42", "Douglas Adams", claims={"P31": [link("P31", "Q5")]}),           # a person with no office: dropped
    {"type": "property", "id": "P31", "labels": {}, "claims": {}},               # not an item: dropped
]


def dump_text(entities: list[dict], bad_line: bool = True) -> str:
    lines = [json.dumps(e, ensure_ascii=False) for e in entities]
    if bad_line:
        lines.insert(2, '{"type": "item", "id": "Q99", "labels": ')  # a truncated line
    return "[\n" + ",\n".join(lines) + "\n]\n"


@pytest.fixture
def dump_bz2(tmp_path: Path) -> Path:
    path = tmp_path / "latest-all.json.bz2"
    path.write_bytes(bz2.compress(dump_text(DUMP).encode()))
    return path


def test_wikidata_dump_bz2(dump_bz2: Path, tmp_path: Path) -> None:
    out = tmp_path / "index.sqlite"
    report = build_index([dump_bz2], out)
    assert report.entities == 4
    assert [(s.line, "not JSON" in s.reason) for s in report.skipped] == [(4, True)]
    index = Index(out)
    netanyahu = index.entry("Q43723")
    assert netanyahu.type == "human" and netanyahu.labels == {"fr": "Benyamin Netanyahou", "en": "Benjamin Netanyahu"}
    first, second = netanyahu.positions
    assert (first.qid, first.label, first.start, first.end) == ("Q208487", "Prime Minister of Israel",
                                                                dt.date(2009, 3, 31), dt.date(2021, 6, 13))
    assert first.country == "Q801" and "head_of_government" in first.categories
    assert second.end is None and second.held_on(dt.date(2024, 3, 26))
    assert index.entry("Q801").type == "country" and index.entry("Q1065").type == "international_organization"
    assert index.entry("Q2") is None and index.entry("Q42") is None
    assert index.country_of_code("IL") == index.country_of_code("ISR") == "Q801"
    linker = Linker(index)
    assert linker.resolve("M. Netanyahou", Kind.PERSON).qid == "Q43723"
    assert linker.resolve("Netanyahu", Kind.PERSON, lang="en").qid == "Q43723"
    assert linker.resolve("Bibi", Kind.PERSON).qid == "Q43723"
    assert linker.resolve("l'ONU", Kind.ORGANIZATION).qid == "Q1065"
    assert linker.position("Premier ministre israélien", "fr", dt.date(2024, 3, 26)).qid == "Q208487"


def test_gzip_and_plain_dumps_give_the_same_index(dump_bz2: Path, tmp_path: Path) -> None:
    gz, plain = tmp_path / "dump.json.gz", tmp_path / "dump.json"
    gz.write_bytes(gzip.compress(dump_text(DUMP).encode()))
    plain.write_text(dump_text(DUMP), "utf-8")
    dumps = []
    for source in (dump_bz2, gz, plain):
        build_index([source], tmp_path / f"{source.name}.sqlite")
        tables = Index(tmp_path / f"{source.name}.sqlite").dump()
        tables.pop("meta")
        dumps.append(tables)
    assert dumps[0] == dumps[1] == dumps[2]


def test_jsonl_and_dump_merge_by_qid(dump_bz2: Path, tmp_path: Path) -> None:
    """A gazetteer JSON Lines record and a dump entity of the same QID become one entity."""
    jsonl = tmp_path / "extra.jsonl"
    jsonl.write_text(json.dumps({"qid": "Q801", "type": "country", "labels": {"en": "Israel", "fr": None},
                                 "aliases": {"en": ["State of Israel"], "fr": []}, "un_member": True}) + "\n")
    build_index([jsonl, dump_bz2], tmp_path / "merged.sqlite")
    linker = Linker.open(tmp_path / "merged.sqlite")
    assert len(linker.index) == 4
    assert linker.resolve("State of Israel", Kind.COUNTRY, lang="en").qid == "Q801"
    assert linker.resolve("Israël", Kind.COUNTRY).labels == {"fr": "Israël", "en": "Israel"}


def test_failed_build_leaves_the_previous_index(dump_bz2: Path, tmp_path: Path) -> None:
    out = tmp_path / "index.sqlite"
    build_index([dump_bz2], out)
    before = out.read_bytes()
    with pytest.raises(GazetteerError, match="missing.jsonl"):
        build_index([dump_bz2, tmp_path / "missing.jsonl"], out)
    broken = tmp_path / "broken.json.bz2"
    broken.write_bytes(b"not bzip2 at all")
    with pytest.raises(GazetteerError, match="broken.json.bz2"):
        build_index([broken], out)
    assert out.read_bytes() == before


def test_cli_build_reports_counts_and_skipped_lines(dump_bz2: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.sqlite"
    result = CliRunner().invoke(app, ["gazetteer", "build", str(dump_bz2), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 entities" in result.output and "1 lines skipped" in result.output
    assert "latest-all.json.bz2:4: not JSON" in result.output
    missing = CliRunner().invoke(app, ["gazetteer", "build", str(tmp_path / "nope.jsonl"), "-o", str(out)])
    assert missing.exit_code == 1 and "nope.jsonl" in missing.output


def test_cli_lookup(dump_bz2: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.sqlite"
    build_index([dump_bz2], out)
    result = CliRunner().invoke(app, ["gazetteer", "lookup", "M. Nétanyahou", "--kind", "person",
                                      "--gazetteer", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["qid"] == "Q43723"


def test_full_shared_gazetteer_builds_and_loads_fast(shared: Path, tmp_path: Path) -> None:
    wikidata = shared / "wikidata"
    out = tmp_path / "full.sqlite"
    report = build_index([wikidata / "gazetteer.jsonl", wikidata / "officeholders_extra.jsonl"], out)
    assert report.entities == 22805 + 18569 and report.skipped == []
    linker = Linker.open(out)
    assert len(linker.index) == report.entities
    assert linker.resolve("Yoav Gallant", Kind.PERSON).qid == "Q723506"


# ---- the shipped default index -------------------------------------------------------------

def test_curated_table_is_reproducible_from_shared_data(shared: Path) -> None:
    committed = [json.loads(line) for line in gzip.decompress(TABLE.read_bytes()).decode().splitlines()]
    assert select(shared / "wikidata") == committed
    assert all(row["source"] and row["curated_from"].startswith("../shared/wikidata/") for row in committed)


def test_curated_table_covers_seed_un_members_and_main_organisations(shared: Path) -> None:
    rows = {json.loads(line)["qid"]: json.loads(line) for line in gzip.decompress(TABLE.read_bytes()).decode().splitlines()}
    core = [json.loads(line) for line in (shared / "wikidata" / "gazetteer.jsonl").read_text("utf-8").splitlines()]
    un_members = {r["qid"] for r in core if r.get("un_member")}
    assert len(un_members) == 193 and un_members <= rows.keys()
    links = json.loads((shared / "wikidata" / "seed_000_expected_links.json").read_text("utf-8"))["links"]
    assert {link["expected_qid"] for link in links if link["expected_qid"]} <= rows.keys()
    organisations = {"Q1065", "Q37470", "Q47423", "Q7801", "Q458", "Q8880", "Q8886", "Q8889", "Q8896", "Q7184",
                     "Q7159", "Q7172", "Q47543"}
    assert organisations <= rows.keys()
    assert {r["qid"] for r in core if r["type"] == "international_organization"} <= rows.keys()


def test_curated_aliases_name_entities_of_the_shared_data(shared: Path) -> None:
    core = {json.loads(line)["qid"] for line in (shared / "wikidata" / "gazetteer.jsonl").read_text("utf-8").splitlines()}
    assert {qid for qid, *_ in curated_aliases()} <= core


def test_shipped_index_is_a_fresh_build_of_the_committed_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLKG_CACHE", str(tmp_path / "cache"))
    shipped = shipped_index()
    assert shipped.parent == tmp_path / "cache" and TABLE.stat().st_size < 3_000_000  # the committed table stays small
    build_index([TABLE], tmp_path / "fresh.sqlite")
    assert Index(shipped).dump() == Index(tmp_path / "fresh.sqlite").dump()
    assert shipped_index() == shipped  # the second call reuses the cached file


def test_shipped_index_falls_back_to_a_writable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache that cannot be created (here a file stands where the folder should be) → the temp folder."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("POLKG_CACHE", str(blocker / "cache"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    path = shipped_index()
    assert path.parent.parent == tmp_path / "tmp" and Index(path).entry("Q801").type == "country"
