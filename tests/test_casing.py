"""All-capitals and all-lowercase documents: detected, re-cased for the model, offsets unchanged.

The texts are written for these tests in the style of 1989 FBIS wire copy.
"""
from __future__ import annotations

import pytest

from tessera.analyze import analyze_text
from tessera.analyze.casing import casing_of, prepare, truecase_text

MIXED = (
    "Rebels Attack Garrison in San Miguel\n\n"
    "SAN SALVADOR, 12 Nov 89 (ACAN-EFE) -- The Farabundo Marti National Liberation Front (FMLN) said on "
    "Sunday that its units attacked the army garrison in San Miguel. Commander Joaquin Villalobos told "
    "reporters that the FMLN would not negotiate while the ARENA government kept up the bombing.\n"
)

WIRE = (
    "REBELS ATTACK GARRISON IN SAN MIGUEL\n\n"
    "SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) -- THE FARABUNDO MARTI NATIONAL LIBERATION FRONT "
    "(FMLN) SAID TODAY THAT ITS UNITS ATTACKED THE ARMY GARRISON IN SAN MIGUEL. FMLN SPOKESMAN JOAQUIN "
    "VILLALOBOS TOLD RADIO VENCEREMOS THAT THE FMLN WILL CONTINUE ITS OFFENSIVE UNTIL PRESIDENT "
    "ALFREDO CRISTIANI AGREES TO NEGOTIATE.\n"
)

LOWER = (
    "san salvador, 14 nov 89 -- the armed forces said today that troops had retaken the zacamil "
    "district after two days of fighting. colonel rene emilio ponce told a news conference that the "
    "fmln had lost more than one hundred fighters in the capital.\n"
)


def test_detection_on_real_texts():
    assert casing_of(MIXED) == "mixed"  # acronyms and a dateline in capitals do not make it "upper"
    assert casing_of(WIRE) == "upper"
    assert casing_of(LOWER) == "lower"
    assert casing_of("REBELS ATTACK GARRISON\n\n" + MIXED) == "mixed"  # an all-caps headline over a mixed body
    assert casing_of("UN FMLN 12") == "mixed"  # too few words to decide: never assumed


def test_mixed_text_is_handed_over_unchanged():
    assert prepare(MIXED) is MIXED


@pytest.mark.parametrize("text", [WIRE, LOWER, "GROSSE STRAẞE IN MÜNCHEN: DIE STRAßE", "ĲSSELMEER ǅAMAL İSTANBUL"])
def test_truecasing_keeps_length_and_offsets(text):
    out = prepare(text) if casing_of(text) != "mixed" else truecase_text(text, "upper")
    assert len(out) == len(text)
    for a, b in zip(text, out):
        assert a == b or a.upper() == b or a.lower() == b  # only the case of a letter changes


def test_truecasing_reads_naturally():
    out = prepare(WIRE)
    assert out.startswith("Rebels attack")
    assert "San Salvador" in out and "San Miguel" in out
    assert "(FMLN)" in out and "Joaquin Villalobos" in out and "Alfredo Cristiani" in out
    low = prepare(LOWER)
    assert low.startswith("San Salvador")
    assert "Colonel Rene Emilio Ponce" in low or "colonel Rene Emilio Ponce" in low
    assert "FMLN" in low  # acronyms are data (lexicons/acronyms.txt)


@pytest.mark.parametrize("text, expected", [
    ("the farabundo marti national liberation front (fmln) attacked the barracks.",
     "The Farabundo Marti National Liberation Front (FMLN) attacked the barracks."),
    ("members of the manuel rodriguez patriotic front (fpmr) claimed it.",
     "Members of the Manuel Rodriguez Patriotic Front (FPMR) claimed it."),
    # a word capitalised only for opening the sentence starts no name
    ("guerrillas attacked the barracks (fmln) yesterday.", "Guerrillas attacked the barracks (FMLN) yesterday."),
])
def test_a_name_spelled_out_before_its_acronym_is_a_name_throughout(text, expected):
    assert prepare(text) == expected
    assert prepare(text.upper()) == expected


@pytest.fixture(scope="module")
def wire_analysis():
    return analyze_text(WIRE)


