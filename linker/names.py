"""Name normalisation: accent/case folding, title and article stripping, surname and spelling keys.

The same functions serve the index builder and the query side, so a mention and an indexed
label meet on the same keys. Language resources (titles, articles, transliteration rules) are
data files in ``linker/data``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DOUBLE = re.compile(r"([a-z])\1+")


def load_data(name: str) -> dict:
    """A JSON file of ``linker/data``."""
    return json.loads(resources.files("polkg.linker").joinpath("data", name).read_text("utf-8"))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Accent-, case- and punctuation-insensitive form: 'Nétanyahou, M.' → 'netanyahou m'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", bare.replace("ß", "ss").replace("ı", "i")).strip()


class Spelling:
    """Spelling keys from ``transliteration.json``: one key for Netanyahou/Netanyahu, Gallant/Galant."""

    def __init__(self) -> None:
        data = load_data("transliteration.json")
        self._rules = [(re.compile(p), r) for p, r in data["rules"]]
        self._variants: dict[str, str] = {}
        self._token = lru_cache(maxsize=200000)(self._rewrite)
        for group in data["variants"]:
            head = self._token(fold(group[0]))
            for member in group:
                self._variants[fold(member)] = head

    def _rewrite(self, token: str) -> str:
        token = _DOUBLE.sub(r"\1", token)
        for pattern, repl in self._rules:
            token = pattern.sub(repl, token)
        return _DOUBLE.sub(r"\1", token)

    def key(self, folded: str) -> str:
        """The spelling key of a folded name, token by token."""
        return " ".join(self._variants.get(t) or self._token(t) for t in folded.split())


@lru_cache(maxsize=1)
def spelling() -> Spelling:
    """The shared :class:`Spelling` (its data file is read once)."""
    return Spelling()


@dataclass(frozen=True)
class Lexicon:
    """Per-language words stripped from mentions: leading articles and titles (with their role)."""

    articles: frozenset[str]
    titles: dict[str, str | None]
    particles: frozenset[str]
    suffixes: frozenset[str]
    longest_title: int


@cache
def lexicon(lang: str) -> Lexicon:
    """Articles and titles of ``lang`` plus the language-independent ones (fallback: English)."""
    data = load_data("titles.json")
    langs = data["languages"]
    own = langs.get(lang) or langs["en"]
    titles = {fold(k): v for src in (langs["en"], own) for k, v in src["titles"].items()}
    return Lexicon(
        articles=frozenset(fold(a) for src in (langs["en"], own) for a in src["articles"]),
        titles=titles,
        particles=frozenset(fold(p) for p in data["particles"]),
        suffixes=frozenset(fold(s) for s in data["suffixes"]),
        longest_title=max(len(t.split()) for t in titles),
    )


def strip_mention(folded: str, lang: str) -> tuple[str, list[str]]:
    """Remove leading articles and titles: 'le president biden' → ('biden', ['head_of_state'])."""
    lex = lexicon(lang)
    tokens = folded.split()
    roles: list[str] = []
    changed = True
    while changed and len(tokens) > 1:
        changed = False
        if tokens[0] in lex.articles:
            tokens = tokens[1:]
            changed = True
            continue
        for size in range(min(lex.longest_title, len(tokens) - 1), 0, -1):
            head = " ".join(tokens[:size])
            if head in lex.titles:
                if lex.titles[head]:
                    roles.append(lex.titles[head])
                tokens = tokens[size:]
                changed = True
                break
    return " ".join(tokens), roles


def has_title(folded: str, lang: str) -> bool:
    """Whether a name starts with a person's title ('pm modi', 'le president macky sall')."""
    lex = lexicon(lang)
    tokens = folded.split()
    while len(tokens) > 1 and tokens[0] in lex.articles:
        tokens = tokens[1:]
    return any(" ".join(tokens[:size]) in lex.titles for size in range(1, min(lex.longest_title, len(tokens) - 1) + 1))


def surnames(folded: str, lang: str = "en") -> list[str]:
    """Tails of a person's name news use alone: 'ursula von der leyen' → ['von der leyen', 'leyen']."""
    lex = lexicon(lang)
    tokens = [t for t in folded.split() if t not in lex.suffixes]
    if len(tokens) < 2:
        return []
    tails = [tokens[-1]]
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1] in lex.particles:
        start -= 1
        tails.append(" ".join(tokens[start:]))
    if len(tokens) >= 3 and start == len(tokens) - 1:
        tails.append(" ".join(tokens[-2:]))
    return tails


def short_names(folded: str, lang: str = "en") -> list[str]:
    """First name + one surname of a long name: 'bruno rodriguez parrilla' → ['bruno parrilla', 'bruno rodriguez']."""
    lex = lexicon(lang)
    tokens = [t for t in folded.split() if t not in lex.suffixes]
    if len(tokens) < 3:
        return []
    shorts = [f"{tokens[0]} {tokens[-1]}"]
    if tokens[-2] not in lex.particles:
        shorts.append(f"{tokens[0]} {tokens[-2]}")
    return shorts
