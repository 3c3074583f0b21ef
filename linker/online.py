"""The online backend: Wikidata's API (``wbsearchentities`` + ``wbgetentities``), cached on disk.

Polite by default: a descriptive User-Agent, ``maxlag=5``, one request at a time, ``Retry-After``
honoured, retries with exponential backoff. When the API cannot be reached the backend says so
once (a warning) and the linker goes on with its offline index.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from polkg import __version__
from polkg.linker.build import entity_row
from polkg.linker.index import ALIAS, LABEL, STRENGTH, Entry, Index, entry_from_row
from polkg.linker.names import fold, spelling
from polkg.linker.wikidata import record_from_entity

log = logging.getLogger(__name__)

API = "https://www.wikidata.org/w/api.php"
USER_AGENT = (f"polkg/{__version__} (political-events knowledge graph; https://github.com/polkg/polkg; "
              f"{os.environ.get('POLKG_CONTACT') or 'contact: set POLKG_CONTACT'}) httpx/{httpx.__version__}")
SEARCH_LIMIT = 7
BATCH = 50


class Unavailable(Exception):
    """The API could not be reached or kept failing."""


class OnlineBackend:
    """Candidates from the Wikidata API for the linker (``Linker.open(online=True)``)."""

    def __init__(self, index: Index, endpoint: str = API, cache: Path | None = None, user_agent: str = USER_AGENT,
                 timeout: float = 10.0, retries: int = 3, backoff: float = 1.0) -> None:
        self.index = index
        self.endpoint = endpoint
        self.retries, self.backoff = retries, backoff
        self.client = httpx.Client(headers={"User-Agent": user_agent}, timeout=timeout)
        path = Path(cache) if cache else Path.home() / ".cache" / "polkg" / "wikidata-api.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._cache = sqlite3.connect(path, check_same_thread=False)
        self._cache.execute("CREATE TABLE IF NOT EXISTS response (request TEXT PRIMARY KEY, body TEXT NOT NULL)")
        self.unavailable: str | None = None
        self._lock = threading.Lock()  # one request at a time, also across a server's threads

    # ---- HTTP ------------------------------------------------------------------------------

    def _get(self, params: dict[str, str]) -> dict[str, Any]:
        """One API call (from the cache when it was made before)."""
        with self._lock:
            return self._get_locked(params)

    def _get_locked(self, params: dict[str, str]) -> dict[str, Any]:
        params = {**params, "format": "json", "maxlag": "5"}
        request = json.dumps(params, sort_keys=True, ensure_ascii=False)
        row = self._cache.execute("SELECT body FROM response WHERE request = ?", (request,)).fetchone()
        if row:
            return json.loads(row[0])
        last = "no attempt"
        for attempt in range(self.retries + 1):
            try:
                response = self.client.get(self.endpoint, params=params)
            except httpx.HTTPError as err:
                last = f"{type(err).__name__}: {err}"
                time.sleep(self.backoff * 2**attempt)
                continue
            body: dict[str, Any] = {}
            if response.status_code == 200:
                try:
                    body = response.json()
                except ValueError:
                    last = "answer is not JSON"
            error = body.get("error", {}).get("code") if isinstance(body.get("error"), dict) else None
            if response.status_code == 200 and body and not error:
                self._cache.execute("INSERT OR REPLACE INTO response VALUES (?, ?)", (request, response.text))
                self._cache.commit()
                return body
            if error and error != "maxlag":
                raise Unavailable(f"{self.endpoint}: API error {error}: {body['error'].get('info')}")
            last = f"HTTP {response.status_code}" + (f" ({error})" if error else "")
            if response.status_code not in (200, 429, 500, 502, 503, 504):
                break
            time.sleep(_retry_after(response) or self.backoff * 2**attempt)
        raise Unavailable(f"{self.endpoint}: {last}")

    # ---- API calls ---------------------------------------------------------------------------

    def search(self, text: str, lang: str) -> list[dict[str, Any]]:
        """``wbsearchentities`` hits for ``text`` in ``lang``."""
        body = self._get({"action": "wbsearchentities", "search": text, "language": lang, "uselang": lang,
                          "type": "item", "limit": str(SEARCH_LIMIT)})
        return body.get("search", [])

    def entities(self, ids: list[str], props: str = "labels|aliases|descriptions|claims") -> dict[str, dict[str, Any]]:
        """``wbgetentities`` for ``ids``, 50 per call, French and English terms."""
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), BATCH):
            body = self._get({"action": "wbgetentities", "ids": "|".join(ids[start:start + BATCH]),
                              "props": props, "languages": "fr|en"})
            found.update({k: v for k, v in body.get("entities", {}).items() if "missing" not in v})
        return found

    # ---- candidates for the linker -----------------------------------------------------------

    def candidates(self, name: str, key: str, lang: str) -> list[tuple[Entry, float]]:
        """Entities whose label or alias is ``key`` (the folded mention), searched in ``lang`` then English."""
        if self.unavailable:
            return []
        try:
            return self._candidates(name, key, lang)
        except Unavailable as err:
            self.unavailable = str(err)
            log.warning("Wikidata API unavailable (%s): linking with the offline index only", err)
            return []

    def _candidates(self, name: str, key: str, lang: str) -> list[tuple[Entry, float]]:
        keyer = spelling()
        strengths: dict[str, float] = {}
        words = re.findall(r"\w+", name)
        text = " ".join(words[-len(key.split()):]) if len(words) >= len(key.split()) else name  # no title/article
        for search_lang in dict.fromkeys((lang, "en")):
            for hit in self.search(text, search_lang):
                match = hit.get("match") or {}
                matched = fold(match.get("text") or hit.get("label") or "")
                if matched != key and keyer.key(matched) != keyer.key(key):
                    continue  # a prefix match ('Gaza' → 'Gazankulu')
                strength = STRENGTH[LABEL if match.get("type") == "label" else ALIAS]
                if matched != key:
                    strength *= 0.9
                strengths[hit["id"]] = max(strength, strengths.get(hit["id"], 0.0))
        if not strengths:
            return []
        entities = self.entities(sorted(strengths))
        records = {q: r for q, e in entities.items() if (r := record_from_entity(e, require_position=False))}
        labels = self._position_labels({p["position_qid"] for r in records.values() for p in r.get("positions", [])})
        for record in records.values():
            for held in record.get("positions", []):
                held["label"] = labels.get(held["position_qid"])
        return [(entry_from_row(entity_row(r, {}, Counter())), strengths[q]) for q, r in records.items()]

    def _position_labels(self, qids: set[str]) -> dict[str, str]:
        """English labels of positions: from the offline index, else from the API."""
        labels = {}
        for qid in qids:
            entry = self.index.entry(qid)
            if entry and entry.labels.get("en"):
                labels[qid] = entry.labels["en"]
        missing = sorted(qids - labels.keys())
        for qid, entity in self.entities(missing, props="labels").items() if missing else []:
            label = (entity.get("labels", {}).get("en") or {}).get("value")
            if label:
                labels[qid] = label
        return labels

    def close(self) -> None:
        self.client.close()
        self._cache.close()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return min(float(value), 120.0) if value else None
    except ValueError:
        return None