def test_all_caps_wire_copy_gives_names_with_exact_evidence(wire_analysis):
    a = wire_analysis
    types = {e.type for e in a.entities}
    assert "person" in types and "organization" in types
    persons = {e.name for e in a.entities if e.type == "person"}
    assert "Joaquin Villalobos" in persons  # names read naturally
    assert any(e.type == "organization" and "FMLN" in e.names for e in a.entities)
    for e in a.entities:
        for m in e.mentions:
            assert m.text == WIRE[m.start:m.end]  # mentions are the stored text, as written
            assert m.text.isupper()
    quotes = [r.evidence for r in a.relations] + [ev for c in a.events for ev in c.evidence]
    assert a.relations and quotes
    for ev in quotes:
        assert ev.quote == WIRE[ev.start:ev.end]  # evidence quotes the stored text exactly


def test_lowercase_text_gives_names(wire_analysis):
    a = analyze_text(LOWER)
    assert any(e.type == "person" and "Ponce" in e.name for e in a.entities)
    for e in a.entities:
        for m in e.mentions:
            assert m.text == LOWER[m.start:m.end]


def test_mixed_text_is_analysed_as_before():
    from tessera.analyze import nlp as nlp_mod
    from tessera.analyze.entities import build_entities
    from tessera.ingest import make_document

    a = analyze_text(MIXED)
    doc = make_document(MIXED, "<text>", "text/plain")
    mined = [(r.start, r.end) for r in doc.regions if r.kind in ("title", "body")] or [(0, len(MIXED))]
    chars = [c if c == "\n" else " " for c in MIXED]
    for s, e in mined:
        chars[s:e] = MIXED[s:e]
    before = build_entities(nlp_mod.load_pipeline()("".join(chars)), MIXED, mined)  # the path without casing
    assert a.entities == tuple(before.entities)
    assert any(e.name == "Joaquin Villalobos" for e in a.entities)


# ---- the statistics, compact (analyze/casing_stats.py) ---------------------------------------------

@pytest.fixture(scope="module")
def package_caser():
    truecase = pytest.importorskip("truecase")
    return truecase.TrueCaser()


def test_the_compact_statistics_choose_as_the_package_does(package_caser):
    """Every ambiguous word of the wire and lowercase texts, between its neighbours: the casing that the
    memory-mapped counts choose is the one the package's own scoring chooses."""
    from tessera.analyze.casing import _TOKEN, _caser

    stats = _caser()
    checked = 0
    for text in (WIRE, LOWER, MIXED.upper()):
        tokens = [m.group() for m in _TOKEN.finditer(text)]
        for i, tok in enumerate(tokens):
            forms = stats.forms.get(tok.lower())
            if not forms or len(forms) < 2:
                continue
            prev = tokens[i - 1] if i else None
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            assert set(forms) == package_caser.word_casing_lookup[tok.lower()]
            want = max(sorted(forms), key=lambda f: package_caser.get_score(prev, f, nxt))
            assert stats.best(prev, forms, nxt) == want, tok
            checked += 1
    assert checked >= 20


def test_the_statistics_are_built_once_then_memory_mapped(tmp_path):
    import numpy as np

    from tessera.analyze import casing_stats

    built = casing_stats.load(tmp_path)
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert sorted(p.name for p in folder.iterdir()) == ["counts.npy", "forms.json", "keys.npy"]
    again = casing_stats.load(tmp_path)
    assert isinstance(again.keys, np.memmap) and isinstance(again.counts, np.memmap)
    grams = ["uthe", "uThe", "uzacamil", "bthe_Army", "fsan_salvador"]
    assert list(again.count(grams)) == list(built.count(grams))
    assert again.count(["uthe"])[0] > again.count(["uThe"])[0] > 0 and again.count(["uzacamil"])[0] == 0


def test_without_a_writable_cache_the_statistics_stay_in_memory(tmp_path):
    from tessera.analyze import casing_stats

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    stats = casing_stats.load(blocked)  # its cache folder cannot be made under a file
    assert stats.best(None, ("US", "us"), "army") in ("US", "us")
    assert stats.count(["uthe"])[0] > 0


def test_a_rare_lowercase_word_that_names_a_place_is_that_place():
    # the statistics saw "callao" once, in lowercase; the gazetteer names the port
    out = prepare("SEAMEN WERE INJURED IN THE PORT OF CALLAO WHEN A BOMB EXPLODED UNDER THEIR BUS.")
    assert "port of Callao" in out
    a = analyze_text("LIMA, 5 JUL 89 (EFE) -- [TEXT] SEAMEN WERE INJURED IN THE PORT OF CALLAO WHEN A BOMB "
                     "EXPLODED UNDER THEIR BUS.\n", tagger=False)
    assert "Callao" in {e.name for e in a.entities if e.type == "location"}
    # a common word stays a word, place's name or not
    assert "the reading of the verdict" in prepare("THE JUDGE POSTPONED THE READING OF THE VERDICT TODAY.")
