"""The linker on real data: the full ../shared/wikidata gazetteer and the shipped default index.

The seed's 32 expected links (../shared/wikidata/seed_000_expected_links.json) are checked with
the Actor inputs the extractor gives (name, kind, context), through ``Linker.link``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest

from polkg.linker import GazetteerError, Linker
from polkg.linker.build import build_index
from polkg.model import Actor, Document, Event, EventType, Kind, Role

PUBLISHED = dt.date(2024, 3, 26)
P, C, ORG, L = Kind.PERSON, Kind.COUNTRY, Kind.ORGANIZATION, Kind.PLACE

# (mention of the expected-links file, Actor as the extractor gives it)
SEED_ACTORS = [
    ("Yoav Gallant", Actor("Yoav Gallant", P, name="Yoav Gallant", context="le ministre israélien de la défense")),
    ("M. Gallant", Actor("M. Gallant", P)),
    ("Gallant", Actor("Gallant", P, context="le ministre israélien des Affaires étrangères")),
    ("Antony Blinken", Actor("Antony Blinken", P, name="Antony Blinken", context="le secrétaire d'État")),
    ("secrétaire Blinken", Actor("secrétaire Blinken", P, context="mon ami le secrétaire")),
    ("Benjamin Netanyahu", Actor("Benjamin Netanyahu", P, name="Benjamin Netanyahu", context="le Premier ministre israélien")),
    ("M. Netanyahou", Actor("M. Netanyahou", P)),
    ("Jake Sullivan", Actor("Jake Sullivan", P, name="Jake Sullivan", context="le conseiller américain à la sécurité nationale")),
    ("M. Sullivan", Actor("M. Sullivan", P)),
    ("Joe Biden", Actor("Joe Biden", P, name="Joe Biden", context="le président américain")),
    ("président Biden", Actor("président Biden", P)),
    ("Lloyd Austin", Actor("Lloyd Austin", P, name="Lloyd Austin", context="le secrétaire à la défense")),
    ("John Kirby", Actor("John Kirby", P, name="John Kirby", context="le porte-parole de la Maison Blanche")),
    ("Israël", Actor("Israël", C)),
    ("États-Unis", Actor("les États-Unis", C)),
    ("Iran", Actor("l'Iran", C)),
    ("Washington", Actor("Washington", L)),
    ("bande de Gaza", Actor("la bande de Gaza", L)),
    ("Gaza", Actor("Gaza", L)),
    ("Conseil de sécurité des Nations unies", Actor("Conseil de sécurité des Nations unies", ORG)),
    ("CSNU", Actor("CSNU", ORG)),
    ("l'ONU", Actor("l'ONU", ORG)),
    ("Hamas", Actor("le Hamas", ORG)),
    ("Département d'État américain", Actor("Département d'État américain", ORG)),
    ("Maison Blanche", Actor("la Maison Blanche", ORG)),
    ("Rafah", Actor("Rafah", L)),
]
# (mention, role words, the person holding it in the article)
SEED_POSITIONS = [
    ("ministre israélien de la défense", "Q723506"),
    ("Premier ministre israélien", "Q43723"),
    ("secrétaire d'État", "Q7821917"),
    ("secrétaire à la défense", "Q941013"),
    ("conseiller américain à la sécurité nationale", "Q16730147"),
    ("président américain", "Q6279"),
]


@pytest.fixture(scope="session")
def full_index(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the whole shared gazetteer (core + extra office holders), built once."""
    path = tmp_path_factory.mktemp("gazetteer") / "full.sqlite"
    wikidata = shared / "wikidata"
    build_index([wikidata / "gazetteer.jsonl", wikidata / "officeholders_extra.jsonl"], path)
    return path


@pytest.fixture(scope="session")
def full(full_index: Path) -> Linker:
    return Linker.open(full_index)


