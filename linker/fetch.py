"""``polkg gazetteer fetch``: political actors from the Wikidata Query Service → a gazetteer index.

The queries are ``linker/data/sparql/*.rq``; each returns rows with the same variables (``item``,
``type``, ``labelEn``/``labelFr``, ``aliasesEn``/``aliasesFr``, ``country``, ``position``…), grouped
here into gazetteer records. One query at a time, a descriptive User-Agent, ``Retry-After`` honoured.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import httpx

from polkg.linker.build import BuildReport, merge, write_index
from polkg.linker.online import USER_AGENT, Unavailable, _retry_after

log = logging.getLogger(__name__)

ENDPOINT = "https://query.wikidata.org/sparql"
ENTITY = "http://www.wikidata.org/entity/"


def queries() -> dict[str, str]:
    """The shipped SPARQL queries by name."""
    folder = resources.files("polkg.linker").joinpath("data", "sparql")
    return {p.name.removesuffix(".rq"): p.read_text("utf-8") for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".rq")}


class QueryService:
    """A polite SPARQL client: sequential requests, Retry-After, exponential backoff."""

    def __init__(self, endpoint: str = ENDPOINT, user_agent: str = USER_AGENT, timeout: float = 300.0,
                 retries: int = 4, backoff: float = 2.0) -> None:
        self.endpoint, self.retries, self.backoff = endpoint, retries, backoff
        self.client = httpx.Client(headers={"User-Agent": user_agent, "Accept": "application/sparql-results+json"},
                                   timeout=timeout)

    def select(self, query: str) -> list[dict[str, Any]]:
        """The result bindings of a SELECT query."""
        last = "no attempt"
        for attempt in range(self.retries + 1):
            try:
                response = self.client.post(self.endpoint, data={"query": query})
            except httpx.HTTPError as err:
                last = f"{type(err).__name__}: {err}"
                time.sleep(self.backoff * 2**attempt)
                continue
            if response.status_code == 200:
                try:
                    return response.json()["results"]["bindings"]
                except (ValueError, KeyError) as err:
                    raise Unavailable(f"{self.endpoint}: not SPARQL JSON results ({err})") from err
            last = f"HTTP {response.status_code}: {response.text[:200]}"
            if response.status_code not in (429, 500, 502, 503, 504):
                break
            time.sleep(_retry_after(response) or self.backoff * 2**attempt)
        raise Unavailable(f"{self.endpoint}: {last}")

    def close(self) -> None:
        self.client.close()


def _value(row: dict[str, Any], name: str) -> str | None:
    cell = row.get(name)
    if not cell or not cell.get("value"):
        return None
    value = cell["value"]
    return value.removeprefix(ENTITY) if cell.get("type") == "uri" else value


def records_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Gazetteer records from result rows (one record per row; :func:`merge` joins them by QID)."""
    records = []
    for row in rows:
        qid, kind = _value(row, "item"), _value(row, "type")
        if not qid or not qid.startswith("Q") or not kind:
            continue
        country = _value(row, "country")
        record: dict[str, Any] = {
            "qid": qid, "type": kind,
            "labels": {"en": _value(row, "labelEn"), "fr": _value(row, "labelFr")},
            "aliases": {lang: [a for a in (_value(row, f"aliases{lang.title()}") or "").split("|") if a]
                        for lang in ("en", "fr")},
            "country_qid": country, "source": "wikidata-query-service",
        }
        if kind == "country":
            record["un_member"] = _value(row, "un") in ("true", "1")
            record["iso_a2"], record["iso_a3"] = _value(row, "iso2"), _value(row, "iso3")
        if kind == "city":
            record["capital_of"] = country
            population = _value(row, "population")
            record["population"] = int(float(population)) if population else None
        if position := _value(row, "position"):
            record["positions"] = [{"position_qid": position, "label": _value(row, "positionLabel"),
                                    "start": (_value(row, "start") or "")[:10] or None,
                                    "end": (_value(row, "end") or "")[:10] or None, "country_qid": country}]
        records.append(record)
    return records


def fetch(output: Path, service: QueryService, progress: Callable[[str, int], None] | None = None) -> BuildReport:
    """Run every shipped query, one after the other, and write the index to ``output``."""
    records: list[dict[str, Any]] = []
    for name, query in queries().items():
        rows = service.select(query)
        records += records_from_rows(rows)
        if progress:
            progress(name, len(rows))
    merged = merge(records)
    for record in merged.values():  # one row per held office: the same office may come from two queries
        unique = {(p["position_qid"], p["start"], p["end"]): p for p in record.get("positions") or []}
        record["positions"] = list(unique.values())
    return write_index(merged, output, [f"{service.endpoint}#{name}" for name in queries()])
