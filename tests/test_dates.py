"""Date expressions resolved against the publication date (polkg.extractor.dates)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polkg.extractor.dates import find_date_expressions, resolve_date

LEXICONS = Path(__file__).resolve().parents[1] / "extractor" / "lexicons"
TUESDAY = dt.date(2024, 3, 26)  # the seed article's publication day, a Tuesday


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("mardi après-midi", "2024-03-26"),  # the article's own Tuesday, not the week before
        ("mardi", "2024-03-26"),
        ("lundi soir", "2024-03-25"),
        ("dimanche", "2024-03-24"),
        ("mercredi", "2024-03-20"),  # the most recent Wednesday on or before publication
        ("lundi dernier", "2024-03-25"),
        ("mardi dernier", "2024-03-19"),
        ("jeudi prochain", "2024-03-28"),
        ("mardi prochain", "2024-04-02"),
        ("hier", "2024-03-25"),
        ("hier soir", "2024-03-25"),
        ("avant-hier", "2024-03-24"),
        ("avant hier", "2024-03-24"),
        ("AUJOURD\u2019HUI", "2024-03-26"),
        ("après\u00a0demain", "2024-03-28"),
        ("aujourd'hui", "2024-03-26"),
        ("aujourd\u2019hui", "2024-03-26"),
        ("demain", "2024-03-27"),
        ("ce matin", "2024-03-26"),
        ("le 25 mars", "2024-03-25"),
        ("25 mars 2024", "2024-03-25"),
        ("le 1er mars", "2024-03-01"),
        ("le mardi 26 mars", "2024-03-26"),
        ("le 2 avril", "2024-04-02"),  # a week ahead: the coming one, not last year's
        ("le 25 décembre", "2023-12-25"),  # three months back beats nine ahead
        ("le 15 septembre", "2023-09-15"),  # ~six months either way: the past wins
        ("le 12 sept.", "2023-09-12"),
        ("les 2 et 3 avril", "2024-04-02"),  # a range gives its first day
        ("du 28 au 30 janvier", "2024-01-28"),
        ("le 11 juin prochain", "2024-06-11"),  # "prochain" looks ahead even three months away
        ("la semaine dernière", None),
        ("le mois prochain", None),
        ("en mars 2024", None),
        ("le 31 février", None),
        ("la veille", None),
    ],
)
def test_french_expressions(expression: str, expected: str | None) -> None:
    got = resolve_date(expression, TUESDAY, "fr")
    assert (got.isoformat() if got else None) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on Tuesday", "2024-03-26"),
        ("Tuesday night", "2024-03-26"),
        ("on Monday evening", "2024-03-25"),
        ("Friday", "2024-03-22"),
        ("last Tuesday", "2024-03-19"),
        ("next Monday", "2024-04-01"),
        ("yesterday", "2024-03-25"),
        ("yesterday afternoon", "2024-03-25"),
        ("today", "2024-03-26"),
        ("tomorrow", "2024-03-27"),
        ("last night", "2024-03-25"),
        ("March 25", "2024-03-25"),
        ("on July 28", "2023-07-28"),
        ("March 25, 2023", "2023-03-25"),
        ("the 25th of March", "2024-03-25"),
        ("Tuesday, March 26", "2024-03-26"),
        ("Sept. 3", "2023-09-03"),
        ("March 3-4", "2024-03-03"),
        ("2024-02-29", "2024-02-29"),
        ("last week", None),
        ("in March", None),
        ("earlier this month", None),
    ],
)
def test_english_expressions(expression: str, expected: str | None) -> None:
    got = resolve_date(expression, TUESDAY, "en")
    assert (got.isoformat() if got else None) == expected


def test_written_weekday_picks_the_matching_year() -> None:
    # Friday 4 September is 2020; published a week later the weekday confirms the year.
    assert resolve_date("ce vendredi 04 septembre", dt.date(2020, 9, 10), "fr") == dt.date(2020, 9, 4)
    # 4 September 2015 was a Friday too, but 2014's and 2016's were not.
    assert resolve_date("vendredi 4 septembre", dt.date(2016, 1, 10), "fr") == dt.date(2015, 9, 4)


def test_year_boundary() -> None:
    new_year = dt.date(2024, 1, 3)
    assert resolve_date("le 28 décembre", new_year, "fr") == dt.date(2023, 12, 28)
    assert resolve_date("January 2", new_year, "en") == dt.date(2024, 1, 2)


def test_without_publication_date_only_explicit_years_resolve() -> None:
    assert resolve_date("25 mars 2024", None, "fr") == dt.date(2024, 3, 25)
    assert resolve_date("le 25 mars", None, "fr") is None
    assert resolve_date("mardi", None, "fr") is None
    assert resolve_date("yesterday", None, "en") is None


def test_not_a_date() -> None:
    assert resolve_date("le ministre", TUESDAY, "fr") is None
    assert resolve_date("", TUESDAY, "en") is None
    assert resolve_date("Mardi Gras", TUESDAY, "en") is None  # a French weekday is not English


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="de"):
        resolve_date("Dienstag", TUESDAY, "de")


def test_spans_in_a_french_sentence() -> None:
    text = "M. Gallant a rencontré mardi après-midi M. Sullivan, après un appel le 25 mars et hier soir."
    spans = find_date_expressions(text, "fr")
    assert [s[2] for s in spans] == ["mardi après-midi", "le 25 mars", "hier soir"]
    assert all(text[start:end] == expr for start, end, expr in spans)


def test_spans_in_an_english_sentence() -> None:
    text = "Gallant met Sullivan on Tuesday, March 26, after talks last week. They may 5 times meet."
    spans = find_date_expressions(text, "en")
    assert [s[2] for s in spans] == ["on Tuesday, March 26", "last week"]  # lower-case "may" is a verb


def test_words_inside_other_words_are_not_dates() -> None:
    assert find_date_expressions("Les demandeurs d'asile du samedisme", "fr") == []
    assert find_date_expressions("Todayville mayor Mondayne", "en") == []


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200), days=st.integers(min_value=-40000, max_value=40000))
def test_never_crashes(text: str, days: int) -> None:
    published = dt.date(2000, 1, 1) + dt.timedelta(days=days)
    for lang in ("fr", "en"):
        for start, end, expr in find_date_expressions(text, lang):
            assert text[start:end] == expr
            resolve_date(expr, published, lang)
        resolve_date(text, published, lang)


@given(day=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_weekday_is_within_the_week_before_publication(day: dt.date) -> None:
    names = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    for index, name in enumerate(names):
        got = resolve_date(name, day, "fr")
        assert got is not None and got.weekday() == index and 0 <= (day - got).days < 7


def test_planned_events_look_ahead() -> None:
    assert resolve_date("lundi", TUESDAY, "fr", future=True) == dt.date(2024, 4, 1)
    assert resolve_date("mardi", TUESDAY, "fr", future=True) == TUESDAY
    assert resolve_date("on Thursday", TUESDAY, "en", future=True) == dt.date(2024, 3, 28)
    assert resolve_date("last Thursday", TUESDAY, "en", future=True) == dt.date(2024, 3, 21)  # explicit words win
    assert resolve_date("le 15 septembre", TUESDAY, "fr", future=True) == dt.date(2024, 9, 15)
    assert resolve_date("le 20 mars", TUESDAY, "fr", future=True) == dt.date(2024, 3, 20)  # 6 days back beats a year
    assert resolve_date("demain", TUESDAY, "fr", future=True) == dt.date(2024, 3, 27)


def _lexicon_words(lang: str) -> list[str]:
    data = json.loads((LEXICONS / f"dates_{lang}.json").read_text(encoding="utf-8"))
    words = [w for key, value in data.items() if isinstance(value, (dict, list)) for w in value]
    return [*words, "1er", "25", "2024", ",", "-", " ", "\u00a0", "\u2019", "'"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_lexicon_word_salads_never_crash(lang: str, data: st.DataObject) -> None:
    """Words of the lexicon in any order, case and spacing: spans are exact and resolution never raises."""
    words = data.draw(st.lists(st.sampled_from(_lexicon_words(lang)), max_size=8))
    seps = data.draw(st.lists(st.sampled_from([" ", "-", "\u2011", "  ", "\u00a0", ""]), min_size=len(words),
                              max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps))
    text = data.draw(st.sampled_from([text, text.upper(), text.title()]))
    for start, end, expr in find_date_expressions(text, lang):
        assert text[start:end] == expr
        resolve_date(expr, TUESDAY, lang)
        resolve_date(expr, TUESDAY, lang, future=True)