@pytest.fixture(scope="session")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Linker:
    """The default index, built at first use into a fresh cache directory."""
    patch = pytest.MonkeyPatch()
    patch.setenv("POLKG_CACHE", str(tmp_path_factory.mktemp("cache")))
    patch.delenv("POLKG_GAZETTEER", raising=False)
    try:
        return Linker.open()
    finally:
        patch.undo()


@pytest.fixture(scope="session")
def expected(shared: Path) -> dict[str, str | None]:
    links = json.loads((shared / "wikidata" / "seed_000_expected_links.json").read_text("utf-8"))["links"]
    return {link["mention"]: link["expected_qid"] for link in links}


def seed_document(seeds: Path) -> Document:
    meta = json.loads((seeds / "000_1505aa7bd25a2221.meta.json").read_text("utf-8"))
    text = (seeds / "000_1505aa7bd25a2221.txt").read_text("utf-8")
    return Document(meta["id"], text, lang="fr", published=dt.date.fromisoformat(meta["published"]))


def link_seed(linker: Linker, seeds: Path) -> list[tuple[str, str | None]]:
    """(mention, linked QID) for the 32 seed mentions: 26 actors through link(), 6 positions."""
    actors = [Actor(a.text, a.kind, Role.PARTICIPANT, a.name, context=a.context) for _, a in SEED_ACTORS]
    events = [Event("seed", f"e{i}", EventType.STATEMENT, actors=[actor]) for i, actor in enumerate(actors)]
    linker.link(events, seed_document(seeds))
    found = [(mention, actor.qid) for (mention, _), actor in zip(SEED_ACTORS, actors, strict=True)]
    for words, holder in SEED_POSITIONS:
        position = linker.position(words, "fr", PUBLISHED, holder=holder)
        found.append((words, position.qid if position else None))
    return found


@pytest.mark.parametrize("which", ["full", "shipped"])
def test_seed_expected_links(which: str, request: pytest.FixtureRequest, seeds: Path,
                             expected: dict[str, str | None]) -> None:
    linker = request.getfixturevalue(which)
    found = link_seed(linker, seeds)
    assert len(found) == len(expected) == 32
    wrong = [(m, qid, expected[m]) for m, qid in found if qid != expected[m]]
    accuracy = 1 - len(wrong) / len(found)
    print(f"{which} index: seed linking accuracy {accuracy:.3f} ({len(found) - len(wrong)}/{len(found)})")
    assert wrong == []


def test_link_fills_labels_and_keeps_groups_unlinked(full: Linker) -> None:
    gallant = Actor("Yoav Gallant", P, Role.SPEAKER, "Yoav Gallant", context="ministre israélien de la défense")
    council = Actor("Conseil de sécurité des Nations unies", ORG)
    hostages = Actor("les otages", Kind.GROUP)
    place = Actor("Washington", L)
    event = Event("d", "e1", EventType.MEETING, actors=[gallant, hostages], place=place, body=council)
    full.link([event], Document("d", "", lang="fr", published=PUBLISHED))
    assert (gallant.qid, gallant.label, gallant.labels) == ("Q723506", "Yoav Galant", {"en": "Yoav Galant"})
    assert council.qid == "Q37470" and council.label == "Conseil de sécurité des Nations unies"
    assert council.labels == {"fr": "Conseil de sécurité des Nations unies", "en": "United Nations Security Council"}
    assert place.qid == "Q61" and place.label == "Washington" and place.labels["en"] == "Washington, D.C."
    assert hostages.qid is None and hostages.label is None


def test_english_document_gets_english_labels(full: Linker) -> None:
    israel, council = Actor("Israel", C), Actor("the UN Security Council", ORG)
    full.link([Event("d", "e", EventType.VOTE_ABSTENTION, actors=[israel], body=council)],
              Document("d", "", lang="en", published=PUBLISHED))
    assert (israel.qid, israel.label) == ("Q801", "Israel")
    assert (council.qid, council.label) == ("Q37470", "United Nations Security Council")


