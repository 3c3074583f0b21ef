"""Date expressions in news text, resolved to calendar days against the publication date.

The words of each language (weekdays, months, "hier", "last", parts of the day...) live in
``lexicons/dates_<lang>.json``; this module only knows the shapes an expression can take:

- absolute: ``[prefix] [weekday] day [of] month [year] [after-word]`` ("le 25 mars", "ce vendredi 04
  septembre", "the 25th of March", "le 11 juin prochain") or ``[prefix] [weekday] month day [year]``
  ("on July 28", "March 25, 2024"), plus ISO dates ("2024-03-25"); a range of days ("les 28 et 29
  janvier", "March 3-4") gives its first day;
- relative days: "hier soir", "demain", "yesterday afternoon", "ce matin", "last night";
- weekdays: ``[before-word] weekday [part of day] [after-word]`` ("mardi après-midi", "lundi dernier",
  "on Tuesday", "last Tuesday night");
- vague expressions that name no single day ("la semaine dernière", "last month", "en mars 2024"):
  found, but resolved to None.

Resolution rules (all relative to the publication date ``published``):

- a weekday is the most recent such day on or before publication (an article of Tuesday saying
  "mardi" means that Tuesday); "dernier"/"last" moves it one week back when it would be the
  publication day itself, "prochain"/"next" gives the first such day after publication;
- a day and month without a year take the year that puts the date nearest to publication, a
  future date counting double (news reports mostly past events, but "le 2 avril" in an article of
  26 March is the coming 2 April); when a weekday is also written, a year where it matches wins;
- with ``future=True`` (the caller knows the event is planned: "doit rencontrer lundi", "will meet
  on Tuesday") a bare weekday is the first such day on or after publication, and for a day and month
  it is the past that counts double;
- an expression with its own year needs no publication date; anything else without one is None;
- vague or impossible expressions ("31 février") are None: never a guess.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FUTURE_WEIGHT = 2  # an unlikely-side candidate (future for past events) counts this many times its distance


@dataclass(frozen=True)
class _Lexicon:
    """One language's date words and the compiled expression pattern built from them."""

    weekdays: dict[str, int]
    months: dict[str, int]
    day_words: dict[str, int]
    relative_days: dict[str, int]
    same_day: dict[str, int]
    weekday_before: dict[str, int]
    weekday_after: dict[str, int]
    capitalised: bool
    pattern: re.Pattern[str]

    def matches(self, text: str) -> list[re.Match[str]]:
        """The expressions in ``text``; where the language capitalises month and weekday names
        (English), a lower-case one is not a date ("they may 5" is no 5 May)."""
        found = self.pattern.finditer(text)
        if not self.capitalised:
            return list(found)
        names = ("wd1", "m1", "wd2", "m2", "wd3")
        return [m for m in found if all(not m[n] or m[n][0].isupper() for n in names)]


def _fold(word: str) -> str:
    """Lexicon key for a matched word: lower case, straight apostrophe, a hyphen or spaces as one space."""
    word = word.casefold().replace("\u2019", "'")
    return re.sub(r"[-\u2011\s]+", " ", word)


def _alt(words: object) -> str:
    """A regex alternation of lexicon words, longest first; apostrophes, spaces and hyphens are lenient."""
    parts = []
    for word in sorted(words, key=len, reverse=True):  # type: ignore[arg-type]
        escaped = re.escape(word.casefold())
        escaped = escaped.replace("'", "['\u2019]").replace(r"\ ", r"\s+").replace(r"\-", r"[-\u2011\s]")
        if word.endswith("."):
            escaped = escaped[:-2] + r"\.?"  # "sept." also written "sept"
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


def _build_pattern(data: dict) -> re.Pattern[str]:
    wd, month = _alt(data["weekdays"]), _alt(data["months"])
    suffix = _alt(data["ordinal_suffixes"])
    day = rf"(?:\d{{1,2}}(?:{suffix})?|{_alt(data['day_words'])})"
    year = r"(?:1[89]\d\d|2[01]\d\d)"
    prefix = rf"(?:{_alt(data['date_prefixes'])}\s+)?"
    joiner = rf"(?:{_alt(data['day_month_joiners'])}\s+)?"
    part = _alt(data["parts_of_day"])
    before, after = _alt(data["weekday_before"]), _alt(data["weekday_after"])
    range_to = rf"(?:\s*(?:{_alt(data['day_range_joiners'])})\s*{day})?"  # "les 2 et 3 avril": the first day
    shapes = [
        rf"{prefix}(?:(?P<wd1>{wd}),?\s+)?(?P<d1>{day}){range_to}\s+{joiner}(?P<m1>{month})(?:,?\s+(?P<y1>{year}))?"
        rf"(?:\s+(?P<after1>{after}))?",
        rf"{prefix}(?:(?P<wd2>{wd}),?\s+)?(?P<m2>{month})\s+(?P<d2>{day})(?!\d){range_to}(?:,?\s+(?P<y2>{year}))?",
        r"(?P<iso>\d{4}-\d{2}-\d{2})",
        rf"(?P<same>{_alt(data['same_day_phrases'])})",
        rf"(?P<rel>{_alt(data['relative_days'])})(?:\s+{part})?",
        rf"(?P<vague>{_alt(data['vague'])})",
        rf"(?:(?P<before>{before})\s+)?(?P<wd3>{wd})(?:\s+{part})?(?:\s+(?P<after>{after}))?",
        rf"(?P<monthyear>(?:{_alt(data['month_year_prefixes'])}\s*)(?:{month})(?:\s+{year})?|(?:{month})\s+{year})",
    ]
    body = "|".join(f"(?:{shape})" for shape in shapes)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=None)
