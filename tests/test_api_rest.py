"""The REST API (/events, /actors, /export, /health, /documents) against a real uvicorn process on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from api_sample import (
    BLINKEN,
    GALLANT,
    MACRON,
    TOKEN,
    USA,
    ZELENSKY,
    free_port,
    sample_documents,
    serve,
    write_sample,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from polkg.graph.links import LINKS_GRAPH
from polkg.graph.mapping import Run, document_triples, event_iri, graph_iri
from polkg.ontology.vocab import PK
from processes import oxigraph_serve
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from polkg.model import Event, EventType, Status, Subtype

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rest") / "store"
    write_sample(path)
    return path


@pytest.fixture(scope="module")
def api(sample_store: Path) -> httpx.Client:
    with serve(sample_store) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


def all_events() -> list:
    return [event for _, events in sample_documents() for event in events]


def events(api: httpx.Client, **params: object) -> dict:
    response = api.get("/events", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_health_reports_a_disk_store_with_data(api: httpx.Client) -> None:
    body = api.get("/health").json()
    assert body["status"] == "ok"
    assert body["store"] == "disk"
    assert body["empty"] is False


def test_events_lists_every_event_with_actors_and_labels(api: httpx.Client) -> None:
    page = events(api)
    assert page["total"] == len(all_events()) == len(page["items"])
    meeting = next(e for e in page["items"] if e["iri"].endswith("/seed-like-fr-e1"))
    assert meeting["type"] == "Meeting" and meeting["status"] == "happened" and meeting["date"] == "2024-03-26"
    assert meeting["graph"].endswith("/graph/seed-like-fr")
    assert {(a["qid"], a["label"], a["role"], a["kind"]) for a in meeting["actors"]} == {
        (GALLANT, "Yoav Galant", "participant", "person"),
        (BLINKEN, "Antony Blinken", "participant", "person"),
    }
    vote = next(e for e in page["items"] if e["type"] == "VoteAbstention")
    assert vote["resolution"].startswith("résolution exigeant")
    assert {a["role"] for a in vote["actors"]} == {"abstainer", "body"}


def test_events_are_sorted_by_date_with_undated_last(api: httpx.Client) -> None:
    dates = [e["date"] for e in events(api)["items"]]
    known = [d for d in dates if d]
    assert known == sorted(known)
    assert dates[len(known):] == [None] * (len(dates) - len(known)) and None in dates


def test_pages_cover_every_event_once(api: httpx.Client) -> None:
    seen = []
    for offset in range(0, 10, 3):
        page = events(api, limit=3, offset=offset)
        assert page["limit"] == 3 and page["offset"] == offset and page["total"] == len(all_events())
        seen += [e["iri"] for e in page["items"]]
    assert len(seen) == len(set(seen)) == len(all_events())


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "Meeting"}, {"seed-like-fr-e1", "seed-like-fr-e2", "seed-like-fr-e5", "wire-en-e1", "wire-en-e3",
                               "visit-fr-e1"}),
        ({"type": "PhoneCall"}, {"wire-en-e1"}),
        ({"type": "Visit"}, {"visit-fr-e1"}),
        ({"type": "Statement"}, {"seed-like-fr-e3", "wire-en-e2"}),
        ({"type": "VoteAbstention"}, {"seed-like-fr-e4"}),
        ({"type": "Veto"}, set()),
        ({"status": "planned"}, {"wire-en-e1"}),
        ({"status": "cancelled"}, {"seed-like-fr-e5"}),
        ({"actor": GALLANT}, {"seed-like-fr-e1", "seed-like-fr-e2", "seed-like-fr-e3", "wire-en-e3"}),
        ({"actor": GALLANT, "distinct": "true"}, {"seed-like-fr-e1", "seed-like-fr-e2", "seed-like-fr-e3"}),
        ({"actor": USA}, {"seed-like-fr-e4"}),
        ({"actor": "Q37470"}, {"seed-like-fr-e4"}),  # the voting body counts as an actor
        ({"actor": ZELENSKY, "type": "Meeting"}, {"wire-en-e1", "visit-fr-e1"}),
        ({"from": "2024-03-26"}, {"seed-like-fr-e1", "seed-like-fr-e3", "wire-en-e1", "wire-en-e2", "wire-en-e3"}),
        ({"to": "2024-03-25"}, {"seed-like-fr-e2", "seed-like-fr-e4", "visit-fr-e1"}),
        ({"from": "2024-03-25", "to": "2024-03-25"}, {"seed-like-fr-e2", "seed-like-fr-e4"}),
        ({"actor": MACRON, "status": "happened"}, {"wire-en-e2"}),
    ],
)
def test_event_filters(api: httpx.Client, params: dict, expected: set[str]) -> None:
    page = events(api, **params)
    found = {e["iri"].rsplit("/", 1)[-1] for e in page["items"]}
    assert found == expected
    assert page["total"] == len(expected)


def test_an_event_reported_twice_points_to_its_canonical_report(api: httpx.Client) -> None:
    again = next(e for e in events(api)["items"] if e["iri"].endswith("/wire-en-e3"))
    assert again["same_as"].endswith("/seed-like-fr/seed-like-fr-e1")
    assert events(api, distinct="true")["total"] == len(all_events()) - 1


def _matches(event: Event, type_: str | None, actor: str | None, start: dt.date | None, end: dt.date | None,
             status: str | None, distinct: bool) -> bool:
    """What /events promises, written over the model: the oracle of the property test below."""
    kinds = {event.type.value, *([event.subtype.value] if event.subtype else [])}
    qids = {a.qid for a in event.actors} | ({event.body.qid} if event.body else set())
    dated_ok = (start is None and end is None) or (
        event.date is not None and (start is None or event.date >= start) and (end is None or event.date <= end)
    )
    return ((type_ is None or type_ in kinds) and (actor is None or actor in qids) and dated_ok
            and (status is None or event.status.value == status) and not (distinct and event.id == "wire-en-e3"))


SAMPLE_DAYS = sorted({e.date for e in all_events() if e.date})
SAMPLE_QIDS = sorted({a.qid for e in all_events() for a in e.actors if a.qid}) + ["Q42"]


@settings(max_examples=60, deadline=None)
@given(
    type_=st.none() | st.sampled_from([*EventType, *Subtype]).map(lambda v: v.value),
    actor=st.none() | st.sampled_from(SAMPLE_QIDS),
    start=st.none() | st.sampled_from(SAMPLE_DAYS),
    end=st.none() | st.sampled_from(SAMPLE_DAYS),
    status=st.none() | st.sampled_from([s.value for s in Status]),
    distinct=st.booleans(),
)
def test_any_filter_combination_matches_the_model(api: httpx.Client, type_, actor, start, end, status, distinct) -> None:
    params = {"type": type_, "actor": actor, "from": start, "to": end, "status": status, "distinct": distinct}
    page = events(api, **{k: v for k, v in params.items() if v is not None})
    expected = {e.id for e in all_events() if _matches(e, type_, actor, start, end, status, distinct)}
    assert {e["iri"].rsplit("/", 1)[-1] for e in page["items"]} == expected
    assert page["total"] == len(expected)


def test_labels_follow_the_requested_language(api: httpx.Client) -> None:
    page = events(api, actor=USA, lang="fr")
    labels = {a["qid"]: a["label"] for a in page["items"][0]["actors"]}
    assert labels[USA] == "États-Unis"
    assert labels["Q37470"] == "United Nations Security Council"  # no French label: English instead


def test_unlinked_actors_have_local_iris_and_no_qid(api: httpx.Client) -> None:
    cancelled = events(api, status="cancelled")["items"][0]
    group = next(a for a in cancelled["actors"] if a["kind"] == "group")
    assert group["qid"] is None and group["iri"].startswith("https://w3id.org/polkg/id/actor/group/")
    assert group["label"] == "une délégation israélienne"


@pytest.mark.parametrize(
    "query",
    [
        "type=Party", "status=maybe", "actor=Gallant", "actor=Q0", "from=yesterday", "to=2024-13-01",
        "limit=0", "limit=1001", "offset=-1", "lang=de", "actor=Q1%20OR%201", "limit=abc",
    ],
)
def test_bad_event_filters_are_422_with_a_reason(api: httpx.Client, query: str) -> None:
    response = api.get("/events?" + query)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


def test_actor_has_labels_kind_and_events(api: httpx.Client) -> None:
    body = api.get(f"/actors/{GALLANT}").json()
    assert body["iri"] == f"http://www.wikidata.org/entity/{GALLANT}"
    assert body["labels"] == {"en": "Yoav Galant", "fr": "Yoav Gallant"}
    assert body["label"] == "Yoav Galant" and body["kind"] == "person"
    assert body["wikidata"] == f"https://www.wikidata.org/wiki/{GALLANT}"
    assert [e["iri"].rsplit("/", 1)[-1] for e in body["events"]] == ["seed-like-fr-e2", "seed-like-fr-e1",
                                                                     "seed-like-fr-e3", "wire-en-e3"]
    assert api.get(f"/actors/{GALLANT}", params={"lang": "fr"}).json()["label"] == "Yoav Gallant"


def test_place_is_known_but_has_no_events(api: httpx.Client) -> None:
    body = api.get("/actors/Q1899").json()
    assert body["kind"] is None or body["kind"] == "place"
    assert body["events"] == []  # a place is not an actor of the visit
    assert events(api, type="Visit")["items"][0]["place"] == "Kyiv"


def test_unknown_actor_is_404_and_a_bad_qid_422(api: httpx.Client) -> None:
    missing = api.get("/actors/Q999999999")
    assert missing.status_code == 404 and "Q999999999" in missing.json()["detail"]
    assert api.get("/actors/Gallant").status_code == 422
    assert api.get("/actors/Q12x").status_code == 422


def _expected_dataset() -> Dataset:
    """What the sample store holds, built independently of the server (same mapping, same run time)."""
    dataset = Dataset()
    run = Run(started=dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    for doc, doc_events in sample_documents():
        graph = dataset.graph(graph_iri(doc.id))
        for triple in document_triples(doc, doc_events, run):
            graph.add(triple)
    links = dataset.graph(LINKS_GRAPH)
    links.add((event_iri("wire-en", "wire-en-e3"), PK.sameEventAs, event_iri("seed-like-fr", "seed-like-fr-e1")))
    return dataset


def _without_runs(graph: Graph) -> Graph:
    """The graph minus PROV run times (the store's run started at another second than the expected one)."""
    out = Graph()
    for s, p, o in graph:
        if "/run/" not in f"{s}{o}" and not str(p).endswith("startedAtTime"):
            out.add((s, p, o))
    return out


def test_export_turtle_is_the_union_with_prefixes_and_parses_twice(api: httpx.Client) -> None:
    with api.stream("GET", "/export") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        assert 'filename="polkg.ttl"' in response.headers["content-disposition"]
        body = response.read()
    assert b"@prefix pk: <https://w3id.org/polkg/ontology#>" in body
    exported = Graph().parse(data=body, format="turtle")
    expected = Graph()
    for graph in _expected_dataset().graphs():
        for triple in graph:
            expected.add(triple)
    assert isomorphic(_without_runs(exported), _without_runs(expected))
    assert len(list(ox.parse(body, ox.RdfFormat.TURTLE))) == len(exported)


def test_export_trig_keeps_one_graph_per_document(api: httpx.Client) -> None:
    response = api.get("/export", params={"format": "trig"})
    assert response.headers["content-type"].startswith("application/trig")
    dataset = Dataset()
    dataset.parse(data=response.content, format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {n.rsplit("/", 1)[-1] for n in names} == {doc.id for doc, _ in sample_documents()} | {"links"}


@pytest.mark.parametrize("fmt", ["nquads", "ntriples", "jsonld"])
def test_export_other_formats_parse(api: httpx.Client, fmt: str) -> None:
    response = api.get("/export", params={"format": fmt})
    assert response.status_code == 200
    formats = {"nquads": ox.RdfFormat.N_QUADS, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
    assert response.headers["content-type"].split(";")[0] == formats[fmt].media_type
    assert len(list(ox.parse(response.content, formats[fmt]))) > 100


def test_export_one_graph(api: httpx.Client) -> None:
    graph = "https://w3id.org/polkg/id/graph/wire-en"
    exported = Graph().parse(data=api.get("/export", params={"graph": graph}).content, format="turtle")
    text = exported.serialize(format="nt")
    assert "We will stand by Ukraine" in text and "Netanyahu" not in text


def test_export_errors(api: httpx.Client) -> None:
    assert api.get("/export", params={"format": "rdfxml"}).status_code == 422
    missing = api.get("/export", params={"graph": "https://w3id.org/polkg/id/graph/nope"})
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]
    bad = api.get("/export", params={"graph": "not an iri"})
    assert bad.status_code == 422 and "not an IRI" in bad.json()["detail"]


def test_openapi_documents_the_rest_routes(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("/documents", "/events", "/actors/{qid}", "/export", "/health"):
        assert path in paths
    assert api.get("/docs").status_code == 200


# ---- other stores: a remote SPARQL store, and one that cannot be reached ----


@pytest.fixture(scope="module")
def oxigraph_server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `oxigraph serve` over a copy of the sample store (union default graph, as polkg's own store)."""
    location = tmp_path_factory.mktemp("remote") / "store"
    write_sample(location)
    with oxigraph_serve(location) as url:
        yield url


def test_the_rest_api_reads_a_remote_store_alike(api: httpx.Client, oxigraph_server: str) -> None:
    with serve(oxigraph_server) as base, httpx.Client(base_url=base, timeout=30) as remote:
        assert remote.get("/health").json()["store"] == "remote"
        for params in ({}, {"actor": GALLANT, "distinct": "true"}, {"type": "Meeting", "from": "2024-03-26"}):
            assert remote.get("/events", params=params).json() == api.get("/events", params=params).json()
        assert remote.get(f"/actors/{BLINKEN}").json() == api.get(f"/actors/{BLINKEN}").json()
        exported = Graph().parse(data=remote.get("/export").content, format="turtle")
        assert len(exported) == len(Graph().parse(data=api.get("/export").content, format="turtle"))


def test_an_unreachable_store_is_a_503_with_the_reason() -> None:
    with serve(f"http://127.0.0.1:{free_port()}", ready="/openapi.json") as base:
        for path in ("/health", "/events", f"/actors/{GALLANT}", "/export?graph=https://w3id.org/polkg/id/graph/x"):
            response = httpx.get(base + path, timeout=30)
            assert response.status_code == 503, (path, response.text)
            assert "the store failed" in response.json()["detail"]


# ---- ingest: a separate server over an empty in-memory store, with the real extractor and linker ----


@pytest.fixture(scope="module")
def ingest_api() -> httpx.Client:
    pytest.importorskip("polkg.extractor", reason="the extractor is not installed")
    with serve("memory") as base, httpx.Client(base_url=base, timeout=300) as client:
        yield client


def _seed(seeds: Path) -> dict:
    meta = json.loads((seeds / "000_1505aa7bd25a2221.meta.json").read_text(encoding="utf-8"))
    text = (seeds / "000_1505aa7bd25a2221.txt").read_text(encoding="utf-8")
    return {**meta, "text": text}


def test_ingest_needs_the_token(ingest_api: httpx.Client) -> None:
    document = {"id": "x", "text": "Macron a rencontré Scholz à Berlin."}
    assert ingest_api.post("/documents", json=document).status_code == 401
    wrong = ingest_api.post("/documents", json=document, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert ingest_api.get("/events").json()["total"] == 0


def test_ingest_without_a_configured_token_is_refused() -> None:
    with serve("memory", token=None) as base:
        response = httpx.post(base + "/documents", json={"text": "x"}, headers={"Authorization": "Bearer x"})
    assert response.status_code == 403 and "POLKG_TOKEN" in response.json()["detail"]


def test_ingest_a_batch_stores_good_documents_and_reports_bad_ones(ingest_api: httpx.Client, seeds: Path) -> None:
    batch = [
        _seed(seeds),
        {"id": "bad-lang", "text": "Hallo Welt", "lang": "de"},
        {"id": "no-text"},
        "not a document",
        {"id": "en-1", "lang": "en", "published": "2024-05-02",
         "text": "French President Emmanuel Macron met German Chancellor Olaf Scholz in Berlin on Tuesday."},
    ]
    response = ingest_api.post("/documents", json=batch, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert [(d["id"], d["status"]) for d in report["documents"]] == [("000_1505aa7bd25a2221", "stored"),
                                                                      ("en-1", "stored")]
    assert [(e["index"], e["id"]) for e in report["errors"]] == [(1, "bad-lang"), (2, "no-text"), (3, None)]
    assert "lang" in report["errors"][0]["reason"] and "text" in report["errors"][1]["reason"]
    seed_events = [e for e in report["events"] if e["doc"] == "000_1505aa7bd25a2221"]
    assert len(seed_events) == report["documents"][0]["events"] > 0
    assert {"Meeting", "Statement"} <= {e["type"] for e in seed_events}
    assert all(set(e) >= {"id", "type", "status", "actors", "sentence", "mentions", "confidence"} for e in seed_events)

    stored = ingest_api.get("/events", params={"limit": 1000}).json()
    assert stored["total"] == len(report["events"])
    graphs = {e["graph"].rsplit("/", 1)[-1] for e in stored["items"]}
    assert graphs <= {"000_1505aa7bd25a2221", "en-1"}


def test_ingest_again_skips_an_unchanged_document_unless_forced(ingest_api: httpx.Client, seeds: Path) -> None:
    before = ingest_api.get("/events").json()["total"]
    headers = {"Authorization": f"Bearer {TOKEN}"}
    again = ingest_api.post("/documents", json=_seed(seeds), headers=headers).json()
    assert again["documents"] == [{"id": "000_1505aa7bd25a2221", "graph": "https://w3id.org/polkg/id/graph/"
                                   "000_1505aa7bd25a2221", "status": "unchanged", "events": 0}]
    forced = ingest_api.post("/documents", params={"force": "true"}, json=_seed(seeds), headers=headers).json()
    assert forced["documents"][0]["status"] == "stored" and forced["documents"][0]["events"] > 0
    assert ingest_api.get("/events").json()["total"] == before  # replaced, not duplicated


@pytest.mark.parametrize("body", [[], 42, "text", None])
def test_ingest_rejects_what_is_not_a_document(ingest_api: httpx.Client, body: object) -> None:
    response = ingest_api.post("/documents", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422