@pytest.mark.parametrize("mention, kind, qid", [
    ("Poutine", P, "Q7747"), ("Vladimir Poutine", P, "Q7747"), ("M. Nétanyahou", P, "Q43723"),
    ("Volodymyr Zelensky", P, "Q3874799"), ("Zelenskyy", P, "Q3874799"), ("Sergueï Lavrov", P, "Q58217"),
    ("Mr Lavrov", P, "Q58217"), ("Emmanuel Macron", P, "Q3052772"), ("le président Macron", P, "Q3052772"),
    ("l'OTAN", ORG, "Q7184"), ("NATO", ORG, "Q7184"), ("l'Union européenne", ORG, "Q458"), ("Royaume-Uni", C, "Q145"),
])
def test_press_spellings_titles_and_abbreviations(full: Linker, mention: str, kind: Kind, qid: str) -> None:
    found = full.resolve(mention, kind, date=PUBLISHED)
    assert found is not None and found.qid == qid


def test_kind_decides_the_type(full: Linker) -> None:
    assert full.resolve("Israël", P) is None  # no person is called Israël
    assert full.resolve("Iran", C).type == "country"
    assert full.resolve("Gaza", L).qid == "Q39760"  # the Strip, not Gaza City Q47492
    assert "Q47492" in [c.qid for c in full.candidates("Gaza", L)]
    assert full.resolve("Hamas", Kind.GROUP) is None


def test_role_words_pick_the_office_holder_of_the_time(full: Linker) -> None:
    """Surname alone: the context's role and country decide, and the date picks the holder then."""
    assert full.resolve("M. Galant", P, "ministre israélien", PUBLISHED).qid == "Q723506"
    candidates = full.candidates("Sullivan", P, "conseiller américain à la sécurité nationale", PUBLISHED)
    assert candidates[0].qid == "Q16730147"
    assert full.resolve("Sullivan", P, "conseiller américain à la sécurité nationale", PUBLISHED).qid == "Q16730147"
    assert full.resolve("M. Sullivan", P, None, PUBLISHED) is None  # several Sullivans, nothing to choose: NIL


def test_position_without_holder_uses_country_and_role(full: Linker) -> None:
    assert full.position("ministre israélien de la défense", "fr", PUBLISHED).qid == "Q13222899"
    assert full.position("Prime Minister of Israel", "en", PUBLISHED).qid == "Q208487"
    assert full.position("le porte-parole", "fr", PUBLISHED) is None


def test_unknown_names_are_nil(full: Linker) -> None:
    for name in ("Zorglub Martinez", "Xqzt", "la Maison Blanche", "Département d'État américain"):
        assert full.resolve(name) is None, name


def test_fuzzy_matching_false_link_rate(shared: Path, tmp_path: Path) -> None:
    """People absent from the index must stay NIL: index the core file, resolve the extra office holders.

    Every link made is a false link (no QID of officeholders_extra is in gazetteer.jsonl).
    """
    wikidata = shared / "wikidata"
    index = tmp_path / "core.sqlite"
    build_index([wikidata / "gazetteer.jsonl"], index)
    linker = Linker.open(index)
    lines = (wikidata / "officeholders_extra.jsonl").read_text("utf-8").splitlines()
    names = [json.loads(line)["labels"]["en"] for line in random.Random(4).sample(lines, 2000)]
    names = [n for n in names if n]
    false = [n for n in names if linker.resolve(n, P, lang="en") is not None]
    rate = len(false) / len(names)
    print(f"fuzzy false-link rate on {len(names)} absent people: {rate:.4f} ({len(false)})")
    assert rate < 0.02


def test_missing_and_corrupt_index_name_the_file(tmp_path: Path) -> None:
    with pytest.raises(GazetteerError, match="nowhere.sqlite"):
        Linker.open(tmp_path / "nowhere.sqlite")
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not a database" * 100)
    with pytest.raises(GazetteerError, match="corrupt.sqlite"):
        Linker.open(corrupt)
    import sqlite3

    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(GazetteerError, match="other.sqlite"):
        Linker.open(other)


