"""Publication dates and sources from wire datelines and header lines (ingest.dates, ingest.documents).

Every text here is written for the test; none is copied from a corpus.
"""
from __future__ import annotations

import sqlite3

import pytest

from tessera.ingest import make_document
from tessera.ingest.dates import expand_two_digit_year, parse_dateline, parse_wire_dateline
from tessera.models import Document, DocumentAnalysis
from tessera.store import Store, schema

REPORT = "Rebels attacked an army post near the river, the army said.\n"


@pytest.mark.parametrize(
    ("top", "published", "source"),
    [
        ("SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) -- [TEXT] ", "1989-11-12", "RADIO VENCEREMOS"),
        ("BOGOTA, 23 AUG 88 (EFE) -- ", "1988-08-23", "EFE"),
        ("   LIMA, 4 JAN 90 (ACAN-EFE) -- [REPORT] ", "1990-01-04", "ACAN-EFE"),
        ("MANAGUA (NICARAGUA), 11 DEC 89 (RADIO SANDINO) -- ", "1989-12-11", "RADIO SANDINO"),
        ("KABUL, Afghanistan, June 14, 2014 (AP) — ", "2014-06-14", "AP"),
        ("NIAMEY, 3 March 2022 (Reuters) - ", "2022-03-03", "Reuters"),
        ("NAIROBI, Jan. 13, 2021 (Reuters) - ", "2021-01-13", "Reuters"),
        # a typist's square bracket for the agency, or one opened square and closed round
        ("QUITO, 2 MAR 90 [RADIO QUITO] -- ", "1990-03-02", "RADIO QUITO"),
        ("CARACAS, 6 JUN 90 [TELEVISORA NACIONAL CANAL 5) -- [SPEECH] ", "1990-06-06",
         "TELEVISORA NACIONAL CANAL 5"),
        ("LIMA, 8 SEP 89 (NOTICIAS ALIADAS [NA]) -- ", "1989-09-08", "NOTICIAS ALIADAS [NA]"),
    ],
)
def test_wire_dateline_gives_the_date_and_the_agency(top: str, published: str, source: str) -> None:
    doc = make_document(top + REPORT, "wire.txt")
    assert (doc.published, doc.source) == (published, source)
    assert doc.origin == "wire.txt"  # the origin stays the file; the agency is the source


def test_two_digit_years_are_windowed_at_30() -> None:
    assert [expand_two_digit_year(y) for y in (0, 29, 30, 89, 99)] == [2000, 2029, 1930, 1989, 1999]
    assert make_document("LIMA, 5 JAN 29 (EFE) -- " + REPORT, "a.txt").published == "2029-01-05"
    assert make_document("LIMA, 5 JAN 30 (EFE) -- " + REPORT, "b.txt").published == "1930-01-05"


def test_a_dateline_on_a_line_of_its_own_is_furniture_not_the_title() -> None:
    doc = make_document("SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) --\n\n" + REPORT, "wire.txt")
    assert (doc.published, doc.source, doc.title) == ("1989-11-12", "RADIO VENCEREMOS", None)
    assert [r.kind for r in doc.regions] == ["furniture", "body"]


def test_a_hard_wrapped_paragraph_opening_with_a_dateline_is_the_body_not_a_title() -> None:
    text = ("   LIMA, 4 JAN 90 (ACAN-EFE) -- [TEXT] REBELS ATTACKED AN ARMY\n"
            "POST NEAR THE RIVER YESTERDAY, THE ARMY SAID.\n\n   THE ARMY SENT TROOPS.\n")
    doc = make_document(text, "wire.txt")
    assert (doc.published, doc.source, doc.title) == ("1990-01-04", "ACAN-EFE", None)
    assert [r.kind for r in doc.regions] == ["body"]


def test_a_dateline_whose_dash_is_wrapped_to_the_next_line() -> None:
    text = ("   CARACAS (VENEZUELA), 18 MAY 90 (VENEZOLANA DE TELEVISION CANAL 8)\n"
            "-- [TEXT] REBELS ATTACKED AN ARMY POST NEAR THE RIVER YESTERDAY.\n")
    doc = make_document(text, "wire.txt")
    assert (doc.published, doc.source, doc.title) == ("1990-05-18", "VENEZOLANA DE TELEVISION CANAL 8", None)
    # a headline followed by a dash-led line is no dateline
    doc = make_document("Rebels attack army post (update)\n- police say three died\n\nThe army said.\n", "h.txt")
    assert doc.published is None and doc.source is None


def test_yearless_dateline_without_a_metadata_date_stays_unknown() -> None:
    doc = make_document("Bomb hits station\n\nBEIRUT, June 14 (Reuters) - " + REPORT, "wire.txt")
    assert (doc.published, doc.source) == (None, "Reuters")


@pytest.mark.parametrize(
    ("text", "given", "published"),
    [
        # a keyed metadata line gives the year; the dateline's day beats the update stamp
        ("Bomb hits station\nUpdated: June 16, 2014\n\nBEIRUT, June 14 (Reuters) - ", None, "2014-06-14"),
        # the year nearest the metadata date: a dateline of Dec 31 read on Jan 2 is of the year before
        ("Bomb hits station\nUpdated: Jan 2, 2015\n\nBEIRUT, Dec 31 (Reuters) - ", None, "2014-12-31"),
        # a date given to make_document: a year only is refined, a full date stands
        ("Bomb hits station\n\nBEIRUT, June 14 (Reuters) - ", "2014", "2014-06-14"),
        ("Bomb hits station\n\nBEIRUT, June 14 (Reuters) - ", "2014-06-15", "2014-06-15"),
        # a printed full publication date stands too
        ("Bomb hits station\nPublished: June 15, 2014\n\nBEIRUT, June 14 (Reuters) - ", None, "2014-06-15"),
    ],
)
def test_yearless_dateline_takes_its_year_from_the_metadata_date(text: str, given: str | None,
                                                                  published: str) -> None:
    doc = make_document(text + REPORT, "wire.txt", published=given)
    assert (doc.published, doc.source) == (published, "Reuters")


