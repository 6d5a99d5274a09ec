"""Relative date expressions resolved against the document date, with their precision (analyze.dates).

Sentences are written for the test. 1989-11-08 is a Wednesday, 1989-11-12 a Sunday.
"""
from __future__ import annotations

import datetime as dt

import pytest

from tessera.analyze.dates import find_dates, resolve_relative

WEDNESDAY = dt.date(1989, 11, 8)
SUNDAY = dt.date(1989, 11, 12)


def _dates(sentence: str, anchor: dt.date | None) -> list[tuple[str, str]]:
    return [(sentence[a:b], value) for a, b, value in find_dates(sentence, anchor)]


@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        # days
        ("Rebels attacked the post the day before yesterday.", "the day before yesterday", "1989-11-06"),
        ("Rebels attacked the post 13 days ago.", "13 days ago", "1989-10-26"),
        ("Rebels attacked the post three days ago.", "three days ago", "1989-11-05"),
        ("Rebels attacked the post in the early hours of Tuesday.", "in the early hours of Tuesday", "1989-11-07"),
        ("Rebels attacked the post in the early hours of Wednesday.", "in the early hours of Wednesday", "1989-11-08"),
        ("Rebels attacked the post Monday night.", "Monday night", "1989-11-06"),
        ("In the last 24 hours rebels attacked two posts.", "In the last 24 hours", "1989-11-08"),
        ("In the past few hours the ELN blew up a section of the pipeline.", "In the past few hours", "1989-11-08"),
        ("Rebels attacked the post Wednesday night, the army said.", "Wednesday night", "1989-11-08"),
        # months and years
        ("Rebels attacked the post three months ago.", "three months ago", "1989-08"),
        ("The front was founded six years ago.", "six years ago", "1983"),
        # guards: these resolved the same way before dateparser read them
        ("Rebels attacked the post today, officials said.", "today", "1989-11-08"),
        ("Rebels attacked the post yesterday.", "yesterday", "1989-11-07"),
        ("Rebels attacked the post on Sunday.", "on Sunday", "1989-11-05"),
        ("Rebels attacked the post last Sunday.", "last Sunday", "1989-11-05"),
        ("Sunday's attack on the post killed two guards.", "Sunday's", "1989-11-05"),
        ("Rebels attacked the post this month.", "this month", "1989-11"),
        ("Rebels attacked the post last month.", "last month", "1989-10"),
        ("Rebels attacked the post last year.", "last year", "1988"),
        # parts of a day, as radio and wire copy give them
        ("FIGHTING RAGED LAST NIGHT IN THE CAPITAL.", "LAST NIGHT", "1989-11-07"),
        ("Last night's target was a liquor plant.", "Last night", "1989-11-07"),
        ("The explosions continued until early this morning.", "early this morning", "1989-11-08"),
        ("Rebels attacked the post this afternoon.", "this afternoon", "1989-11-08"),
        ("Rebels will be watched tonight.", "tonight", "1989-11-08"),
        ("JUST A FEW MINUTES AGO, TWO BOMBS EXPLODED HERE.", "JUST A FEW MINUTES AGO", "1989-11-08"),
        ("Two bombs exploded two hours ago.", "two hours ago", "1989-11-08"),
        ("AN ATTACK ON THE POLICE BEGAN APPROXIMATELY 15-20 MINUTES AGO.", "15-20 MINUTES AGO", "1989-11-08"),
        ("Rebels attacked the post 45 minutes ago.", "45 minutes ago", "1989-11-08"),
        ("Rebels attacked the post two to three hours ago.", "two to three hours ago", "1989-11-08"),
        # a weekday naming the date that follows it is that date, not the last such weekday
        ("She was killed on Monday, 4 September.", "4 September", "1989-09-04"),
        ("She was killed on Monday, 9 October.", "9 October", "1989-10-09"),
    ],
)
def test_relative_expressions_resolve_with_their_precision(sentence: str, expression: str, value: str) -> None:
    assert _dates(sentence, WEDNESDAY) == [(expression, value)]


