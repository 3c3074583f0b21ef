"""`polkg gazetteer fetch` against a local SPARQL endpoint replaying Query Service answers (SPARQL 1.1 JSON results)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from typer.testing import CliRunner

from polkg.cli import app
from polkg.linker import Linker
from polkg.linker.fetch import QueryService, fetch, queries
from polkg.linker.online import Unavailable
from polkg.model import Kind

WD = "http://www.wikidata.org/entity/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def uri(qid: str) -> dict:
    return {"type": "uri", "value": WD + qid}


def text(value: str, lang: str | None = None) -> dict:
    return {"type": "literal", "value": value, **({"xml:lang": lang} if lang else {})}


def typed(value: str, datatype: str) -> dict:
    return {"type": "literal", "value": value, "datatype": XSD + datatype}


def office(person: str, en: str, fr: str | None, position: str, label: str, begin: str, end: str | None,
           country: str) -> dict:
    row = {"item": uri(person), "type": text("human"), "labelEn": text(en, "en"), "position": uri(position),
           "positionLabel": text(label, "en"), "start": typed(f"{begin}T00:00:00Z", "dateTime"), "country": uri(country)}
    if fr:
        row["labelFr"] = text(fr, "fr")
    if end:
        row["end"] = typed(f"{end}T00:00:00Z", "dateTime")
    return row


ROWS = {
    "countries": [
        {"item": uri("Q801"), "type": text("country"), "labelEn": text("Israel", "en"), "labelFr": text("Israël", "fr"),
         "un": typed("true", "boolean"), "aliasesEn": text("State of Israel"), "aliasesFr": text("État d'Israël"),
         "iso2": text("IL"), "iso3": text("ISR")},
        {"item": uri("Q30"), "type": text("country"), "labelEn": text("United States of America", "en"),
         "labelFr": text("États-Unis", "fr"), "un": typed("true", "boolean"), "aliasesEn": text("USA|United States"),
         "aliasesFr": text("")},
    ],
    "organizations": [
        {"item": uri("Q37470"), "type": text("international_organization"),
         "labelEn": text("United Nations Security Council", "en"), "labelFr": text("Conseil de sécurité des Nations unies", "fr"),
         "aliasesEn": text("UNSC"), "aliasesFr": text("CSNU")},
    ],
    "leaders": [
        office("Q43723", "Benjamin Netanyahu", "Benyamin Netanyahou", "Q208487", "Prime Minister of Israel",
               "2009-03-31", "2021-06-13", "Q801"),
        office("Q43723", "Benjamin Netanyahu", "Benyamin Netanyahou", "Q208487", "Prime Minister of Israel",
               "2022-12-29", None, "Q801"),
    ],
    "ministers": [
        office("Q723506", "Yoav Gallant", "Yoav Gallant", "Q13222899", "Minister of Defence", "2022-12-29", None, "Q801"),
    ],
    "parties": [{"item": uri("Q192590"), "type": text("party"), "labelEn": text("Likud", "en"),
                 "labelFr": text("Likoud", "fr"), "country": uri("Q801")}],
    "capitals": [{"item": uri("Q61"), "type": text("city"), "labelEn": text("Washington, D.C.", "en"),
                  "labelFr": text("Washington", "fr"), "country": uri("Q30"), "population": typed("689545", "decimal")}],
    "positions": [{"item": uri("Q208487"), "type": text("position"), "labelEn": text("Prime Minister of Israel", "en"),
                   "country": uri("Q801")},
                  {"item": uri("Q13222899"), "type": text("position"), "labelEn": text("Minister of Defence", "en"),
                   "country": uri("Q801")}],
}


class Endpoint(BaseHTTPRequestHandler):
    """A SPARQL endpoint answering the shipped queries; the first request gets 429 + Retry-After."""

    log: list[tuple[str, dict]] = []
    in_flight = 0
    most_in_flight = 0
    throttle_first = True
    fail_with: int | None = None

    def do_POST(self) -> None:  # noqa: N802
        cls = type(self)
        cls.in_flight += 1
        cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
        try:
            form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            name = {q: n for n, q in queries().items()}.get(form["query"][0], "?")
            cls.log.append((name, dict(self.headers)))
            time.sleep(0.02)
            if cls.fail_with:
                return self._send(cls.fail_with, b"MalformedQueryException: bad", "text/plain")
            if cls.throttle_first:
                cls.throttle_first = False
                return self._send(429, b"Too Many Requests", "text/plain", {"Retry-After": "1"})
            rows = ROWS[name]
            names = sorted({v for row in rows for v in row})
            body = json.dumps({"head": {"vars": names}, "results": {"bindings": rows}}).encode()
            self._send(200, body, "application/sparql-results+json")
        finally:
            cls.in_flight -= 1

    def _send(self, status: int, body: bytes, kind: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def endpoint() -> str:
    Endpoint.log, Endpoint.throttle_first, Endpoint.fail_with, Endpoint.most_in_flight = [], True, None, 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sparql"
    server.shutdown()


def test_fetch_builds_an_index_politely(endpoint: str, tmp_path: Path) -> None:
    out = tmp_path / "fetched.sqlite"
    began = time.monotonic()
    report = fetch(out, QueryService(endpoint, backoff=0.01))
    assert time.monotonic() - began >= 1.0  # Retry-After: 1 after the first 429
    names = [name for name, _ in Endpoint.log]
    assert names[:2] == ["capitals", "capitals"], names  # the 429 was answered by a retry after 1 s
    assert list(dict.fromkeys(names)) == sorted(queries()), names  # each query, one after the other
    assert Endpoint.most_in_flight == 1
    for _, headers in Endpoint.log:
        assert headers["User-Agent"].startswith("polkg/") and "sparql-results+json" in headers["Accept"]
    assert report.entities == 9
    linker = Linker.open(out)
    assert linker.resolve("M. Netanyahou", Kind.PERSON).qid == "Q43723"
    assert len(linker.index.entry("Q43723").positions) == 2
    assert linker.resolve("Yoav Gallant", Kind.PERSON, "ministre israélien de la défense").qid == "Q723506"
    assert linker.resolve("CSNU", Kind.ORGANIZATION).qid == "Q37470"
    assert linker.resolve("Likoud", Kind.ORGANIZATION).qid == "Q192590"
    assert linker.resolve("Washington", Kind.PLACE).qid == "Q61"
    assert linker.resolve("État d'Israël", Kind.COUNTRY).qid == "Q801"
    assert linker.index.country_of_code("IL") == "Q801"
    day = dt.date(2024, 3, 26)
    assert linker.position("ministre israélien de la défense", "fr", day).qid == "Q13222899"
    assert linker.position("Premier ministre israélien", "fr", day, holder="Q43723").qid == "Q208487"


def test_cli_fetch(endpoint: str, tmp_path: Path) -> None:
    Endpoint.throttle_first = False
    out = tmp_path / "cli.sqlite"
    result = CliRunner().invoke(app, ["gazetteer", "fetch", "--endpoint", endpoint, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "leaders: 2 rows" in result.output and "9 entities" in result.output


def test_a_rejected_query_is_a_clear_error(endpoint: str, tmp_path: Path) -> None:
    Endpoint.fail_with = 400
    with pytest.raises(Unavailable, match="HTTP 400"):
        fetch(tmp_path / "x.sqlite", QueryService(endpoint, backoff=0.01))
    assert len(Endpoint.log) == 1  # a 400 is not retried
    result = CliRunner().invoke(app, ["gazetteer", "fetch", "--endpoint", endpoint, "-o", str(tmp_path / "y.sqlite")])
    assert result.exit_code == 1 and "HTTP 400" in result.output
    assert not (tmp_path / "x.sqlite").exists()


WIKIDATA_MODEL = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

wd:Q801 wdt:P31 wd:Q3624078 ; wdt:P463 wd:Q1065 ; wdt:P1313 wd:Q208487 ; wdt:P36 wd:Q1218 ; wdt:P297 "IL" ;
    rdfs:label "Israel"@en, "Israël"@fr ; skos:altLabel "State of Israel"@en, "État d'Israël"@fr .
wd:Q1218 rdfs:label "Jerusalem"@en, "Jérusalem"@fr ; wdt:P1082 "966210"^^xsd:decimal .
wd:Q1065 wdt:P31 wd:Q245065 ; rdfs:label "United Nations"@en, "Organisation des Nations unies"@fr ;
    skos:altLabel "UN"@en, "ONU"@fr .
wd:Q37470 wdt:P361 wd:Q1065 ; rdfs:label "United Nations Security Council"@en ; skos:altLabel "CSNU"@fr .
wd:Q208487 rdfs:label "Prime Minister of Israel"@en .
wd:Q13222899 wdt:P279 wd:Q83307 ; wdt:P1001 wd:Q801 ; rdfs:label "Minister of Defence"@en .
wd:Q43723 rdfs:label "Benjamin Netanyahu"@en, "Benyamin Netanyahou"@fr ; p:P39 _:held1 .
_:held1 ps:P39 wd:Q208487 ; pq:P580 "2022-12-29T00:00:00Z"^^xsd:dateTime .
wd:Q723506 rdfs:label "Yoav Gallant"@en ; p:P39 _:held2, _:held3 .
_:held2 ps:P39 wd:Q13222899 ; pq:P580 "2022-12-29T00:00:00Z"^^xsd:dateTime .
_:held3 ps:P39 wd:Q13222899 ; pq:P580 "1990-01-01T00:00:00Z"^^xsd:dateTime ; pq:P582 "1995-01-01T00:00:00Z"^^xsd:dateTime .
wd:Q192590 wdt:P31 wd:Q7278 ; wdt:P17 wd:Q801 ; rdfs:label "Likud"@en, "Likoud"@fr .
"""