@pytest.mark.parametrize(
    "top",
    [
        "SAN SALVADOR, 31 NOV 89 (EFE) -- ",  # no such day
        "CLANDESTINE, NO DATE (RADIO VENCEREMOS) -- [TEXT] ",
        "WASHINGTON (Reuters) - ",
    ],
)
def test_a_dateline_without_a_readable_date_names_the_agency_and_no_date(top: str) -> None:
    doc = make_document(top + REPORT, "wire.txt")
    assert doc.published is None
    assert doc.source == parse_wire_dateline(top).source and doc.source in ("EFE", "RADIO VENCEREMOS", "Reuters")


@pytest.mark.parametrize(
    "line",
    [
        "Yesterday, June 14 - the army attacked a post.",  # a yearless date needs an agency or a place in capitals
        "Meanwhile, on June 14 - the army attacked a post.",
        "The Islamic State (IS) - a group - attacked a post.",
        "Gunmen, police said - attacked a post.",
    ],
)
def test_sentences_are_not_datelines(line: str) -> None:
    assert parse_wire_dateline(line) is None
    doc = make_document("Army post attacked\n\n" + line + "\n", "x.txt")
    assert (doc.published, doc.source) == (None, None)


def test_a_dateline_inside_a_paragraph_or_deep_in_the_text_is_not_the_documents() -> None:
    wrapped = "Rebels attacked a post.\nThey said the attack told of in\nBOGOTA, 23 AUG 88 (EFE) -- was theirs.\n"
    assert make_document(wrapped, "a.txt").source is None
    deep = "".join(f"Paragraph {i} tells of the war.\n\n" for i in range(12)) + "BOGOTA, 23 AUG 88 (EFE) -- " + REPORT
    assert make_document(deep, "b.txt").published is None


@pytest.mark.parametrize(
    ("line", "date", "updated"),
    [
        ("Posted at 7:42 AM, Dec 16, 2014", "2014-12-16", False),
        ("Updated 10:23 AM ET, Tue February 10, 2012", "2012-02-10", True),
        ("Updated: Feb 10, 2012", "2012-02-10", True),  # already read before the wire work: kept
        ("publish: 22 August 2015", "2015-08-22", False),  # idem
    ],
)
def test_header_lines(line: str, date: str, updated: bool) -> None:
    found = parse_dateline(line)
    assert found is not None and (found.date, found.updated) == (date, updated)
    doc = make_document("Army post attacked\n" + line + "\n\n" + REPORT, "x.txt")
    assert doc.published == date


def test_source_is_stored_exported_and_an_older_file_is_upgraded(tmp_path) -> None:
    path = tmp_path / "kb.db"
    # a file as the first schema made it: no source column
    conn = sqlite3.connect(path)
    for statement in schema.statements(schema.MIGRATIONS[0][1]):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (1, 'then')")
    conn.execute("INSERT INTO documents (id, seq, origin, media_type, text, status, added_at)"
                 " VALUES ('old', 1, 'old.txt', 'text/plain', 'An old text.', 'ok', 'then')")
    conn.commit()
    conn.close()
    doc = make_document("BOGOTA, 23 AUG 88 (EFE) -- " + REPORT, "wire.txt")
    with Store.open(path) as store:
        store.add_document(doc, DocumentAnalysis(doc.id, (), (), ()))
        by_origin = {d.origin: d for d in store.documents()}
    assert by_origin["old.txt"].source is None
    assert by_origin["wire.txt"] == doc and doc.source == "EFE"
    assert Document("x", "x.txt", "text").source is None


def test_export_document_record_has_the_source(tmp_path) -> None:
    import tessera

    wire = tmp_path / "wire.txt"
    wire.write_text("BOGOTA, 23 AUG 88 (EFE) -- " + REPORT, encoding="utf-8")
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([wire])
        [record] = [r for r in kb.export_records() if r["kind"] == "document"]
    assert (record["published"], record["source"], record["origin"]) == ("1988-08-23", "EFE", str(wire))


def test_wire_copy_end_to_end_dates_yesterday_from_the_dateline(tmp_path) -> None:
    import tessera

    wire = tmp_path / "wire.txt"
    wire.write_text("SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) -- Urban guerrillas bombed a police station "
                    "in San Salvador yesterday.\n", encoding="utf-8")
    with tessera.open(tmp_path / "kb.db") as kb:
        kb.build([wire])
        records = list(kb.export_records())
    [document] = [r for r in records if r["kind"] == "document"]
    assert (document["published"], document["source"]) == ("1989-11-12", "RADIO VENCEREMOS")
    attacks = [r for r in records if r["kind"] == "event" and r["type"] == "attack"]
    assert [a["date"] for a in attacks] == ["1989-11-11"]


def test_the_datelines_own_date_does_not_date_the_event() -> None:
    from tessera.analyze import analyze_text

    a = analyze_text("SAN SALVADOR, 12 NOV 89 (EFE) -- Rebels attacked a police post in San Miguel.\n", tagger=False)
    attacks = [e for e in a.events if e.type == "attack"]
    assert attacks and [e.date for e in attacks] == [None]