def test_environment_variable_selects_the_index(full_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLKG_GAZETTEER", str(full_index))
    assert Linker.open().index.path == full_index


def test_every_demonym_names_a_country_of_the_index(full: Linker) -> None:
    """The demonym data file only helps if each country name it gives resolves (through labels or aliases)."""
    from polkg.linker.names import fold, load_data

    demonyms = load_data("demonyms.json")
    missing = [(lang, d, c) for lang in ("fr", "en") for d, c in demonyms[lang].items()
               if not full._countries(fold(c).split(), lang, whole=True)]
    assert missing == []


def test_country_named_in_english_context(full: Linker) -> None:
    assert full.resolve("Yoav Gallant", P, "Israel's defence minister", PUBLISHED, "en").qid == "Q723506"
    assert full.position("Israel's defence minister", "en", PUBLISHED).qid == "Q13222899"


def test_surname_with_a_role_nobody_of_that_name_held_is_nil(full: Linker) -> None:
    """Israel's foreign minister in May 2023 (Eli Cohen) is not in the offline data: no other Cohen may take his place."""
    day = dt.date(2023, 5, 1)
    assert full.candidates("Cohen", P, "foreign minister", day, "en", "Israël")[0].qid == "Q15725863"  # Yossi Cohen
    assert full.resolve("Cohen", P, "foreign minister", day, "en", "Israël") is None
    assert full.resolve("Cohen", P, "foreign minister", day, "en", "Q801") is None
    assert full.resolve("Cohen", P, "foreign minister", day, "en", "IL") is None


def test_country_hint_as_iso_code(full: Linker) -> None:
    """The extractor gives Actor.country as an ISO code; a sovereign state wins over its territories' codes."""
    assert full.index.country_of_code("IL") == "Q801" and full.index.country_of_code("isr") == "Q801"
    assert full.index.country_of_code("FR") == "Q142" and full.index.country_of_code("AU") == "Q408"
    assert full.index.country_of_code("ZZ") is None
    gallant = Actor("M. Galant", P, context="le ministre", country="IL")
    full.link([Event("d", "e", EventType.STATEMENT, actors=[gallant])], Document("d", "", "fr", PUBLISHED))
    assert gallant.qid == "Q723506"


def test_a_people_named_as_a_country_actor(full: Linker) -> None:
    """'les Américains se sont abstenus': the extractor's country actor is the United States."""
    assert full.resolve("les Américains", C).qid == "Q30"
    assert full.resolve("the Israelis", C, lang="en").qid == "Q801"
    assert full.resolve("les Américains", P) is None and full.resolve("les Américains", Kind.GROUP) is None


def test_family_name_first_and_short_names(full: Linker) -> None:
    """'M. Xi' is Xi Jinping (family name first); 'Hu' is no fuzzy match for 'Hou'; 'M. Wang' has too many namesakes."""
    day = dt.date(2023, 6, 1)
    assert full.resolve("M. Xi", P, date=day).qid == "Q15031"
    assert "Q7331464" not in [c.qid for c in full.candidates("Hu", P, date=day)]  # Rick Hou
    assert full.resolve("M. Wang", P, date=day) is None
    assert full.resolve("M. Wang", P, "le chef de la diplomatie chinoise", day).qid == "Q701801"


def test_a_titled_person_tagged_as_organisation_is_linked_as_a_person(full: Linker) -> None:
    modi = Actor("PM Modi", ORG, name="Modi")
    sall = Actor("Président Macky Sall", ORG, name="Macky Sall")
    full.link([Event("d", "e", EventType.MEETING, actors=[modi, sall])], Document("d", "", lang="en", published=PUBLISHED))
    assert modi.qid == "Q1058" and sall.qid == "Q57438"
