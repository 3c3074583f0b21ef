"""The query page at / in a real headless Chromium (Playwright) against a real uvicorn process.

Checks that the page loads nothing from outside its own origin, that an example query run in YASGUI
shows its rows, and that the timeline and the actor network render the events of ``/events``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib.plugins.sparql.parser import parseQuery

from api_sample import sample_documents, serve, write_sample

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("page") / "store"
    write_sample(store)
    with serve(store) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: install it with `make chromium` (Debian package chromium, needs root)")
    if not (NODE_MODULES / "@zazuko/yasgui/build/yasgui.min.js").exists():
        pytest.skip("node_modules is absent: run `make node` to install the page's front-end packages")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, base_url: str) -> Iterator[object]:
    """A fresh page on / that records every request and every script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 1600})
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.goto(base_url + "/")
    page.wait_for_selector("#timeline .vis-item", timeout=30_000)
    yield page
    context.close()


def dated_events() -> int:
    """Dated events, each real-world event once (one meeting of the sample is reported by two documents)."""
    return sum(1 for _, events in sample_documents() for event in events if event.date) - 1


def test_the_page_loads_nothing_from_the_internet(page: object, base_url: str) -> None:
    page.wait_for_load_state("networkidle")
    outside = [url for url in page.requests if not url.startswith(base_url + "/") and not url.startswith("data:")]
    assert outside == []
    assert any("/assets/yasgui/" in url for url in page.requests)
    assert page.errors == []


def test_an_example_query_shows_its_rows(page: object) -> None:
    page.click("button[data-example=abstentions]")
    assert "pk:VoteAbstention" in page.evaluate("polkg.yasgui.getTab().getQuery()")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr tbody tr", timeout=30_000)
    rows = page.locator(".yasr tbody tr").all_inner_texts()
    assert len(rows) == 1
    assert "United States" in rows[0] and "United Nations Security Council" in rows[0]
    assert "cessez-le-feu" in rows[0]
    assert page.errors == []


def test_meetings_example_lists_who_met_whom(page: object) -> None:
    page.click("button[data-example=meetings]")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr tbody tr", timeout=30_000)
    rows = page.locator(".yasr tbody tr").all_inner_texts()
    pairs = {tuple(sorted(name for name in ("Yoav Galant", "Antony Blinken", "Jake Sullivan",
                                             "Volodymyr Zelenskyy") if name in row)) for row in rows}
    assert pairs == {("Antony Blinken", "Yoav Galant"), ("Jake Sullivan", "Yoav Galant"),
                     ("Antony Blinken", "Volodymyr Zelenskyy")}
    assert any("visit" in row for row in rows)


def test_timeline_and_network_render_the_events(page: object, tmp_path: Path) -> None:
    page.wait_for_function("network && network.body.data.nodes.length > 0")
    assert page.locator("#timeline .vis-item.vis-box").count() == dated_events()
    assert page.locator("#timeline .vis-item.vis-box.Statement").count() == 2
    actors = {a.qid or a.name or a.text for _, events in sample_documents() for e in events for a in
              [*e.actors, *([e.body] if e.body else [])]}
    assert page.evaluate("network.body.data.nodes.length") == len(actors)
    assert page.evaluate("network.body.data.edges.get('http://www.wikidata.org/entity/Q723506 "
                         "http://www.wikidata.org/entity/Q7821917') !== null")
    canvas = page.locator("#network canvas")
    assert canvas.bounding_box()["width"] > 500
    shot = tmp_path / "page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000


def test_filters_redraw_the_views(page: object) -> None:
    page.select_option("#filters select[name=type]", "Statement")
    page.click("#filters button[type=submit]")
    page.wait_for_function("document.querySelectorAll('#timeline .vis-item.vis-box').length === 2")
    assert page.locator("#event-count").inner_text().startswith("2 events")
    assert page.evaluate("network.body.data.nodes.length") == 3  # Gallant; Macron and the reporters


def test_labels_switch_to_french(page: object) -> None:
    page.select_option("#filters select[name=lang]", "fr")
    page.click("#filters button[type=submit]")
    page.wait_for_function("network.body.data.nodes.get('http://www.wikidata.org/entity/Q30').label === 'États-Unis'")
    assert page.evaluate("network.body.data.nodes.get('http://www.wikidata.org/entity/Q723506').label") == "Yoav Gallant"


def test_clicking_an_actor_shows_its_events(page: object) -> None:
    page.wait_for_selector("#network[data-ready=true]", timeout=30_000)  # laid out, physics off
    page.locator("#network").scroll_into_view_if_needed()
    point = page.evaluate(
        "(() => { const id = 'http://www.wikidata.org/entity/Q723506';"
        " const p = network.canvasToDOM(network.getPosition(id));"
        " const box = document.querySelector('#network').getBoundingClientRect();"
        " return {x: p.x + box.left, y: p.y + box.top, hit: network.getNodeAt(p)}; })()"
    )
    assert point["hit"] == "http://www.wikidata.org/entity/Q723506"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_selector("#details li", timeout=10_000)
    details = page.locator("#details").inner_text()
    assert "Yoav Galant" in details and "Q723506" in details
    assert page.locator("#details li").count() == 3  # his meeting reported twice is listed once


def test_example_queries_parse_and_return_rows(base_url: str) -> None:
    examples = httpx.get(base_url + "/examples").json()
    assert len(examples) >= 5
    for example in examples:
        parseQuery(example["query"])  # raises on a syntax error
        if "SERVICE" in example["query"]:
            continue  # needs query.wikidata.org
        response = httpx.post(base_url + "/sparql", data={"query": example["query"]},
                              headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert response.status_code == 200, (example["name"], response.text)
        assert response.json()["results"]["bindings"], f"{example['name']} returned no rows"


def test_page_explains_missing_front_end_packages(browser: object, tmp_path: Path) -> None:
    """Without node_modules the page still loads and says how to install the packages."""
    store = tmp_path / "store"
    write_sample(store)
    with serve(store, POLKG_ASSETS=str(tmp_path / "nothing")) as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/")
        page.wait_for_selector("#missing-assets:not([hidden])", timeout=10_000)
        assert "make node" in page.locator("#missing-assets").inner_text()
        context.close()


def test_api_docs_render_offline(browser: object, base_url: str) -> None:
    context = browser.new_context()
    docs = context.new_page()
    requests: list[str] = []
    docs.on("request", lambda request: requests.append(request.url))
    docs.goto(base_url + "/docs")
    docs.wait_for_selector(".opblock-summary-path", timeout=30_000)
    docs.wait_for_load_state("networkidle")
    paths = docs.locator(".opblock-summary-path").all_inner_texts()
    context.close()
    assert "/sparql" in paths and "/events" in paths
    assert [url for url in requests if not url.startswith(base_url + "/") and not url.startswith("data:")] == []
