"""The W3C SPARQL 1.1 Protocol test suite (../shared/eval/sparql11-protocol, 34 tests) against a real polkg serve.

The manifest is read with rdflib; each test's graph data is loaded with the Graph Store Protocol, then its requests
are sent in order and the status class, ASK boolean and result format family are checked. Every request carries the
write token, so that the update tests exercise the protocol rather than the authentication.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection

from sparql_server import TOKEN, polkg_serve

SUITE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")

FAMILIES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "application/xhtml+xml"},
}


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]
    boolean: bool | None
    family: str | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    data: tuple[tuple[Path, str], ...]
    steps: tuple[Step, ...]


def _load_manifest() -> list[ProtocolTest]:
    manifest = Graph().parse(SUITE / "manifest.ttl", publicID=(SUITE / "manifest.ttl").as_uri())
    root = next(manifest.subjects(predicate=MF.entries))
    tests = []
    for entry in Collection(manifest, manifest.value(root, MF.entries)):
        data = tuple(
            (Path(str(manifest.value(item, UT.graph)).removeprefix("file://")), str(manifest.value(item, RDFS_LABEL)))
            for item in manifest.objects(entry, UT.graphData)
        )
        action = manifest.value(entry, MF.action)
        steps = []
        for request in Collection(manifest, manifest.value(action, HT.requests)):
            header_list = manifest.value(request, HT.headers)
            headers = {
                str(manifest.value(h, HT.fieldName)): str(manifest.value(h, HT.fieldValue))
                for h in (Collection(manifest, header_list) if header_list is not None else [])
            }
            body_node = manifest.value(request, HT.body)
            body = None
            if body_node is not None:
                encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(manifest.value(body_node, CNT.chars)).encode(encoding)
            response = manifest.value(request, HT.resp)
            expected_boolean = manifest.value(response, MF.expectedBoolean)
            expected_format = manifest.value(response, MF.expectedFormat)
            steps.append(Step(
                method=str(manifest.value(request, HT.methodName)),
                path=str(manifest.value(request, HT.absolutePath)),
                headers=headers,
                body=body,
                statuses=frozenset(str(s).removeprefix(str(HTS)) for s in manifest.objects(response, MF.expectedStatus)),
                boolean=None if expected_boolean is None else expected_boolean.toPython(),
                family=None if expected_format is None else str(expected_format),
            ))
        tests.append(ProtocolTest(str(entry).rsplit("#", 1)[-1], data, tuple(steps)))
    return tests


TESTS = _load_manifest() if SUITE.is_dir() else []


@pytest.fixture(scope="module")
def endpoint() -> Iterator[httpx.Client]:
    if not SUITE.is_dir():
        pytest.skip("../shared/eval/sparql11-protocol is absent")
    with polkg_serve("memory") as server, httpx.Client(base_url=server.base, timeout=30) as client:
        yield client


def _boolean(response: httpx.Response) -> bool:
    media_type = response.headers["content-type"].split(";")[0]
    if media_type.endswith("json"):
        return json.loads(response.content)["boolean"]
    element = ET.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return element is not None and element.text == "true"


def test_the_manifest_has_the_34_tests() -> None:
    if not SUITE.is_dir():
        pytest.skip("../shared/eval/sparql11-protocol is absent")
    assert len(TESTS) == 34
    assert sum(len(test.steps) for test in TESTS) >= 34


@pytest.mark.parametrize("test", TESTS, ids=[test.name for test in TESTS])
def test_w3c_protocol(endpoint: httpx.Client, test: ProtocolTest) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert endpoint.post("/sparql", content=b"DROP ALL", headers={**auth, "Content-Type": "application/sparql-update"}
                         ).status_code == 204
    for source, graph in test.data:
        loaded = endpoint.put("/store", params={"graph": graph}, content=(SUITE / source.name).read_bytes(),
                              headers={**auth, "Content-Type": "application/n-triples"})
        assert loaded.status_code in (201, 204), loaded.text
    for step in test.steps:
        path = "/sparql" + step.path.removeprefix("/sparql/")
        request = endpoint.build_request(step.method, path, headers={**auth, **step.headers}, content=step.body)
        response = endpoint.send(request)
        status_class = f"StatusCode{response.status_code // 100}xx"
        assert status_class in step.statuses, f"{step.method} {step.path}: {response.status_code} {response.text}"
        if step.family is not None:
            media_type = response.headers["content-type"].split(";")[0].strip()
            assert media_type in FAMILIES[step.family], media_type
        if step.boolean is not None:
            assert _boolean(response) is step.boolean, response.text
