"""Per-language resources of the extractor, read from ``lexicons/{lang}.json``.

Every word list the rules consult lives in those files (trigger verbs and nouns, status cues,
titles, demonyms, media words...); code refers to them by name only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Lexicon:
    """One language's word lists (folded to lower case) and maps."""

    lang: str
    words: dict[str, frozenset[str]]
    demonyms: dict[str, str]
    country_names: dict[str, str]
    body_names: tuple[str, ...]

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.words[name]

    def country_of(self, demonym: str) -> str | None:
        """ISO 3166 alpha-2 code for a demonym in any gender/number ("américaines" → "US")."""
        word = demonym.lower()
        candidates = [word]
        if word.endswith("s"):
            word = word[:-1]
            candidates.append(word)
        if word.endswith("e"):
            word = word[:-1]
            candidates.append(word)
        if word.endswith("nn"):
            candidates.append(word[:-1])
        for candidate in candidates:
            if candidate in self.demonyms:
                return self.demonyms[candidate]
        return None


@lru_cache(maxsize=None)
def load_lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` ("fr" or "en"), read once."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} (fr or en)")
    raw = json.loads(resources.files("polkg.extractor").joinpath(f"lexicons/{lang}.json").read_text("utf-8"))
    lists = {
        key: frozenset(w.lower() for w in value)
        for key, value in raw.items()
        if isinstance(value, list) and key != "body_names"
    }
    return Lexicon(
        lang=lang,
        words=lists,
        demonyms={k.lower(): v for k, v in raw["demonyms"].items()},
        country_names=dict(raw["country_names"]),
        body_names=tuple(raw["body_names"]),
    )
