"""Wikidata's entity JSON (dump lines, ``wbgetentities``) → the gazetteer's record shape.

The record shape is the one of ``../shared/wikidata/gazetteer.jsonl`` (``qid``, ``type``,
``labels``, ``aliases``, ``description``, ``positions``, ``country_qid``…), so the index builder
and the online backend read every source the same way.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from polkg.linker.names import load_data

LANGS = ("fr", "en")


@lru_cache(maxsize=1)
def _class_types() -> list[tuple[str, frozenset[str]]]:
    data = load_data("wikidata_types.json")
    return [(t, frozenset(data["classes"][t])) for t in data["order"]]


def entity_type(classes: set[str]) -> str | None:
    """The polkg type of an item whose P31 values are ``classes`` (None: not a political entity)."""
    for name, qids in _class_types():
        if classes & qids:
            return name
    return None


def _item_ids(claims: list[dict[str, Any]]) -> list[str]:
    ids = []
    for claim in claims:
        value = claim.get("mainsnak", claim).get("datavalue", {}).get("value")
        if isinstance(value, dict) and value.get("id"):
            ids.append(value["id"])
    return ids


def _string(claims: list[dict[str, Any]] | None) -> str | None:
    """The first string value of a property's claims (an ISO code)."""
    for claim in claims or []:
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, str):
            return value
    return None


def _time(snaks: list[dict[str, Any]] | None) -> str | None:
    """A qualifier's time value as an ISO date, year or month (as precise as Wikidata says)."""
    for snak in snaks or []:
        value = snak.get("datavalue", {}).get("value")
        if isinstance(value, dict) and "time" in value:
            date = value["time"].lstrip("+")[:10]
            precision = value.get("precision", 11)
            return date[:4] if precision <= 9 else date[:7] if precision == 10 else date
    return None


def record_from_entity(entity: dict[str, Any], require_position: bool = True) -> dict[str, Any] | None:
    """A gazetteer record from one Wikidata entity, or None when its P31 is no political type.

    With ``require_position`` a human is kept only with at least one P39 (position held) claim: the
    dump has millions of people and polkg links political actors.
    """
    if entity.get("type", "item") != "item" or not str(entity.get("id", "")).startswith("Q"):
        return None
    claims = entity.get("claims") or {}
    kind = entity_type(set(_item_ids(claims.get("P31", []))))
    if kind is None or (require_position and kind == "human" and not claims.get("P39")):
        return None
    labels = entity.get("labels") or {}
    descriptions = entity.get("descriptions") or {}
    aliases = entity.get("aliases") or {}
    country = next(iter(_item_ids(claims.get("P27", []) or claims.get("P17", []))), None)
    record: dict[str, Any] = {
        "qid": entity["id"],
        "type": kind,
        "labels": {lang: labels.get(lang, {}).get("value") for lang in LANGS},
        "aliases": {lang: [a["value"] for a in aliases.get(lang, [])] for lang in LANGS},
        "description": {lang: descriptions.get(lang, {}).get("value") for lang in LANGS},
        "country_qid": country,
        "source": "wikidata",
    }
    if kind == "human":
        record["positions"] = [
            {
                "position_qid": pid,
                "label": None,  # from the position's own entity, when the index builder has it
                "start": _time(claim.get("qualifiers", {}).get("P580")),
                "end": _time(claim.get("qualifiers", {}).get("P582")),
                "country_qid": country,
            }
            for claim in claims.get("P39", [])
            for pid in _item_ids([claim])
        ]
    if kind == "country":
        record["un_member"] = "Q1065" in _item_ids(claims.get("P463", []))
    if kind in ("country", "territory"):
        record["iso_a2"], record["iso_a3"] = _string(claims.get("P297")), _string(claims.get("P298"))
    if kind == "city":
        capital_of = _item_ids(claims.get("P1376", []))
        record["capital_of"] = capital_of[0] if capital_of else None
        population = [c.get("mainsnak", {}).get("datavalue", {}).get("value", {}) for c in claims.get("P1082", [])]
        amounts = [float(p["amount"]) for p in population if isinstance(p, dict) and "amount" in p]
        record["population"] = int(max(amounts)) if amounts else None
    return record
