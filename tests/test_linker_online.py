"""The online backend against a local HTTP server replaying Wikidata API answers in their real JSON format.

The answers' shapes are those of ``wbsearchentities`` (``searchinfo``, ``search[].match``…) and
``wbgetentities`` (``entities`` with labels, aliases, descriptions and claims with qualifiers); the
``maxlag`` error is Wikidata's (HTTP 200, ``error.code = maxlag``, a ``Retry-After`` header).
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from polkg.linker import Linker
from polkg.linker.build import build_index
from polkg.model import Kind

ENTITY = "http://www.wikidata.org/entity/"


def hit(qid: str, label: str, lang: str, match_type: str = "label", text: str | None = None) -> dict:
    return {"id": qid, "title": qid, "pageid": int(qid[1:]) + 1000, "concepturi": ENTITY + qid,
            "repository": "wikidata", "url": f"//www.wikidata.org/wiki/{qid}",
            "display": {"label": {"value": label, "language": lang}}, "label": label,
            "match": {"type": match_type, "language": lang, "text": text or label}}


def claim(prop: str, qid: str, qualifiers: dict | None = None) -> dict:
    value = {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}
    out = {"mainsnak": {"snaktype": "value", "property": prop, "datavalue": {"value": value, "type": "wikibase-entityid"},
                        "datatype": "wikibase-item"}, "type": "statement", "rank": "normal"}
    if qualifiers:
        out["qualifiers"] = qualifiers
    return out


def start(iso: str) -> dict:
    return {"P580": [{"snaktype": "value", "property": "P580", "datatype": "time", "datavalue": {"type": "time", "value": {
        "time": f"+{iso}T00:00:00Z", "timezone": 0, "before": 0, "after": 0, "precision": 11,
        "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}}}]}


def entity(qid: str, en: str, fr: str, claims: dict, aliases_fr: tuple[str, ...] = ()) -> dict:
    return {"type": "item", "id": qid,
            "labels": {"en": {"language": "en", "value": en}, "fr": {"language": "fr", "value": fr}},
            "descriptions": {"en": {"language": "en", "value": f"{en} (replayed)"}},
            "aliases": {"fr": [{"language": "fr", "value": a} for a in aliases_fr]}, "claims": claims}


SEARCH = {
    ("Hamas", "fr"): [hit("Q38799", "Hamas", "fr")],
    ("John Kirby", "fr"): [hit("Q6250151", "John Kirby", "en"), hit("Q6250150", "John Kirby Allen", "fr")],
    ("Gaza", "fr"): [hit("Q1020007", "Gazankulu", "fr")],
    ("Maison Blanche", "fr"): [hit("Q35525", "Maison-Blanche", "fr", "label", "Maison-Blanche")],
}
ENTITIES = {
    "Q38799": entity("Q38799", "Hamas", "Hamas", {"P31": [claim("P31", "Q7278")], "P17": [claim("P17", "Q219060")]}),
    "Q6250151": entity("Q6250151", "John Kirby", "John Kirby", {
        "P31": [claim("P31", "Q5")], "P27": [claim("P27", "Q30")],
        "P39": [claim("P39", "Q110000001", start("2022-05-01"))]}),
    "Q6250150": entity("Q6250150", "John Kirby Allen", "John Kirby Allen", {"P31": [claim("P31", "Q5")]}),
    "Q110000001": entity("Q110000001", "White House National Security Council Coordinator for Strategic Communications",
                         "coordinateur des communications stratégiques", {"P31": [claim("P31", "Q4164871")]}),
    "Q35525": entity("Q35525", "White House", "Maison-Blanche", {"P31": [claim("P31", "Q16831714")]}),
    "Q1020007": entity("Q1020007", "Gazankulu", "Gazankulu", {"P31": [claim("P31", "Q1048835")]}),
}


class Replay(BaseHTTPRequestHandler):
    """Answers like https://www.wikidata.org/w/api.php; records each request."""

    requests: list[tuple[dict, dict]] = []
    lag_once: set[str] = set()

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        params = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
        self.requests.append((params, dict(self.headers)))
        key = params.get("search") or params.get("ids")
        if key in self.lag_once:
            self.lag_once.discard(key)
            body = {"error": {"code": "maxlag", "info": "Waiting for 10.64.48.23: 7 seconds lagged.", "host": "db1",
                              "lag": 7, "type": "db"}, "servedby": "mw1"}
            return self._send(body, {"Retry-After": "1"})
        if params.get("action") == "wbsearchentities":
            hits = SEARCH.get((params["search"], params["language"]), [])
            return self._send({"searchinfo": {"search": params["search"]}, "search": hits, "success": 1})
        if params.get("action") == "wbgetentities":
            ids = params["ids"].split("|")
            found = {i: ENTITIES.get(i, {"id": i, "missing": ""}) for i in ids}
            return self._send({"entities": found, "success": 1})
        self._send({"error": {"code": "badvalue", "info": "Unrecognized value for parameter"}})

    def _send(self, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def api() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/w/api.php"
    server.shutdown()


@pytest.fixture(scope="module")
def sample_index(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("online") / "sample.sqlite"
    build_index([shared / "wikidata" / "gazetteer_seed000_sample.jsonl"], path)
    return path


@pytest.fixture
def online(api: str, sample_index: Path, tmp_path: Path) -> Linker:
    Replay.requests.clear()
    return Linker.open(sample_index, online=True, endpoint=api, cache=tmp_path / "api-cache.sqlite", backoff=0.01)


def test_online_finds_what_the_offline_index_lacks(online: Linker, sample_index: Path) -> None:
    assert Linker.open(sample_index).resolve("Hamas", Kind.ORGANIZATION) is None
    found = online.resolve("Hamas", Kind.ORGANIZATION)
    assert found.qid == "Q38799" and found.type == "party" and found.labels == {"fr": "Hamas", "en": "Hamas"}
    kirby = online.resolve("John Kirby", Kind.PERSON, "le porte-parole")
    assert kirby.qid == "Q6250151"
    # the position's label came from a second wbgetentities call (it is not in the offline index)
    assert any(p.get("ids") == "Q110000001" and p.get("props") == "labels" for p, _ in Replay.requests)


def test_titles_and_articles_are_not_searched(online: Linker) -> None:
    assert online.resolve("le Hamas", Kind.ORGANIZATION).qid == "Q38799"
    assert online.resolve("M. John Kirby", Kind.PERSON).qid == "Q6250151"
    searched = {p["search"] for p, _ in Replay.requests if p["action"] == "wbsearchentities"}
    assert searched == {"Hamas", "John Kirby"}


def test_prefix_hits_and_wrong_types_are_not_links(online: Linker) -> None:
    assert online.resolve("Gaza", Kind.PLACE).qid == "Q39760"  # the offline answer; Gazankulu is a prefix hit
    assert "Q1020007" not in [c.qid for c in online.candidates("Gaza", Kind.PLACE)]
    assert online.resolve("Maison Blanche", Kind.ORGANIZATION) is None  # a building: no political type


def test_requests_are_polite(online: Linker) -> None:
    online.resolve("Hamas", Kind.ORGANIZATION)
    assert Replay.requests
    for params, headers in Replay.requests:
        assert headers["User-Agent"].startswith("polkg/") and "http" in headers["User-Agent"]
        assert params["maxlag"] == "5" and params["format"] == "json"
    searches = [p for p, _ in Replay.requests if p["action"] == "wbsearchentities"]
    assert [(s["language"], s["uselang"]) for s in searches] == [("fr", "fr"), ("en", "en")]
    fetched = [p for p, _ in Replay.requests if p["action"] == "wbgetentities"]
    assert fetched[0]["languages"] == "fr|en" and "claims" in fetched[0]["props"].split("|")


def test_wbgetentities_takes_50_ids_a_call(online: Linker) -> None:
    ids = [f"Q{n}" for n in range(1, 121)]
    online.online.entities(ids)
    calls = [p["ids"].split("|") for p, _ in Replay.requests if p["action"] == "wbgetentities"]
    assert [len(c) for c in calls] == [50, 50, 20] and sum(calls, []) == ids


def test_maxlag_retry_after_is_honoured(online: Linker) -> None:
    Replay.lag_once.add("Hamas")
    began = time.monotonic()
    assert online.resolve("Hamas", Kind.ORGANIZATION).qid == "Q38799"
    assert time.monotonic() - began >= 1.0
    searches = [p for p, _ in Replay.requests if p.get("search") == "Hamas" and p["language"] == "fr"]
    assert len(searches) == 2


def test_answers_are_cached_on_disk(api: str, sample_index: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite"
    first = Linker.open(sample_index, online=True, endpoint=api, cache=cache)
    Replay.requests.clear()
    assert first.resolve("Hamas", Kind.ORGANIZATION).qid == "Q38799"
    made = len(Replay.requests)
    first.close()
    second = Linker.open(sample_index, online=True, endpoint=api, cache=cache)
    assert second.resolve("Hamas", Kind.ORGANIZATION).qid == "Q38799"
    assert made > 0 and len(Replay.requests) == made


def test_unreachable_api_falls_back_with_one_warning(sample_index: Path, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    linker = Linker.open(sample_index, online=True, endpoint=f"http://127.0.0.1:{port}/w/api.php",
                         cache=tmp_path / "c.sqlite", retries=1, backoff=0.01)
    with caplog.at_level(logging.WARNING, logger="polkg.linker.online"):
        assert linker.resolve("Benjamin Netanyahu", Kind.PERSON).qid == "Q43723"
        assert linker.resolve("Israël", Kind.COUNTRY).qid == "Q801"
        assert linker.resolve("Hamas", Kind.ORGANIZATION) is None
    warnings = [r for r in caplog.records if r.name == "polkg.linker.online"]
    assert len(warnings) == 1 and "offline" in warnings[0].getMessage()
    assert f"127.0.0.1:{port}" in warnings[0].getMessage()