def test_the_weekday_of_the_report_is_that_day_and_last_means_the_week_before() -> None:
    assert _dates("Rebels attacked the post on Sunday.", SUNDAY) == [("on Sunday", "1989-11-12")]
    assert _dates("Rebels attacked the post Sunday night.", SUNDAY) == [("Sunday night", "1989-11-12")]
    assert _dates("Rebels attacked the post last Sunday.", SUNDAY) == [("last Sunday", "1989-11-05")]


@pytest.mark.parametrize(
    ("sentence", "anchor", "value"),
    [
        # a week inside one month gives the month ...
        ("Rebels attacked the post last week.", dt.date(1989, 11, 15), "1989-11"),
        ("Rebels attacked the post two weeks ago.", dt.date(1989, 11, 22), "1989-11"),
        # ... across two months the year only (Monday 30 October to Sunday 5 November) ...
        ("Rebels attacked the post last week.", WEDNESDAY, "1989"),
        ("Rebels attacked the post two weeks ago.", dt.date(1989, 11, 15), "1989"),
        # ... and across two years nothing (Monday 31 December 1990 to Sunday 6 January 1991)
        ("Rebels attacked the post last week.", dt.date(1991, 1, 9), None),
    ],
)
def test_a_week_gives_the_month_or_year_it_lies_in(sentence: str, anchor: dt.date, value: str | None) -> None:
    assert [v for _, v in _dates(sentence, anchor)] == ([value] if value else [])


@pytest.mark.parametrize(
    "sentence",
    [
        "Marchers in Derry remembered Bloody Sunday.",
        "The Good Friday agreement ended the fighting.",
        "Shops reopened for Black Friday.",
        "Rebels attacked the post, the Sunday Times reported.",
    ],
)
def test_a_weekday_inside_a_name_dates_nothing(sentence: str) -> None:
    assert _dates(sentence, WEDNESDAY) == []


def test_nothing_relative_resolves_without_a_document_date() -> None:
    for sentence in ("Rebels attacked the post 13 days ago.", "Rebels attacked the post Wednesday night.",
                     "Rebels attacked the post last week."):
        assert find_dates(sentence) == [] and find_dates(sentence, None) == []


def test_resolve_relative_keeps_its_signature_and_never_points_ahead() -> None:
    assert resolve_relative("two weeks ago", dt.date(1989, 11, 22)) == "1989-11"
    assert resolve_relative("in the early hours of Tuesday", WEDNESDAY) == "1989-11-07"
    assert resolve_relative("next week", WEDNESDAY) is None
    assert resolve_relative("a fortnight of rain", WEDNESDAY) is None
    assert resolve_relative("36 hours ago", WEDNESDAY) is None  # the day before or the one before that


def test_a_time_of_day_with_this_morning_dates_the_attack_to_the_report_s_day() -> None:
    """The model reads "0600 this morning" as one time whose first word hangs on "at", the rest on the verb.
    The attack is the role tagger's (no trigger word of the rules), situated by its own words in wire copy."""
    from tessera.analyze import analyze_text

    text = "AT 0600 THIS MORNING, URBAN GUERRILLAS SET OFF A BOMB IN THE BASEMENT OF THE LIBERTY TOWER IN ZARAGOZA.\n"
    a = analyze_text(text, published="1989-07-13")
    assert [e.date for e in a.events if e.type == "attack"] == ["1989-07-13"]


def test_an_attack_is_dated_by_a_relative_expression_and_the_document_date() -> None:
    from tessera.analyze import analyze_text

    text = "Gunmen attacked a police post in Gao in the early hours of Tuesday, killing four officers.\n"
    a = analyze_text(text, published="1989-11-08", tagger=False)
    assert [e.date for e in a.events if e.type == "attack"] == ["1989-11-07"]
    text = "Gunmen attacked a police post in Gao 13 days ago, killing four officers.\n"
    a = analyze_text(text, published="1989-11-08", tagger=False)
    assert [e.date for e in a.events if e.type == "attack"] == ["1989-10-26"]


