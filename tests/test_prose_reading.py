"""Reading prose: every figure with its unit and wording, every name with its role, every
date against the article's. The phrases are from real published sentences of the
evaluation set (bench/factcheck_eval/, development half) and the issue's classes of error.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bluehelmet.claims.prose.dates import read_dates
from bluehelmet.claims.prose.entities import read_entities
from bluehelmet.claims.prose.quantities import read_numbers, tolerance


def _numbers(text: str, as_of: date = date(2018, 6, 1)) -> list[tuple[str, str, float]]:
    d = read_dates(text, as_of)
    return [(n.text, n.unit, n.value) for n in read_numbers(text, d.spans)]


def _units(text: str) -> dict[str, str]:
    return {t: u for t, u, _v in _numbers(text)}


# ---- the wrong number is never taken -----------------------------------------------------------
def test_names_with_digits_are_not_figures():
    assert _units("China ranks first among the P5 and the G77") == {"first": "rank"}
    assert _units("under resolution 2100 the force grew")["2100"] == "label"


def test_a_day_of_the_month_is_a_date_not_a_figure():
    text = "As of July 31, 2025, Nepal had 6,039 peacekeepers."
    assert _units(text) == {"6,039": "persons"}
    assert read_dates(text, date(2025, 9, 1)).month == date(2025, 7, 1)


def test_anniversaries_top_n_and_list_indexes():
    assert _units("on the 50th anniversary of UN peacekeeping")["50th"] == "anniversary"
    top = [n for n in read_numbers("among the top 10 contributors to UN peacekeeping", [])]
    assert (top[0].unit, top[0].op, top[0].value) == ("rank", "<=", 10)
    assert _units("1) Bangladesh 8,843")["1"] == "index"


def test_units_money_percent_rank_multiplier_fraction():
    got = _numbers("China committed $75.4 billion, or US$ 11.4 billion; 2.078 billion U.S. dollars; 28.47 percent; "
                   "the seventh-largest; 39th place; twentyfold; doubled; about half; 17 times more")
    read = {t: (u, pytest.approx(v)) for t, u, v in got}
    assert read["$75.4 billion"] == ("money", 75.4e9)
    assert read["US$ 11.4 billion"] == ("money", 11.4e9)
    assert read["2.078 billion U.S. dollars"] == ("money", 2.078e9)
    assert read["28.47 percent"] == ("percent", 28.47)
    assert read["seventh"] == ("rank", 7) and read["39th"] == ("rank", 39)
    assert read["twentyfold"] == ("multiplier", 20) and read["doubled"] == ("multiplier", 2)
    assert read["half"] == ("fraction", 0.5) and read["17 times"] == ("multiplier", 17)


def test_the_noun_gives_the_measure():
    n = {x.text: (x.unit, x.measure) for x in read_numbers(
        "1,240 U.N. soldiers, 606 police personnel, 70 military observers, 115 countries, 12 missions, "
        "2 148 personnel, 1,266 Brazilians, 21 peacekeepers killed, 15,000 civilian staff", [])}
    assert n["1,240"] == ("persons", "troops")
    assert n["606"] == ("persons", "police")
    assert n["70"] == ("persons", "experts")
    assert n["115"][0] == "countries" and n["12"][0] == "missions"
    assert n["2 148"] == ("persons", "personnel")  # a space as thousands separator
    assert n["1,266"][0] == "persons"
    assert n["21"] == ("persons", "personnel")  # deaths are read from the verb, in shapes
    assert n["15,000"][0] == "other"


def test_an_army_or_a_mixed_force_is_not_peacekeepers():
    assert _units("With around 2 million members of the army")["2 million"] == "persons"  # the noun says members
    assert read_numbers("a force of 2.3 million active-duty troops", [])[0].measure == "army"
    assert read_numbers("70,000 military, police, and civilian personnel", [])[0].unit == "other"
    assert read_numbers("70,257 men and 6,455 women", [])[1].unit == "other"


def test_qualifiers_and_tolerances():
    def first(text: str):
        return read_numbers(text, [])[0]

    assert first("more than 7,500 personnel").op == ">"
    assert first("at least 15 peacekeepers").op == ">="
    assert first("fewer than 100 troops").op == "<"
    assert (first("nearly 100,000 personnel").op, first("almost 3,000 troops").op) == ("nearly", "nearly")
    assert tolerance(first("about 9,000 troops")) == 0.10
    assert tolerance(first("2,500 peacekeepers")) == pytest.approx(0.02)  # +- 50 of 2,500
    assert tolerance(first("1,100 troops")) == pytest.approx(50 / 1100)
    assert tolerance(first("90 deaths")) == pytest.approx(5 / 90)
    assert tolerance(first("100,000 personnel")) == 0.10  # never looser than 10 %


# ---- dates come from the sentence, else the article ------------------------------------------
@pytest.mark.parametrize("text, as_of, month, year", [
    ("In January, China had more than 2,000 peacekeepers.", date(2014, 3, 1), date(2014, 1, 1), None),
    ("In November, China had more than 2,000 peacekeepers.", date(2014, 3, 1), date(2013, 11, 1), None),
    ("As of March of this year, Ghana was ranked seventh.", date(2023, 5, 1), date(2023, 3, 1), None),
    ("As of June 2018, India is the third largest troop contributor.", date(2018, 7, 1), date(2018, 6, 1), None),
    ("Fifty-six UN peacekeepers were killed last year.", date(2018, 1, 1), None, 2017),
    ("1,266 Brazilians were part of the UN Stabilizing Mission in Haiti (MINUSTAH), created in 2004.",
     date(2010, 1, 1), None, None),
    ("Only 1,800 remain ahead of a UN Security Council decision in December.", date(2016, 10, 1), None, None),
    # "In May," with its capital is the month; "may" in lower case is the verb
    ("In May, six peacekeepers were killed in the city.", date(2017, 7, 1), date(2017, 5, 1), None),
    ("The force in may grow to 2,000.", date(2017, 7, 1), None, None),
])
def test_sentence_dates(text, as_of, month, year):
    d = read_dates(text, as_of)
    assert (d.month, d.year) == (month, year)


def test_spans_fiscal_years_and_since():
    assert read_dates("from 2000 to 2011", date(2013, 4, 1)).span == (2000, 2011)
    assert read_dates("between July 2016 and December 2017", date(2018, 4, 1)).months == (date(2016, 7, 1),
                                                                                            date(2017, 12, 1))
    assert read_dates("the 2022/23 budget", date(2023, 9, 1)).fiscal == "2022/23"
    assert read_dates("twentyfold since 2003", date(2013, 6, 1)).since == 2003


# ---- names and their roles ---------------------------------------------------------------------
def _roles(store, text: str) -> list[tuple[str, str]]:
    return [(e.code, e.role) for e in read_entities(store, text)]


def test_demonyms_are_contributors(store):
    assert _roles(store, "2,500 Chinese peacekeepers and 1,975 Nepalese") == [("CHN", "contributor"),
                                                                             ("NPL", "contributor")]
    assert ("IDN", "contributor") in _roles(store, "more than 2,700 Indonesian troops")
    assert ("BRA", "contributor") in _roles(store, "1,266 Brazilians were part of")


def test_regions_by_their_adjectives(store):
    # "South Asian" is South Asia, not Asia (a real sentence, IPI 2014: "African and South
    # Asian member states ... provide 74 percent")
    assert _roles(store, "African and South Asian member states") == [("Africa", "group"), ("Southern Asia", "group")]


def test_missions_in_any_case_and_by_place(store):
    assert _roles(store, "Minusma and Monuc and MINUSMA") == [("MINUSMA", "mission"), ("MONUC", "mission"),
                                                              ("MINUSMA", "mission")]
    # the AU-UN mission in Darfur is UNAMID, not the African Union as a contributor
    assert _roles(store, "the AU-UN mission in Darfur") == [("UNAMID", "mission")]


def test_the_host_is_not_the_contributor(store):
    assert _roles(store, "the UN mission in Haiti comprises about 9,000 troops") == [("HTI", "host")]
    assert _roles(store, "troops deployed in the disputed Abyei region, between Sudan and South Sudan") == [
        ("UNISFA", "mission"), ("SDN", "host"), ("SSD", "host")]
    assert _roles(store, "Irish soldiers serve in southern Lebanon")[-1] == ("LBN", "host")


def test_whole_words_only(store):
    assert _roles(store, "Nigeria and Somalia") == [("NGA", "contributor"), ("SOM", "contributor")]
    assert ("USA", "contributor") not in _roles(store, "a budget of 2.078 billion U.S. dollars")


def test_forces_outside_the_un(store):
    assert ("AU", "nonun") in _roles(store, "AU troops in Somalia")


# ---- never a crash ---------------------------------------------------------------------------
_WORDS = ["China", "Chinese", "Nepalese", "the UN mission in Haiti", "MINUSMA", "Minusma", "AU-UN", "AU troops",
          "P5", "G77", "about", "nearly", "more than", "at least", "2,500", "2 148", "1,15,000", "$73 billion",
          "85 percent", "sixth", "39th", "top 10", "1)", "5.", "twentyfold", "doubled", "half", "a third",
          "peacekeepers", "troops", "police", "killed", "died", "since 2003", "in 2014", "last year", "as of July 31",
          "between July 2016 and December 2017", "2022/23", "respectively", "these three countries", "its", "it",
          "combined", "than", "the other four", "largest contributor", "budget", "authorized", "civilians", "—", ",",
          ";", ".", "(", ")", "'", "\u2019s", "17 times more than", "over the last ten years", "per million"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30), st.sampled_from(["1995-06", "2014-01", "2025-07"]))
def test_any_arrangement_of_the_words_is_read_without_error(store, words, as_of):
    from bluehelmet.claims.prose import factcheck

    for s in factcheck(store, " ".join(words), as_of):
        assert s.verdict in ("true", "false", "unknown", "not checked")
        assert all(0 <= n.start < n.end <= len(s.text) for n in s.numbers)


# ---- sentence breaks ------------------------------------------------------------------------------
def test_sentence_breaks_are_blingfires():
    """breaks.py calls blingfire's compiled library without its Python wrapper (which
    imports numpy); the breaks must be the wrapper's, on real sentences and on text where
    characters and UTF-8 bytes differ."""
    import glob
    from pathlib import Path

    import blingfire
    import yaml

    from bluehelmet.claims.prose.breaks import sentence_spans

    here = Path(__file__).parent.parent / "bench" / "factcheck_eval"
    texts = [e["text"] for f in sorted(glob.glob(str(here / "sentences_[ab].yaml")))
             for e in yaml.safe_load(Path(f).read_text(encoding="utf-8"))]
    texts += ["Über 2,500 “Chinese” peacekeepers … in Mali. Nepal’s 6,000 troops serve — 中国 2,000人。 Done.\nNext é.",
              "Mr. Smith went.  Then he left. ", "a", "One. Two! Three? Four"]
    assert len(texts) > 300
    for t in texts:
        assert sentence_spans(t) == [tuple(x) for x in blingfire.text_to_sentences_and_offsets(t)[1]], t
    assert sentence_spans("") == []
