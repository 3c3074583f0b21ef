"""Role words: position labels → role categories, and a mention's context → the roles and countries it names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from polkg.linker.names import fold, load_data


class PositionClassifier:
    """Role categories of a position from its English label ('Prime Minister of Israel' → head_of_government)."""

    def __init__(self) -> None:
        categories = load_data("positions.json")["categories"]
        self._rules = [
            (name, re.compile(rule["include"], re.I), re.compile(rule["exclude"], re.I))
            for name, rule in categories.items()
        ]

    def categories(self, label: str | None) -> tuple[str, ...]:
        if not label:
            return ()
        return tuple(name for name, inc, exc in self._rules if inc.search(label) and not exc.search(label))


@lru_cache(maxsize=1)
def classifier() -> PositionClassifier:
    """The shared :class:`PositionClassifier`."""
    return PositionClassifier()


@dataclass(frozen=True)
class Cue:
    """What a mention's context says: role categories, label hints (regexes) and country names (folded)."""

    categories: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    rest: str = ""


class ContextReader:
    """Reads role phrases and demonyms of one language out of a mention's context."""

    def __init__(self, lang: str) -> None:
        roles = load_data("roles.json")
        phrases = roles.get(lang) or roles["en"]
        self._phrases = sorted(
            ((fold(p), (v, None) if isinstance(v, str) else tuple(v)) for p, v in phrases.items()),
            key=lambda item: -len(item[0]),
        )
        demonyms = load_data("demonyms.json")
        table = demonyms.get(lang) or demonyms["en"]
        endings = demonyms["inflections"].get(lang, [""])
        self._demonyms = {fold(d) + e: fold(country) for d, country in table.items() for e in endings}
        self._longest = max(len(d.split()) for d in self._demonyms)

    def country_of(self, folded: str) -> str | None:
        """The folded country name a demonym stands for ('americains' → 'etats unis'), if it is one."""
        return self._demonyms.get(folded)

    def read(self, context: str | None) -> Cue:
        """Role categories (longest phrases first, each word used once) and countries named by demonyms."""
        if not context:
            return Cue()
        tokens = fold(context).split()
        countries: list[str] = []
        kept: list[str] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 0, -1):
                country = self._demonyms.get(" ".join(tokens[i : i + size]))
                if country:
                    countries.append(country)
                    i += size
                    break
            else:
                kept.append(tokens[i])
                i += 1
        text = f" {' '.join(kept)} "
        categories: list[str] = []
        hints: list[str] = []
        for phrase, (category, hint) in self._phrases:
            if f" {phrase} " in text:
                text = text.replace(f" {phrase} ", " | ")
                if category not in categories:
                    categories.append(category)
                if hint:
                    hints.append(hint)
        rest = " ".join(t for t in text.split() if t != "|")
        return Cue(tuple(categories), tuple(hints), tuple(dict.fromkeys(countries)), rest)


@cache
def context_reader(lang: str) -> ContextReader:
    """The shared :class:`ContextReader` of ``lang``."""
    return ContextReader(lang)