@pytest.mark.parametrize("sentence", ["EARLIER, AT 1800, GUNMEN FIRED ON A TRUCK.",
                                      "The post was attacked at approximately 2030 hours."])
def test_a_time_of_day_in_military_hours_is_no_year(sentence: str) -> None:
    assert _dates(sentence, WEDNESDAY) == []


@pytest.mark.parametrize("sentence", ["THE M-19 [19 APRIL MOVEMENT] NAMED A NEW CANDIDATE.",
                                      "Veterans of the 26th of July Movement met in Havana."])
def test_a_date_in_a_groups_name_dates_nothing(sentence: str) -> None:
    assert _dates(sentence, WEDNESDAY) == []


def test_a_time_of_day_given_in_gmt_is_no_year_even_where_the_parse_cuts_it_off():
    from tessera.analyze import analyze_text

    a = analyze_text("SAN SALVADOR, 3 APR 90 (EFE) -- A BOMB EXPLODED AT A BANK IN SAN MIGUEL YESTERDAY. "
                     "THE EXPLOSION OCCURRED AT 1230 (1830 GMT) AND CAUSED PANIC.", tagger=False)
    assert {e.date for e in a.events} == {"1990-04-02"}


def test_a_yearless_day_up_to_a_week_ahead_is_this_year_and_later_ones_last_year() -> None:
    assert _dates("Two more stoppages will follow on 10 November.", WEDNESDAY) == [("10 November", "1989-11-10")]
    assert _dates("The mayor was killed on 20 November.", WEDNESDAY) == [("20 November", "1988-11-20")]


def test_a_numbered_address_flight_or_decree_is_no_year():
    from tessera.analyze.dates import find_dates

    text = "THE BOMB WENT OFF AT NO. 1810 ON 34TH STREET. FLIGHT 1803 WAS HIT, AS DECREE 1923 FORESAW, IN 1989."
    assert [v for _, _, v in find_dates(text)] == ["1989"]


def test_a_relative_clause_about_a_participant_does_not_date_the_attack() -> None:
    """A date inside a relative clause closed before the trigger says when the participant did something
    else; a clause after the trigger keeps its closing date (its attachment is a guess of the parse)."""
    from tessera.analyze import analyze_text

    before = ("ORTEGA, A LEADER OF THE UNION THAT WENT ON STRIKE ON 3 MARCH, WAS SHOT DEAD IN CALI YESTERDAY.\n")
    a = analyze_text(before, published="1990-04-10", tagger=False)
    assert [e.date for e in a.events if e.type == "attack"] == ["1990-04-09"]
    after = "The judge was murdered in Cali by two gunmen who received orders from a drug lord on 11 October 1987.\n"
    a = analyze_text(after, published="1990-04-10", tagger=False)
    assert [e.date for e in a.events if e.type == "attack"] == ["1987-10-11"]


def test_a_day_after_the_report_s_dates_no_attack_told_after_it():
    """A funeral scheduled for a later day is no date for the kidnapping told in the next sentence."""
    from tessera.analyze import analyze_text

    text = ("SAN SALVADOR, 13 JAN 90 (AFP) -- [TEXT] THE PARTY ASKED THE GOVERNMENT TO GUARANTEE THE SAFETY OF ITS "
            "LEADER, WHO WILL ATTEND THE FUNERAL, WHICH IS SCHEDULED FOR 15 JANUARY.  THE LAWYER AND HIS DRIVER "
            "WERE KIDNAPPED BY ARMED MEN IN GUATEMALA CITY.\n")
    a = analyze_text(text, tagger=False)
    dates = [e.date for e in a.events if e.type == "attack"]
    assert dates and "1990-01-15" not in dates
