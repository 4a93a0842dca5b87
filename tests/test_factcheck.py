"""Fact-checking prose over synthetic articles (tests/articles): precision and recall."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bluehelmet.claims.prose import factcheck
from bluehelmet.cli import cli

ARTICLES = Path(__file__).with_name("articles")


def _undated(claim: str) -> str:
    """The claim with its months as MONTH: a claim dated by the article is shown at the month
    of its window it was checked at, which the data decide."""
    return re.sub(r"\d{4}-\d\d(?=[,).])", "MONTH", claim)


def _labels(name: str) -> dict[str, str]:
    return {k: str(v).lower() for k, v in yaml.safe_load((ARTICLES / f"{name}.yaml").read_text()).items()}


def _score(store) -> tuple[int, int, int, list[str]]:
    """(checkable sentences, sentences checked, checked with the right verdict, misses)."""
    checkable = checked = right = 0
    misses = []
    for path in sorted(ARTICLES.glob("*.txt")):
        labels = _labels(path.stem)
        for s in factcheck(store, path.read_text(encoding="utf-8"), "2014-01"):
            label = next((v for k, v in labels.items() if s.text.startswith(k)), None)
            checkable += label is not None
            if s.verdict in ("true", "false"):
                checked += 1
                if label == s.verdict:
                    right += 1
                else:
                    misses.append(f"{path.stem}: {s.text!r} -> {s.claim} = {s.verdict}, label {label}")
            elif label is not None:
                misses.append(f"{path.stem}: {s.text!r} not checked ({s.reason or [c.verdict.reason for c in s.checks]})")
    return checkable, checked, right, misses


def test_precision_and_recall_over_the_articles(store):
    checkable, checked, right, misses = _score(store)
    precision = right / checked
    recall = right / checkable
    print(f"\nfactcheck: {checkable} checkable sentences, {checked} checked, {right} right: "
          f"precision {precision:.2f}, recall {recall:.2f}")
    assert checkable >= 15
    assert precision >= 0.9, misses
    # below 0.9 by design: a "false" far from the data is unknown, with the data's figure
    # (claims/prose/doubt.py), and these articles state some blatant falsehoods
    # ("Nigeria had more than 10,000 peacekeepers": 4,836)
    assert recall >= 0.8, misses


def test_sentences_without_figures_are_listed_with_a_reason(store):
    out = factcheck(store, "The rainy season made patrols harder. Ghana had many peacekeepers.", "2014-01")
    assert [s.claim for s in out] == [None, None]
    assert all(s.reason for s in out)


def test_relative_dates_resolve_against_as_of(store):
    (s,) = factcheck(store, "In January, China had more than 2,000 peacekeepers.", "2014-03")
    assert s.claim == "personnel(CHN, 2014-01) > 2,000"
    (t,) = factcheck(store, "In November, China had more than 2,000 peacekeepers.", "2014-03")
    assert "2013-11" in t.claim  # the latest November at or before the as-of month


def _claims(store, text: str, as_of: str | None) -> list[tuple[str, str]]:
    return [(c.claim, c.verdict.verdict) for s in factcheck(store, text, as_of) for c in s.checks]


def _read(store, text: str, as_of: str) -> tuple[dict[str, str], str]:
    """The last sentence's claims (their months as MONTH) with their verdicts, and its own
    verdict: the sentences before it only lend it a name or a unit."""
    *_, s = factcheck(store, text, as_of)
    return {_undated(c.claim): c.verdict.verdict for c in s.checks}, s.verdict


def test_every_claim_of_a_sentence_is_checked(store):
    # the sentence: the second claim was dropped
    got = _claims(store, "China has about 2,200 peacekeepers and contributes more troops than the other four "
                         "permanent members combined.", "2014-01")
    assert got == [("personnel(CHN, 2014-01) ~ 2,200 ± 10%", "true"),
                   ("troops(CHN, 2014-01) > troops(P5 - CHN, 2014-01)", "true")]


def test_dates_never_leak_from_an_earlier_sentence(store):
    first, second = factcheck(store, "China had 2,078 peacekeepers in December 2003. China has about 2,200 "
                                     "peacekeepers.", "2014-01")
    assert "2003-12" in (first.claim or "")
    assert second.checks[0].verdict.month == "2014-01"


def test_the_as_of_window_is_the_articles_month_and_the_two_before(store):
    # 2,078 is December 2013's figure; an article of January 2014 quotes the latest report
    (s,) = factcheck(store, "China has 2,078 peacekeepers.", "2014-01")
    check = s.checks[0]
    assert (check.verdict.verdict, check.verdict.month) == ("true", "2013-12")
    assert "true at 2013-12" in check.note


def test_a_false_verdict_shows_the_figures(store):
    (s,) = factcheck(store, "China has about 3,000 peacekeepers.", "2014-01")
    check = s.checks[0]
    assert check.verdict.verdict == "false" and check.verdict.left == 2186
    assert "the data give 2,186 at 2014-01, 2,078 at 2013-12, 1,938 at 2013-11" in check.note


def test_nearly_is_at_most_the_figure(store):
    # 2,186 is within 10 % of 2,100, but "nearly 2,100" says fewer
    (s,) = factcheck(store, "In January 2014, China had nearly 2,100 peacekeepers.", "2014-06")
    assert s.verdict == "false" and "at most 2,100" in s.checks[0].verdict.reason
    (t,) = factcheck(store, "In January 2014, China had nearly 2,200 peacekeepers.", "2014-06")
    assert t.verdict == "true"


@pytest.mark.parametrize("text, as_of, why", [
    ("With around 2 million members, China's People's Liberation Army is the world's largest standing military "
     "force.", "2018-11", "national army"),
    ("AMISOM has about 22,000 troops in Somalia.", "2016-02", "not a UN peacekeeping operation"),
    ("French troops in Mali number 4,500.", "2014-01", "national force"),
    ("China has sent more than 40,000 military personnel to about 30 UN peacekeeping missions since 1990.",
     "2021-06", "over years"),
    ("China pledged in 2015 to set up a standby peacekeeping force of 8,000 troops.", "2017-09", "pledge"),
    ("Rwanda has 425.31 peacekeepers per million in population.", "2023-09", "per head"),
    ("From 2010-2013, the total number of cholera cases reached 682,573 and 8,330 died.", "2014-02", "disease"),
    # real sentences of the evaluation set (bench/factcheck_eval, held4 and held7)
    ("As of 30 May 2018, Ireland is contributing 643 personnel to 9 different missions throughout the world.",
     "2018-06", "UN or not"),
    ("Angry villagers surrounded a UN peacekeeping base in eastern Democratic Republic of Congo on Monday and "
     "opened fire and hurled stones injuring at least 11 Pakistani peacekeepers, officials said.", "2012-05",
     "injuries"),
    ("With this, India would have more than 7,000 troops in peacekeeping role under the UN banner.", "2005-04",
     "hypothesis"),
])
def test_what_the_fact_base_does_not_hold_is_never_true_or_false(store, text, as_of, why):
    (s,) = factcheck(store, text, as_of)
    assert s.verdict == "not checked" and s.outside and why in s.reason


def test_money_is_never_read_as_people(store):
    for s in factcheck(store, "China's loans to Africa totalled $73 billion between 2000 and 2011.", "2013-05"):
        assert all(not c.claim.startswith(("personnel", "troops")) for c in s.checks)
        assert s.checks and s.checks[0].claim.startswith("finance(CHN -> Africa, 2000..2011")
    (s,) = factcheck(store, "The United Nations' $6.5 billion peacekeeping budget for 2019/20 was approved.",
                     "2019-07")
    assert s.verdict == "not checked" and "approved budget" in s.reason


def test_the_host_is_read_as_its_mission(store):
    got = _claims(store, "The UN mission in Haiti comprises about 9,000 troops.", "2010-06")
    assert got == [("troops(2010-06, mission=MINUSTAH) ~ 9,000 ± 10%", "true")]


def test_deaths_are_fatality_claims_with_their_own_years(store):
    got = _claims(store, "It has remained in triple digits since then, with the 90 deaths recorded in 2007 and 99 "
                         "deaths recorded in 2018 being the only exceptions.", "2023-07")
    assert [c for c, _v in got] == ["fatalities(2007-01..2007-12) ~ 90 ± 5.56%", "fatalities(2018-01..2018-12) ~ 99 ± 2%"]
    assert [v for _c, v in got] == ["true", "true"]


def test_killed_in_malicious_attacks_counts_those_deaths(store):
    got = _claims(store, "12 soldiers were killed in malicious attacks in 2020.", "2021-02")
    assert got == [("fatalities(2020-01..2020-12, cause=malicious, personnel=uniformed) ~ 12 ± 4.17%", "true")]


def test_a_pronoun_takes_the_country_of_the_sentence_before(store):
    text = ("The United Kingdom is a permanent member of the Security Council. But its troop commitment has been "
            "relatively small - focused mainly on 250 soldiers based in Cyprus.")
    assert _claims(store, text, "2015-09") == [("troops(GBR, 2015-09, mission=UNFICYP) ~ 250 ± 2%", "false")]


def test_world_totals_and_contributor_counts(store):
    got = _claims(store, "There are nearly 100,000 uniformed personnel from 123 countries serving in UN missions.",
                  "2014-01")
    assert got == [("personnel(2014-01) ~ 100,000 ± 10%", "true"), ("contributors(2014-01) ~ 123 ± 2%", "true")]


def test_the_dateline_dates_the_text_when_no_as_of_is_given(store):
    (_dateline, s) = factcheck(store, "BEIJING, Jan. 15, 2014 (Xinhua) -- Report.\nChina has 2,186 peacekeepers.")
    assert s.checks[0].verdict.month == "2014-01"


def test_cli_reads_stdin(built_db):
    text = (ARTICLES / "p5.txt").read_text(encoding="utf-8")
    r = CliRunner().invoke(cli, ["factcheck", "-", "--as-of", "2014-01", "--db", str(built_db), "--format", "json"],
                           input=text)
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["summary"]["true"] >= 4 and data["summary"]["not checked"] >= 2


# ---- this session's readings; each sentence is a real one from the evaluation set ----------
def test_a_host_is_not_a_contributor_to_its_own_mission(store):
    # cameroonintel 2017-06: "Sudan's government forces" named beside UNAMID
    got = _claims(store, "Deployed in 2007, UNAMID has about 16,000 blue helmets on the ground who are tasked with "
                         "protecting civilians in the war that Sudan's government forces are waging against rebel "
                         "groups.", "2017-06")
    assert got == [("personnel(2017-06, mission=UNAMID) ~ 16,000 ± 10%", "true")]


def test_a_withdrawal_counts_those_there_now(store):
    # aussiedlerbote 2023-12: the host demands the withdrawal; the figure is MINUSMA's, that
    # summer, its soldiers read as every uniformed person (its troops alone were 11,304)
    got = _claims(store, "This summer, Mali's military government nevertheless demanded the withdrawal of all 12,000 "
                         "UN soldiers after expanding its cooperation with Russia.", "2023-12")
    assert got == [("personnel(2023-07, mission=MINUSMA) ~ 12,000 ± 4.17%", "true")]


def test_compound_numbers_in_words_and_a_records_since(store):
    # reportaz 2018-01: "Fifty-six", and "since 1994" dates the record, not the count
    got = _claims(store, "Fifty-six UN peacekeepers were killed last year, the highest number of fatalities since "
                         "1994.", "2018-01")
    # a word is as exact as its digits; false by every death and by malicious acts (59)
    assert got == [("fatalities(2017-01..2017-12, cause=malicious) ~ 56 ± 2%", "false")]


def test_deaths_take_the_mission_named_after_them_and_the_year_in_a_row(store):
    # the Staff Union's 2023 release: the year just ended; the cause carries from the sentence before
    text = ("At least 32 United Nations peacekeeping personnel were slain in malicious attacks last year, according "
            "to the UN Staff Union. For the ninth year in a row, MINUSMA was the deadliest for peacekeepers with 14 "
            "fatalities, followed by 13 fatalities in MONUSCO.")
    assert _claims(store, text, "2023-02") == [
        ("fatalities(2022-01..2022-12, cause=malicious) >= 32", "true"),
        ("fatalities(2022-01..2022-12, mission=MINUSMA, cause=malicious) ~ 14 ± 3.57%", "false"),
        ("fatalities(2022-01..2022-12, mission=MONUSCO, cause=malicious) ~ 13 ± 3.85%", "true")]


def test_a_figures_own_clause_dates_it(store):
    # exbulletin 2021-05
    got = _claims(store, "More than 4,000 UN peacekeepers have died since 1948, while 130 lost their lives last year "
                         "alone.", "2021-05")
    assert got == [("fatalities(1948-01..2021-05) > 4,000", "true"), ("fatalities(2020-01..2020-12) ~ 130 ± 3.85%", "true")]


def test_a_datelines_place_is_not_a_contributor(store):
    # unv 2015-05: "Kigali, Rwanda:" is where the story was written
    got = _claims(store, "Kigali, Rwanda: 19 815 is the number of peacekeepers deployed to the United Nations "
                         "Organization Stabilization Mission in the Democratic Republic of the Congo.", "2015-05")
    assert got == [("personnel(2015-05, mission=MONUSCO) ~ 19,815 ± 2%", "true")]


def test_a_contributors_figure_in_a_mission_named_elsewhere_is_not_its_total(store):
    # nltimes 2018-06 and strategypage 2000-12: one mission's contingent, the mission in another sentence
    for text, as_of in (("There are currently 250 Dutch soldiers in the African country.", "2018-06"),
                        ("India has 3,000 troops there, while Jordan has 1,830.", "2000-12")):
        (s,) = factcheck(store, text, as_of)
        assert s.checks == [] and "named in another sentence" in (s.reason or "")


def test_ranks_behind_another_and_within_a_region(store):
    # hansard 1993-05: "second only to the French" is not France's place
    (s,) = factcheck(store, "We are running second only to the French in the number of troops we have deployed.",
                     "1993-05")
    assert s.checks == []
    # africapedia 2015-06: "Africa's top five"
    got = _claims(store, "Burkina Faso, Ghana and Senegal round out Africa's top five.", "2015-06")
    assert got == [("rank(SEN, 2015-06, within=Africa) <= 5", "true")]


def test_irelands_defence_forces_and_deployments_overseas(store):
    # oireachtas 1999-06: "the Defence Forces" is Ireland's army; kildarestreet 2019-04: its
    # deployments "overseas" count EU and NATO missions too
    got = _claims(store, "The number of Defence Forces personnel currently serving with UN missions is 706.", "1999-06")
    assert got == [("personnel(IRL, 1999-06) ~ 706 ± 2%", "true")]
    (s,) = factcheck(store, "At present there are some 670 members of the Defence Forces serving in overseas missions "
                            "worldwide.", "2019-04")
    assert s.checks == [] and s.outside


def test_counts_in_words_are_as_exact_as_digits(store):
    # unis 2005-05: "One hundred fifteen" is 115, not "about 115"
    (s,) = factcheck(store, "One hundred fifteen colleagues were killed in the service of peace during 2004.", "2005-05")
    assert [c.claim for c in s.checks] == ["fatalities(2004-01..2004-12) ~ 115 ± 2%"]


def _month_deaths(sources, month: str, mission: str | None, nationality: str | None = None) -> int:
    """Deaths in malicious acts in a month (in one mission, of one nationality), counted from
    the raw list with the standard library (one row per casualty_id)."""
    from .conftest import raw_rows

    rows = {r["casualty_id"]: r for r in raw_rows(sources / "un/DPPADPOSS-FATALITIES.csv")}.values()
    return sum(r["incident_date"][:7] == month and mission in (None, r["mission_acronym"]) and
               r["type_of_incident"] == "Malicious Act" and (nationality is None or r["isocode3"] == nationality)
               for r in rows)


def test_deaths_in_one_event_are_checked_against_their_month(store, sources):
    # scrippsnews 2017-12: the month's count equals the event's, so the sentence is true
    (s,) = factcheck(store, "Fifteen United Nations peacekeepers were killed in an attack in the Democratic "
                            "Republic of the Congo on Thursday.", "2017-12")
    assert [c.claim for c in s.checks] == ["fatalities(2017-12, mission=MONUSCO, cause=malicious) ~ 15 ± 3.33%"]
    assert s.checks[0].verdict.left == _month_deaths(sources, "2017-12", "MONUSCO") == 15
    assert s.verdict == "true"
    # thecitizen 2017-12: 14 Tanzanians in one attack, against a month that counts more of
    # them: the event may be a part of the month's deaths, so not false
    (s,) = factcheck(store, "The government has directed the United Nations (UN) to conduct thorough investigation "
                            "into the killing of 14 Tanzanian peacekeepers in an attack by the Allied Democratic "
                            "Forces (ADF) in north eastern of the Democratic Republic of Congo (DRC).", "2017-12")
    (c,) = s.checks
    assert c.claim == "fatalities(TZA, 2017-12, cause=malicious) ~ 14 ± 3.57%"
    assert c.verdict.left == _month_deaths(sources, "2017-12", None, "TZA") > 14
    assert c.verdict.verdict == "unknown" and "one event" in c.verdict.reason


def test_a_figure_of_many_contributors_is_not_the_nearest_countrys(store):
    # dailyguide 2018-03: "of UNIFIL's 10,500" is the mission's, not Ghana's
    (s,) = factcheck(store, "As one of the largest TCCs, Ghana accounts for about 870 of UNIFIL's 10,500 "
                            "peacekeepers.", "2018-03")
    assert [c.claim for c in s.checks] == ["personnel(2018-02, mission=UNIFIL) ~ 10,500 ± 2%"]
    # unnews 2004-12 (synthetic shortening): troops "from" five contributors are all of them
    (s,) = factcheck(store, "Last month UNDOF had 1,039 troops from Austria, Canada, Japan, Nepal, Poland and "
                            "Slovakia.", "2004-12")
    assert [c.claim for c in s.checks] == ["troops(2004-11, mission=UNDOF) ~ 1,039 ± 2%"]


def test_a_part_of_the_figure_before_it_is_not_checked_alone(store):
    # kildarestreet 2011-09: the nine at headquarters are among the 454, not Ireland's total
    (s,) = factcheck(store, "Currently, a total of 454 Irish personnel are serving with UNIFIL, including nine "
                            "personnel at the force headquarters in Naqoura.", "2011-09")
    assert [c.claim for c in s.checks] == ["personnel(IRL, 2011-09, mission=UNIFIL) ~ 454 ± 2%"]
    assert [n.role for n in s.numbers if n.text == "nine"] == ["ignored"]


def test_the_un_mission_of_the_sentence_before_and_a_later_date_that_dates_something_else(store):
    # newstrackindia 2013-12: "The UN mission" is the one the sentence before named
    *_, s = factcheck(store, "Ban said more troops were needed to bolster the UN mission in South Sudan (UNMISS). "
                             "The UN mission currently has around 6, 700 troops and 670 police on the ground.",
                      "2013-12")
    assert [c.claim.split(")")[0].split(", ")[-1] for c in s.checks] == ["mission=UNMISS", "mission=UNMISS"]
    assert s.verdict == "true"
    # devex 2012-10: the mandate's expiry does not date the headcount
    (s,) = factcheck(store, "More than 20,000 uniformed personnel are serving under the current mission in Darfur, "
                            "which expires July 2013.", "2012-10")
    assert [c.claim for c in s.checks] == ["personnel(2012-10, mission=UNAMID) > 20,000"]


def test_countries_that_send_police_and_countries_that_only_endorse(store):
    # pressun fifth committee 2017-06: police contributors are counted apart; countries
    # sending "military personnel" (troops and experts together) are not counted at all
    (s,) = factcheck(store, "As of 30 June 2016, 15 active United Nations peacekeeping missions were in operation, "
                            "with 115 countries contributing 89,002 military personnel and 86 countries contributing "
                            "13,059 police personnel.", "2017-06")
    claims = [c.claim for c in s.checks]
    assert "contributors(2016-06, type=police) ~ 86 ± 2%" in claims
    assert not any(c.startswith("contributors(2016-06)") for c in claims)
    # pressun c34 2020-02: endorsing a declaration is not contributing
    (s,) = factcheck(store, "A total of 152 Member States endorsed the Declaration, sending a powerful message of "
                            "political support for peacekeeping, he added.", "2020-02")
    assert s.checks == []


def test_a_missions_contributors_are_not_false_when_the_data_count_more(store):
    # irishtimes 2011-07: the data count every country with anyone in UNIFIL
    (s,) = factcheck(store, "The current strength of the Unifil force is 12,000 personnel drawn from 31 "
                            "contributing nations.", "2011-07")
    (c,) = [c for c in s.checks if c.claim.startswith("contributors(")]
    assert c.verdict.verdict == "unknown" and c.verdict.left > 31


def test_deaths_take_the_one_place_named_before_them(store):
    # unpress 2021-02: MINUSMA is named in the clause before the figure
    (s,) = factcheck(store, "For the seventh year in a row, the United Nations Multidimensional Integrated "
                            "Stabilization Mission in Mali (MINUSMA) remained one of the worst-affected missions, "
                            "with six peacekeepers killed.", "2021-02")
    assert [c.claim.split(",")[:2] for c in s.checks] == [["fatalities(2020-01..2020-12", " mission=MINUSMA"]]


def test_places_stood_deaths_a_country_suffered_and_a_unit_after_un(store):
    # khabarhub 2020-03: "stands fourth in sending forces" is a place among contributors
    (s,) = factcheck(store, "Nepal stands fourth in sending forces in the UN peace mission.", "2020-03")
    assert [c.claim for c in s.checks] == ["rank(NPL, 2020-03) == 4"]
    # emiratesvoice 2011-08: "U.N." does not hide the deaths after it; "killed Tuesday" is one event
    (s,) = factcheck(store, "Four members of the Ethiopian contingent to a U.N. peacekeeping mission in Sudan were "
                            "killed Tuesday in the disputed region of Abyei.", "2011-08")
    assert [c.claim for c in s.checks] == ["fatalities(ETH, 2011-08, mission=UNISFA) ~ 4 ± 10%"]
    # gktoday 2018-02: the country that "has suffered" them is their nationality, not a host
    (s,) = factcheck(store, "Moreover, India has suffered 163 fatalities since the peacekeeping operations began "
                            "in 1948, the most by any country.", "2018-02")
    assert [c.claim for c in s.checks] == ["fatalities(IND, 1948-01..2018-02) ~ 163 ± 2%"]
    # peacewomen 2012-02: "up to the 31st of December" is a date, not a ceiling
    (s,) = factcheck(store, "Up to the 31st of December, the strength of UNMIL stood at 9,206 uniformed personnel.",
                     "2012-02")
    assert [c.claim.split(")")[0] for c in s.checks] == ["personnel(2012-02, mission=UNMIL"]


def test_a_decade_does_not_date_a_figure_and_ceilings_add_up(store):
    # unauk 2016-03: "in the 1990s" dates the peak, not today's place
    *_, s = factcheck(store, "The UK has a long history of peacekeeping. Since a peak in troop contributions in the "
                             "1990s, it has not deployed significant numbers of troops to a UN mission, ranking 53rd.",
                      "2016-03")
    assert [c.claim for c in s.checks] == ["rank(GBR, 2016-01) == 53"]
    # unpress SC/11453 2014-06: the military and police ceilings together are the mission's
    (s,) = factcheck(store, "The Security Council today extended the mandate of the United Nations Multidimensional "
                            "Integrated Stabilization Mission in Mali (MINUSMA) until 30 June 2015, within the "
                            "authorized troop ceiling of 11,200 military and 1,440 police personnel.", "2014-06")
    assert [c.claim for c in s.checks] == ["authorized(MINUSMA, 2014-06) ~ 12,640 ± 2%"]


def test_last_year_at_the_head_of_a_clause_dates_its_deaths(store):
    # worldwidenews 2018-03
    (s,) = factcheck(store, "Last year, 59 UN peacekeepers died \"through malicious acts\", a stark increase from "
                            "2016 when 34 peacekeepers were killed, Secretary-General Antonio Guterres said.", "2018-03")
    assert [c.claim.split(")")[0] for c in s.checks] == ["fatalities(2017-01..2017-12, cause=malicious",
                                                         "fatalities(2016-01..2016-12, cause=malicious"]


def test_the_dead_are_never_a_pledge(store):
    # pachodo (BBC) 2013-04: "have arrived" is the bodies', the deaths are one event's
    (s,) = factcheck(store, "The bodies of five Indian peacekeepers who were killed in an ambush by rebels in South "
                            "Sudan on Tuesday have arrived in the capital, Delhi.", "2013-04")
    assert [c.claim for c in s.checks] == ["fatalities(IND, 2013-04, mission=UNMISS, cause=malicious) ~ 5 ± 10%"]


@pytest.mark.parametrize("text, as_of, claim", [
    # abcnews 2021-10, grognews 2010-08, ewn 2019-05 (bench/factcheck_eval)
    ("A U.N. convoy in Mali's northern Kidal region was attacked by improvised explosive devices, killing one "
     "peacekeeper from Egypt and seriously injuring four others, the United Nations said Saturday.", "2021-10",
     "fatalities(EGY, 2021-10, mission=MINUSMA, cause=malicious) >= 1"),
    ("Dozens of rebels attacked a U.N. peacekeeping base under darkness in eastern Congo early Wednesday, killing "
     "three Indian soldiers and wounding seven other peacekeepers, an Indian army official said.", "2010-08",
     "fatalities(IND, 2010-08, mission=MONUSCO, personnel=uniformed) ~ 3 ± 10%"),
    ("UNITED NATIONS - A Nigerian peacekeeper was killed Saturday in an attack on the United Nations' stabilisation "
     "mission in Mali, the UN said.", "2019-05", "fatalities(NGA, 2019-05, mission=MINUSMA, cause=malicious) >= 1"),
])
def test_one_death_told_with_an_article_and_the_wounded_left_out(store, text, as_of, claim):
    (s,) = factcheck(store, text, as_of)
    assert [c.claim for c in s.checks] == [claim]
    assert s.verdict == "true"


def test_the_number_of_people_a_clause_starts_with_is_the_figures_unit(store):
    # businessstandard 2017-09
    (s,) = factcheck(store, "The number of Bangladeshis working in the UN peacekeeping missions is 7,636.", "2017-09")
    assert [c.claim.split(")")[0] for c in s.checks] == ["personnel(BGD, 2017-09"]


def test_a_figure_said_to_stand_now_is_not_a_pledge(store):
    # moguldom 2015-09: the standby force is the pledge; "the current 3,000" stands now
    (s,) = factcheck(store, "The standby peacekeeping force is a significant increase from China's current 3,000 "
                            "troops, police and technical experts deployed to U.N. peacekeeping operations.", "2015-09")
    assert [c.claim for c in s.checks] == ["personnel(CHN, 2015-09) ~ 3,000 ± 10%"]


@pytest.mark.parametrize("text, as_of, claim", [
    # israelandstuff 2013-06: the N-strong force is the mission's, not the contingent's
    ("Austrian troops made up the biggest contingent in the 1,000-strong UN Disengagement Observer Force (UNDOF).",
     "2013-06", "personnel(2013-05, mission=UNDOF) ~ 1,000 ± 10%"),
    # sunnewsonline 2017-12: the one mission named before the figure, in another clause
    ("MONUSCO is the largest and most expensive U.N. peacekeeping mission in the world, with roughly 19,000 "
     "peacekeepers.", "2017-12", "personnel(2017-12, mission=MONUSCO) ~ 19,000 ± 10%"),
    # defenceweb 2014-03: thousands grouped by a space, at a sentence's end
    ("The overall strength of military personnel in MONUSCO, the UN Organisation Stabilisation Mission in the DRC, "
     "stands at 19 815.", "2014-03", "troops(2014-03, mission=MONUSCO) ~ 19,815 ± 2%"),
    # voa 2021-01: "its French acronym" names no contributor
    ("The mission, known by its French acronym MINUSCA, has nearly 13,000 troops and police.", "2021-01",
     "personnel(2021-01, mission=MINUSCA) ~ 13,000 ± 10%"),
])
def test_a_missions_own_figures(store, text, as_of, claim):
    (s,) = factcheck(store, text, as_of)
    assert [c.claim for c in s.checks] == [claim]


@pytest.mark.parametrize("text, as_of, claim", [
    # unpress sc13291 2018-04, apo 2018-01, reliefweb 2019-01 (bench/factcheck_eval, held8)
    ("The members of the Security Council condemned in the strongest terms the attack against the United Nations "
     "Multidimensional Integrated Stabilization Mission in the Central African Republic (MINUSCA) in Bangui on 10 "
     "April 2018 by elements of armed groups, which resulted in one Rwandan peacekeeper killed and eight others "
     "injured.", "2018-04", "fatalities(RWA, 2018-04, mission=MINUSCA, cause=malicious) >= 1"),
    ("The members of the Security Council strongly condemned the attack on the United Nations Organization "
     "Stabilization Mission in the Democratic Republic of Congo (MONUSCO) that occurred on January 27 in Baraka "
     "(South Kivu), which resulted in the death of one Pakistani peacekeeper and injured another.", "2018-01",
     "fatalities(PAK, 2018-01, mission=MONUSCO) >= 1"),
    # told in the simple past with no period: news of the article's month
    ("Ten peacekeepers from Chad were killed and at least 25 injured.", "2019-01", "fatalities(TCD, 2019-01) ~ 10 ± 10%"),
])
def test_one_death_killed_after_its_noun_and_deaths_told_in_the_past(store, sources, text, as_of, claim):
    (s,) = factcheck(store, text, as_of)
    assert [c.claim for c in s.checks] == [claim]
    assert s.verdict == "true"


def test_others_killed_beside_peacekeepers_are_not_checked(store, sources):
    # allafrica 2017-12: the FARDC's dead are not UN personnel; the fourteen are one event's,
    # fewer than the month's count, so not false
    (s,) = factcheck(store, "Initial reports indicate that fourteen MONUSCO peacekeepers and five FARDC soldiers were "
                            "killed.", "2017-12")
    (c,) = s.checks
    assert c.claim == "fatalities(2017-12, mission=MONUSCO, cause=malicious) ~ 14 ± 3.57%"  # the nearer reading
    assert c.verdict.verdict == "unknown" and c.verdict.left >= _month_deaths(sources, "2017-12", "MONUSCO") > 14


@pytest.mark.parametrize("text, as_of, claim", [
    # onuitalia 2017-04, usip 2016-07 (bench/factcheck_eval, held8)
    ("Italy is the top troop contributor to UN peacekeeping operations from NATO, the EU and the Western European "
     "and Others Group (WEOG).", "2017-04", "rank(ITA, 2017-04, within=NATO, type=troops) == 1"),
    ("On average, China contributes more troops to United Nations (UN) peacekeeping missions than any other "
     "permanent member of the UN Security Council.", "2016-07", "rank(CHN, 2016-07, within=P5, type=troops) == 1"),
    # unifil 2017-08: the countries, not the troops
    ("UNIFIL has around 10,500 peacekeepers coming from 41 troop contributing countries.", "2017-08",
     "contributors(MONTH, mission=UNIFIL) ~ 41 ± 2%"),
])
def test_first_within_a_group_and_countries_counted(store, text, as_of, claim):
    (s,) = factcheck(store, text, as_of)
    assert claim in [_undated(c.claim) for c in s.checks] + [c.claim for c in s.checks]
    assert s.verdict == "true"


def test_a_place_a_few_below_the_sentences_is_false_and_far_below_unknown(store):
    # taarifa 2024-12, dated 2021-07: Rwanda second of troop contributors, the data's fifth
    # by troops and by every uniformed person: false (in 2024-12 it was second of all: true)
    (s,) = factcheck(store, "Rwanda, the second-largest contributor of troops to UN and African Union peacekeeping "
                            "missions, continues to lead efforts in global peace and security.", "2021-07")
    (c,) = s.checks
    assert c.verdict.verdict == "false" and 2 < c.verdict.left <= 2 + 3
    # standard 2013-10: "among the top ten", the data's thirtieth: another reading is likelier
    (s,) = factcheck(store, "According to the United Nations, Kenya is among the top ten countries that contribute "
                            "peace keepers and observers in trouble spots.", "2013-10")
    (c,) = s.checks
    assert c.verdict.verdict == "unknown" and c.verdict.left > 10 + 3
    # indiatvnews 2018-02: the largest over decades is no month's place
    (s,) = factcheck(store, "According to official figures, India is the largest cumulative troop contributor, having "
                            "provided almost 200,000 troops in nearly 50 of the 71 UN peacekeeping missions over the "
                            "past six decades, including 13 of the current 16 missions.", "2018-02")
    assert not any(c.claim.startswith("rank(") for c in s.checks)


@pytest.mark.parametrize("text, as_of, claim", [
    # eastcoastdaily 2021-10, unifil 2024-04, ghanaiantimes 2023-05, independentbd 2018-06
    # (bench/factcheck_eval, held8)
    ("More than 13,000 military troops were deployed in the northern and central regions of the country, to contain "
     "and control the violence carried out by the armed militant groups, by the MINUSMA mission.", "2021-10",
     "personnel(MONTH, mission=MINUSMA) > 13,000"),  # troops, or every uniformed person: the second holds
    ("But Ghanaian peacekeepers are among UNIFIL’s more than 10,000 women and men in uniform who continue to keep "
     "the UN flag flying high.", "2024-04", "personnel(MONTH, mission=UNIFIL) > 10,000"),
    ("The global deployment of peacekeepers by the UN during this period reached a total of 76,712 individuals, "
     "consisting of 70,257 males and 6,455 females.", "2023-05", "personnel(MONTH) ~ 76,712 ± 2%"),
    ("At present, a total of 6,089 UN peace keepers from the Bangladesh Army, Navy and Air Force are deployed in 13 "
     "ongoing UN peacekeeping operations (UNPKOs) in 10 coutries.", "2018-06",
     "troops(BGD, MONTH) ~ 6,089 ± 2%"),
    # tbs 2020-09: "the country" is Bangladesh, in every mission, not the mission it reinforced
    ("On 17 July, Bangladesh deployed a QRF (Quick Re-Action Force) of 160 peacekeepers in the Central African "
     "Republic, regaining the first position. The country has a total of 6,731 peacekeepers to the UN peacekeeping "
     "operations, read a press release issued by the Inter Services Public Relations Directorate on Saturday.",
     "2020-09", "personnel(BGD, MONTH) ~ 6,731 ± 2%"),
])
def test_the_people_a_figure_counts_and_where(store, text, as_of, claim):
    got, _ = _read(store, text, as_of)
    assert claim in got


def test_had_served_is_a_total_over_years(store):
    # nzdf 1997-07: everyone who ever served, from every country that ever sent anyone
    (s,) = factcheck(store, "Speaking before the Council action, Secretary-General Kofi Annan said more than 750,000 "
                            "women and men -- military, police and civilians -- from 110 countries had served in the "
                            "United Nations peace-keeping operations.", "1997-07")
    assert not any(c.claim.startswith("contributors(") for c in s.checks)
    assert s.verdict not in ("true", "false")


@pytest.mark.parametrize("text, as_of, claim", [
    # fbc 2013-06: a force's N-member strength, its name written after "U.N."
    ("Yesterday Austria announced it was pulling out of the 1,000-member U.N. Disengagement Observer Force, due to "
     "escalating trouble between the Syrian government and rebel troops.", "2013-06",
     "personnel(MONTH, mission=UNDOF) ~ 1,000 ± 10%"),
    # hindustantimes 2022-07: "over the past two days" is no total to date; "the Democratic Republic of
    # Congo", written without "the" before Congo, is the host
    ("Two Indian peacekeeping troops were killed on Tuesday in the Democratic Republic of Congo, which has witnessed "
     "protests over the past two days against the United Nations peacekeeping mission’s apparent failure to stem "
     "violence.", "2022-07", "fatalities(IND, MONTH, mission=MONUSCO) ~ 2 ± 10%"),
    # reuters 2023-02: "since the start of the mission in 2013"
    ("At least 168 peacekeepers have been killed in Mali since the start of the mission in 2013, making it the "
     "deadliest U.N. peacekeeping effort in the world.", "2023-02",
     "fatalities(MONTH..MONTH, mission=MINUSMA) >= 168"),
    # phnompenhpost 2018-01: a place among a region's contributors, not in one mission
    ("Cambodia is the third largest contributor of UN peacekeeping forces in the Asean region behind Indonesia and "
     "Malaysia.", "2018-01", "rank(KHM, MONTH, within=ASEAN) == 3"),
    # taarifa 2024-12: the list of places ends where the sentence's subject begins
    ("With 5,361 military personnel currently deployed in missions across Darfur, South Sudan, and the Central "
     "African Republic, Rwanda has earned its place as a cornerstone of international peacekeeping.", "2024-12",
     "personnel(RWA, MONTH) ~ 5,361 ± 2%"),  # false by every reading; this one is nearest
])
def test_strengths_periods_and_places_read_from_held8(store, text, as_of, claim):
    got, _ = _read(store, text, as_of)
    assert claim in got


def test_the_wounded_beside_the_dead_are_not_deaths(store):
    # u0803407 2019-01
    (s,) = factcheck(store, "10 peacekeepers were killed and 25 injured as a result of an attack in the northern part "
                            "of Mali.", "2019-01")
    assert [c.claim for c in s.checks] == ["fatalities(2019-01, cause=malicious) ~ 10 ± 10%"]


def test_two_hosts_of_one_mission_name_it(store):
    # gsec 2000-11: "in Ethiopia and Eritrea" is UNMEE, which both host; "United Nations
    # military observers" are experts
    (s,) = factcheck(store, "With some 100 United Nations military observers now on the ground in Ethiopia and "
                            "Eritrea, the UN mission overseeing a peace agreement between the two countries has "
                            "completed the second phase of its deployment, a UN spokesman announced today.", "2000-11")
    assert [_undated(c.claim) for c in s.checks] == ["experts(MONTH, mission=UNMEE) ~ 100 ± 10%"]


def test_the_united_nations_force_is_no_mission_of_its_own(store):
    # scoop 2006-09: "the United Nations force" is the mission the sentence is about, not UNFOR
    (s,) = factcheck(store, "Spanish troops today arrived for the first time in Lebanon, helping to boost the United "
                            "Nations force to around 4,600.", "2006-09")
    assert all("UNFOR" not in c.claim for c in s.checks)


def _year_deaths(sources, year: str, malicious: bool) -> int:
    """Deaths in a year, every cause or malicious acts only, counted from the raw list with
    the standard library (one row per casualty_id)."""
    from .conftest import raw_rows

    rows = {r["casualty_id"]: r for r in raw_rows(sources / "un/DPPADPOSS-FATALITIES.csv")}.values()
    return sum(r["incident_date"][:4] == year and (not malicious or r["type_of_incident"] == "Malicious Act")
               for r in rows)


def test_deaths_with_no_cause_are_every_death_or_those_in_malicious_acts(store, sources):
    # efe 2018-03 (bench/factcheck_eval): the UN's yearly tally of peacekeepers "killed"
    # counts malicious acts; "34 in 2016" is that year's, not the "last year" before it
    (s,) = factcheck(store, "The number of UN peacekeepers killed in the line of duty nearly doubled last year, "
                            "increasing from 34 in 2016 to 59 in 2017, Secretary-General Antonio Guterres said "
                            "Wednesday.", "2018-03")
    assert [c.claim for c in s.checks] == ["fatalities(2016-01..2016-12, cause=malicious) ~ 34 ± 2%",
                                           "fatalities(2017-01..2017-12, cause=malicious) ~ 59 ± 2%"]
    assert s.verdict == "true"
    for c, year in zip(s.checks, ("2016", "2017"), strict=True):
        assert c.verdict.left == _year_deaths(sources, year, malicious=True) < _year_deaths(sources, year, False)
        assert "every death, or those in malicious acts" in c.note
    # insidermonkey 2023-11: a total to date is the UN's running count of every death
    (s,) = factcheck(store, "143 Indian troops have lost their lives so far in peacekeeping missions, mainly in "
                            "Africa.", "2023-11")
    (c,) = s.checks
    assert "cause=" not in c.claim and c.verdict.verdict == "false"


def test_troops_are_troops_or_every_uniformed_person(store):
    # theorientnews 2021-07 (bench/factcheck_eval): the newsroom's "troops" is Nepal's uniformed
    # total, the figure the UN ranks by (the sentence's 5,571 is that total, to the person)
    (s,) = factcheck(store, "Nepal rose to the 2nd position having sent 5,571 troops including 294 female "
                            "peacekeepers.", "2021-07")
    assert s.verdict == "true"
    rank, count = s.checks
    assert rank.claim.startswith("rank(NPL, ") and count.claim.startswith("personnel(NPL, ")
    assert count.verdict.left == 5571 and "'troops' read as troops, or every uniformed person" in count.note
    # police named beside them: the writer tells troops apart, and troops are troops only
    (s,) = factcheck(store, "UNOCI had 4,700 troops and 1,400 police.", "2016-02")
    assert [c.claim.split("(")[0] for c in s.checks] == ["troops", "police"]
    assert s.checks[0].verdict.verdict == "false"


@pytest.mark.parametrize("text, as_of, claim", [
    # africapedia 2015-06, pressun 2023-11 (bench/factcheck_eval): first among a region's contributors
    ("The largest contributor in Africa is Ethiopia, with over 8,000 troops.", "2015-06",
     "rank(ETH, MONTH, within=Africa) == 1"),
    ("Rwanda's representative — whose country is the leading African troop contributor to UN peacekeeping efforts — "
     "said that the problems faced by missions are central.", "2023-11",
     "rank(RWA, MONTH, within=Africa, type=troops) == 1"),
    # newtimes 2013-06: "the UN African Union Hybrid Mission in Darfur" is UNAMID, not the AU contributing
    ("Rwanda is the sixth leading troop contributor to UN peacekeeping missions, with more than 3,200 troops in the "
     "UN African Union Hybrid Mission in Darfur, and 850 with UNMISS in South Sudan.", "2013-06",
     "troops(RWA, MONTH, mission=UNAMID) > 3,200"),
])
def test_a_regions_first_and_the_hybrid_missions_name(store, text, as_of, claim):
    got, verdict = _read(store, text, as_of)
    assert claim in got
    assert verdict == "true"


def test_a_place_in_one_mission_and_a_region_named_for_one_country_are_not_checked(store):
    # irin 2004-04: a place among one mission's contributors is not in the claim language
    (s,) = factcheck(store, "With 1,751 troops and 40 military observers, Uruguay is the largest South American "
                            "troop contributor to the UN Mission.", "2004-04")
    assert not any(c.claim.startswith("rank(") for c in s.checks)
    # defenceweb 2016-11: "the West African nation" is one country, named in another sentence
    (s,) = factcheck(store, "The West African nation, which has a battalion of 850 soldiers serving in the nearly "
                            "14,000 troop strong UN-African Union hybrid mission, has suffered a series of deadly "
                            "attacks at home amid a rise in Islamist militant violence.", "2016-11")
    assert not any("Western Africa" in c.claim for c in s.checks)


@pytest.mark.parametrize("text, as_of, claim", [
    # unpress sgsm21230 2022-04, unsg 2014-05, unsg 2019-04, unsa 2023-02 (bench/factcheck_eval, held9):
    # one death of an event, told with an article or "one", with no period: the article's month
    ("The attack resulted in the killing of one peacekeeper from Nepal.", "2022-04", "fatalities(NPL, MONTH) >= 1"),
    ("The Secretary-General condemns the killing of a Rwandan peacekeeper this morning in Kabkabiya, North Darfur, "
     "following a failed mediation attempt between two groups of armed men, believed to be Arab and Fur tribesmen.",
     "2014-05", "fatalities(RWA, MONTH, mission=UNAMID) >= 1"),
    ("A peacekeeper from Egypt was killed and four were wounded.", "2019-04", "fatalities(EGY, MONTH) >= 1"),
    ("The helicopter came under fire while travelling from Beni to Goma, North Kivu province, resulting in one South "
     "African peacekeeper killed and another severely injured.", "2023-02", "fatalities(ZAF, MONTH) >= 1"),
])
def test_one_death_of_the_articles_days(store, text, as_of, claim):
    (s,) = factcheck(store, text, as_of)
    assert [_undated(c.claim.replace(", cause=malicious", "")) for c in s.checks] == [claim]
    assert s.verdict == "true"


@pytest.mark.parametrize("text, as_of, claim", [
    # haaretz 2014-09 (held9): the N-strong UN force is the mission's, found by its place; and
    # the sentence before ends at "August 28." (a date, not a list's number)
    ("The Fijians had been held captive by the al-Qaida linked Nusra Front since August 28. They were part of a "
     "1,200-strong UN force that had been stationed in the Golan Heights, the disputed buffer zone between Syria and "
     "Israel.", "2014-09", "personnel(MONTH, mission=UNDOF) ~ 1,200 ± 4.17%"),
    # uncwiki 2006-01 (held9): a country in brackets after a city is where the mission is
    ("The mission has it's headquarters in Asmara,(Eritrea) and Addis abeba,(Ethiopia) and remains in place, with "
     "3,300 peacekeepers, whilst tensions between the two countries remain high.", "2006-01",
     "personnel(MONTH, mission=UNMEE) ~ 3,300 ± 2%"),
    # indiablooms 2014-05 (held5): the people the sentence before counted, each beside its country
    ("Of those, 8,034 were Bangladesh citizens, 8,132 from India and 8,027 from Pakistan.", "2014-05",
     "personnel(IND, MONTH) ~ 8,132 ± 2%"),
    # unserbia 2021-07 (held7): "of its women and men"
    ("Serbia’s largest contribution is to the United Nations Interim Force in Lebanon (UNIFIL), where 177 of its "
     "women and men serve.", "2021-07", "personnel(SRB, MONTH, mission=UNIFIL) ~ 177 ± 2%"),
    # setopati 2024-10 (round 1): the service after the figure gives its kind
    ("Among them, 5,918 are from Nepal Army, 195 from Armed Police Force, and 28 from Nepal Police.", "2024-10",
     "troops(NPL, MONTH) ~ 5,918 ± 2%"),
])
def test_whose_figure_from_the_words_around_it(store, text, as_of, claim):
    got, _ = _read(store, text, as_of)
    assert claim in got
    assert got[claim] == "true"


def _deaths(sources, first: str, last: str, iso3: str | None = None, mission: str | None = None,
            malicious: bool = False) -> int:
    """Deaths from month ``first`` to ``last`` (YYYY-MM), counted from the raw list with the
    standard library (one row per casualty_id)."""
    from .conftest import raw_rows

    rows = {r["casualty_id"]: r for r in raw_rows(sources / "un/DPPADPOSS-FATALITIES.csv")}.values()
    return sum(first <= r["incident_date"][:7] <= last and r["type_of_casualty"] == "Fatality"
               and (iso3 is None or r["isocode3"] == iso3) and (mission is None or r["mission_acronym"] == mission)
               and (not malicious or r["type_of_incident"] == "Malicious Act") for r in rows)


def test_a_period_starts_at_since_and_a_date_of_something_else_does_not_date_the_figure(store, sources):
    # allafrica (UN News) 2017-11 (held10): "since January 2017" runs to the article's month
    (s,) = factcheck(store, "With this latest attack, hostile acts have claimed the lives of 13 peacekeepers in the "
                            "Central African Republic since January 2017.", "2017-11")
    (c,) = s.checks
    assert c.claim == "fatalities(2017-01..2017-11, mission=MINUSCA, cause=malicious) ~ 13 ± 3.85%"
    assert c.verdict.left == _deaths(sources, "2017-01", "2017-11", mission="MINUSCA", malicious=True) != 13
    assert c.verdict.verdict == "false"
    # asiantransactions 2022-07 (held10): "since the beginning of the year"
    (s,) = factcheck(store, "Ten blue helmets have been killed in Mali since the beginning of the year.", "2022-07")
    assert [c.claim.split(")")[0] for c in s.checks] == ["fatalities(2022-01..2022-07, mission=MINUSMA, cause=malicious"]
    # "the deadliest attack ... since June 1993, when 22 ... were killed": the record's month
    (s,) = factcheck(store, "UN peacekeeping spokesman Nick Birnback said it was the deadliest attack on a UN "
                            "peacekeeping mission since June 1993, when 22 Pakistani soldiers were killed in Somalia's "
                            "capital, Mogadishu.", "2017-12")
    assert [c.claim.split(",")[:2] for c in s.checks] == [["fatalities(PAK", " 1993-06"]]
    # afran 2015-09, passblue 2015-04 (held10, held9): a date in a clause about something
    # else ("wracked ... since December 2013", "first deployed in July 2013") dates nothing
    got, verdict = _read(store, "Some 12,500 peacekeepers have been deployed in South Sudan, which has been wracked by "
                                "the conflict between government forces and rebels since December 2013.", "2015-09")
    assert got == {"personnel(MONTH, mission=UNMISS) ~ 12,500 ± 10%": "true"} and verdict == "true"
    got, verdict = _read(store, "Minusma has about 10,000 personnel hailing from nearly 50 countries; the mission "
                                "first deployed in July 2013, replacing a French-led military intervention in Mali "
                                "ousting jihadists and containing rebels.", "2015-04")
    assert verdict == "true" and all("2013" not in claim for claim in got)
    # untribune 2016-10 (held2): "for June 2016- June 2017" is a budget's period, not the month
    # of the headcount before it
    got, _ = _read(store, "For its part, the US provides a mere 68 personnel to UN peacekeeping, though remains by far "
                          "the biggest financial contributor accounting for 28 percent of the total peacekeeping "
                          "budget, which is just less than $8 billion for June 2016- June 2017.", "2016-10")
    assert got["personnel(USA, MONTH) ~ 68 ± 2%"] == "true"
    # unomig 2006-01 (held10): "as at 1 January 2006" is December's month-end report
    (s,) = factcheck(store, "The strength of UNOMIG as at 1 January 2006 stood at 122 military observers and 13 "
                            "civilian police officers (see annex).", "2006-01")
    assert [c.claim for c in s.checks] == ["experts(2005-12, mission=UNOMIG) ~ 122 ± 2%",
                                           "police(2005-12, mission=UNOMIG) ~ 13 ± 3.85%"]


@pytest.mark.parametrize("text, as_of, claim", [
    # irishtimes 1998-11, irishexaminer 2022-05, independent.ie 2018-03 (held10): the dead a
    # memorial honours are all those to date; "while serving with ... Unifil" names the mission
    ("Speaking at the unveiling of a memorial to 79 Irish peacekeepers who lost their lives while on service "
     "overseas, Mrs McAleese paid tribute to the \"exemplary\" standing of the Defence Forces on United Nations "
     "missions.", "1998-11", "fatalities(IRL, 1948-01..1998-11) ~ 79 ± 2%"),
    ("Forty seven Irish peace keeping soldiers, who lost their lives while serving with the United Nations mission "
     "in south Lebanon, Unifil, were honoured at a special ceremony there today.", "2018-03",
     "fatalities(IRL, 1948-01..2018-03, mission=UNIFIL) ~ 47 ± 2%"),
    # globalnyt (UN News) 2013-04 (held10): "the killing of five Indian peacekeepers" is the event's month
    ("“He condemns in the strongest terms the killing of five Indian peacekeepers and two UNMISS (UN Mission in South "
     "Sudan) national staff and five civilian staff contractors.”", "2013-04",
     "fatalities(IND, 2013-04, mission=UNMISS) ~ 5 ± 10%"),
    # reliefweb 2018-06 (held10): "brings to five the number of peacekeepers killed"
    ("This brings to five the number of peacekeepers killed in targeted attacks in the Central African Republic "
     "since January 2018, with two attacks occurring in the span of a week.", "2018-06",
     "fatalities(2018-01..2018-06, mission=MINUSCA, cause=malicious) ~ 5 ± 10%"),
    # dawn 2023-02 (held2): "the peacekeepers who died in 2022, by country, were 7 from Pakistan"
    ("It stated that the peacekeepers who died in 2022, by country, were 7 from Pakistan, 7 from Egypt, 4 from Chad.",
     "2023-02", "fatalities(PAK, 2022-01..2022-12, cause=malicious) ~ 7 ± 7.14%"),
])
def test_deaths_honoured_condemned_and_brought_to_a_figure(store, text, as_of, claim):
    *_, last = factcheck(store, text, as_of)
    assert {c.claim: c.verdict.verdict for c in last.checks}[claim] == "true"


@pytest.mark.parametrize("text, as_of, claim", [
    # antara 2024-11, defaiya 2013-06 (held10): "to UNIFIL, with 1,230", "there, with some 380"
    ("Indonesia, he said, is still the largest troop-contributing country to UNIFIL, with a total of 1,230 "
     "personnel.", "2024-11", "personnel(IDN, MONTH, mission=UNIFIL) ~ 1,230 ± 2%"),
    ("Neutral Austria has been part of the UN Disengagement Observer Force (UNDOF) in the Golan Heights since its "
     "inception in 1974 and is currently one of the biggest contributors there, with some 380 troops.", "2013-06",
     "troops(AUT, MONTH, mission=UNDOF) ~ 380 ± 10%"),
    # westcoastfm 2016-11 (held10): "returned from South Sudan" names the host
    ("The first of around 1 000 Kenyan soldiers returned from South Sudan on Wednesday as the government followed "
     "through on a threat to withdraw from the UN peacekeeping mission.", "2016-11",
     "troops(KEN, MONTH, mission=UNMISS) ~ 1,000 ± 10%"),
    # nationpk 2024-05 (held10): "the Democratic Republic of Congo, South Sudan, ..." are hosts
    ("Pakistan is one of the largest contributors to UN peacekeeping, with around 3,000 peacekeepers currently "
     "serving in missions in the Democratic Republic of Congo, South Sudan, Abyei, Central African Republic, Cyprus, "
     "Western Sahara and Somalia.", "2024-05", "personnel(PAK, MONTH) ~ 3,000 ± 10%"),
    # citizen 2021-09 (held10): the total "of whom 14,000 are in uniform" counts civilians
    ("The conflict has dramatically reduced in intensity but MINUSCA has 15,000 personnel in the country, of whom "
     "14,000 are in uniform.", "2021-09", "personnel(MONTH, mission=MINUSCA) ~ 14,000 ± 3.57%"),
    # ethiopiawatch 2006-05 (held10): "military troops from 3,000 men" are troops
    ("\"So the UN has now decided to reduce UNMEE's military troops from 3,000 men to 1,500 men.\"", "2006-05",
     "troops(MONTH, mission=UNMEE) ~ 3,000 ± 10%"),
    # apsn 2020-10 (held10): "They include ..." are the parts of the country's total before;
    # its staff officers are among its troops
    ("According to the UN Peacekeeping website, Indonesia deployed a total of 2,837 personnel in August. They "
     "include 314 police officers, 2,459 troops, 22 military experts and 42 staff officers.", "2020-10",
     "troops(IDN, MONTH) ~ 2,459 ± 2%"),
])
def test_whose_figure_from_a_mission_just_named_a_host_or_the_sentence_before(store, text, as_of, claim):
    got, verdict = _read(store, text, as_of)
    assert got[claim] == "true"
    assert verdict == "true"  # and no other figure of the sentence read wrong


@pytest.mark.parametrize("text, as_of, reason", [
    # caribjournal 2013-04 (held10): soldiers being sent are a plan
    ("Sri Lanka is sending 750 new soldiers to be part of the United Nations’ peacekeeping force in Haiti, the "
     "country’s government announced Monday.", "2013-04", "a pledge, an offer or a plan"),
    # hrw 2016-02 (held10): one battalion's strength, not the country's
    ("A battalion of approximately 800 soldiers from the Democratic Republic of Congo is deployed to Bambari and "
     "other towns in Ouaka province.", "2016-02", "the strength of a unit"),
    # nationpk 2023-05 (held10): officers among the dead, not counted apart
    ("During UN peacekeeping missions, 171 Pakistani soldiers, including 27 officers, have sacrificed their precious "
     "lives for the restoration of global peace.", "2023-05", None),
])
def test_plans_units_and_parts_are_not_checked(store, text, as_of, reason):
    (s,) = factcheck(store, text, as_of)
    if reason is None:  # the whole is checked, the part is not
        assert [c.claim.split(")")[0] for c in s.checks] == ["fatalities(PAK, 1948-01..2023-05, personnel=uniformed"]
    else:
        assert not s.checks and reason in (s.reason or "")