def _lexicon(lang: str) -> _Lexicon:
    name = f"dates_{lang}.json"
    try:
        text = resources.files("polkg.extractor").joinpath("lexicons", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"no date lexicon for language {lang!r} (fr or en)") from None
    data = json.loads(text)
    fold = lambda table: {_fold(k): v for k, v in table.items()}  # noqa: E731
    return _Lexicon(
        weekdays=fold(data["weekdays"]),
        months={_fold(k).rstrip("."): v for k, v in data["months"].items()},
        day_words=fold(data["day_words"]),
        relative_days=fold(data["relative_days"]),
        same_day=fold(data["same_day_phrases"]),
        weekday_before=fold(data["weekday_before"]),
        weekday_after=fold(data["weekday_after"]),
        capitalised=bool(data.get("capitalised_names")),
        pattern=_build_pattern(data),
    )


def find_date_expressions(text: str, lang: str) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, text)`` of the date expressions in ``text``, in order.

    Vague expressions ("la semaine dernière") are included; :func:`resolve_date` gives None for them.
    """
    return [(m.start(), m.end(), m.group()) for m in _lexicon(lang).matches(text)]


def resolve_date(expression: str, published: dt.date | None, lang: str, future: bool = False) -> dt.date | None:
    """The calendar day ``expression`` names, against the publication date; None when unknown.

    ``expression`` is a date expression as written ("mardi après-midi", "on July 28", "hier");
    if it holds several, the first one counts. ``future``: the expression dates a planned event.
    """
    lex = _lexicon(lang)
    found = lex.matches(expression)
    if not found or found[0]["vague"] or found[0]["monthyear"]:
        return None
    match = found[0]
    g = match.groupdict()
    if g["iso"]:
        try:
            return dt.date.fromisoformat(g["iso"])
        except ValueError:
            return None
    if g["d1"] or g["d2"]:
        day, month = _day(g["d1"] or g["d2"], lex), lex.months[_fold(g["m1"] or g["m2"]).rstrip(".")]
        year = g["y1"] or g["y2"]
        weekday = g["wd1"] or g["wd2"]
        direction = lex.weekday_after.get(_fold(g["after1"] or ""), 0)  # "le 11 juin prochain"
        future = direction > 0 or (future and direction == 0)
        return _absolute(day, month, int(year) if year else None, lex.weekdays[_fold(weekday)] if weekday else None,
                         published, future)
    if published is None:
        return None
    if g["same"]:
        return published + dt.timedelta(days=lex.same_day[_fold(g["same"])])
    if g["rel"]:
        return published + dt.timedelta(days=lex.relative_days[_fold(g["rel"])])
    shift = lex.weekday_before.get(_fold(g["before"] or ""), 0) or lex.weekday_after.get(_fold(g["after"] or ""), 0)
    weekday = lex.weekdays[_fold(g["wd3"])]
    if future and shift == 0:
        return published + dt.timedelta(days=(weekday - published.weekday()) % 7)
    return _weekday(weekday, shift, published)


def _day(text: str, lex: _Lexicon) -> int:
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else lex.day_words[_fold(text)]


def _weekday(weekday: int, shift: int, published: dt.date) -> dt.date:
    """The most recent ``weekday`` on or before ``published``; ``shift`` -1 skips publication day, +1 looks ahead."""
    if shift > 0:
        return published + dt.timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)
    back = (published.weekday() - weekday) % 7
    if shift < 0 and back == 0:
        back = 7
    return published - dt.timedelta(days=back)


def _absolute(day: int, month: int, year: int | None, weekday: int | None, published: dt.date | None,
              future: bool) -> dt.date | None:
    if year is not None:
        return _safe_date(year, month, day)
    if published is None:
        return None
    candidates = [d for y in (published.year - 1, published.year, published.year + 1)
                  if (d := _safe_date(y, month, day)) is not None]
    if weekday is not None and any(d.weekday() == weekday for d in candidates):
        candidates = [d for d in candidates if d.weekday() == weekday]

    def cost(d: dt.date) -> int:
        gap = (d - published).days if not future else (published - d).days
        return gap * FUTURE_WEIGHT if gap > 0 else -gap

    return min(candidates, key=cost, default=None)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