WDQS_PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def test_shipped_queries_run_on_the_wikidata_data_model(tmp_path: Path) -> None:
    """Each shipped query, with the prefixes the Query Service predefines, runs on a small graph in Wikidata's
    RDF model (Oxigraph); its SPARQL JSON results make the expected records."""
    import pyoxigraph as ox

    from polkg.linker.build import merge, write_index
    from polkg.linker.fetch import records_from_rows

    store = ox.Store()
    store.load(WIKIDATA_MODEL.encode(), format=ox.RdfFormat.TURTLE)
    records = []
    for name, query in queries().items():
        answer = store.query(WDQS_PREFIXES + query).serialize(format=ox.QueryResultsFormat.JSON)
        rows = json.loads(answer)["results"]["bindings"]
        assert rows, f"{name} found nothing"
        records += records_from_rows(rows)
    by_qid = merge(records)
    assert by_qid["Q801"]["un_member"] is True and "État d'Israël" in by_qid["Q801"]["aliases"]["fr"]
    assert by_qid["Q801"]["iso_a2"] == "IL"
    assert {"Q1065", "Q37470"} <= by_qid.keys() and by_qid["Q1218"]["capital_of"] == "Q801"
    assert [p["end"] for p in by_qid["Q723506"]["positions"]] == [None]  # the office held before 2000 is left out
    write_index(by_qid, tmp_path / "model.sqlite", ["model"])
    linker = Linker.open(tmp_path / "model.sqlite")
    assert linker.resolve("M. Netanyahou", Kind.PERSON).qid == "Q43723"
    assert linker.resolve("Jérusalem", Kind.PLACE).qid == "Q1218"
    assert linker.position("ministre israélien de la défense", "fr", dt.date(2024, 3, 26)).qid == "Q13222899"
