"""The web workbench through Starlette's TestClient: every page and its JSON twin on the example corpus.

The knowledge base is built once for the module from ``examples/corpus/``; the app opens it
read-only and the tests check that its bytes never change.
"""
from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import pytest

from tessera.cli import main
from tessera.kb import KnowledgeBase
from tessera.web.periods import bound, period

from .conftest import CROWDED, EXAMPLES  # noqa: F401 (EXAMPLES: where the knowledge base comes from)

pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx (pip install -e '.[test]')")
from starlette.testclient import TestClient  # noqa: E402

from tessera.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def web_db(examples_db_closed) -> Path:
    return examples_db_closed  # built once per session (conftest), shared with the browser tests


@pytest.fixture(scope="module")
def client(web_db) -> TestClient:
    return TestClient(create_app(web_db))


@pytest.fixture(scope="module")
def gla(client) -> dict:
    """The Gourma Liberation Army's page data (the entity the example corpus is about)."""
    r = client.get("/entity/GLA.json")
    assert r.status_code == 200
    return r.json()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def shown(text: str, page: str) -> bool:
    """True when ``text`` is displayed on the page (as text: escaped, whitespace aside)."""
    return " ".join(text.split()) in _text(page)


def _text(page: str) -> str:
    """The page as text: tags dropped, entities unescaped, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


# ---- periods: partial dates on an axis ----------------------------------------------------------


def test_periods_are_only_as_precise_as_the_date():
    assert period("2021-05-09").to_dict() == {"start": "2021-05-09", "end": "2021-05-10", "precision": "day"}
    assert period("2020-11").to_dict() == {"start": "2020-11-01", "end": "2020-12-01", "precision": "month"}
    assert period("2020-12").to_dict()["end"] == "2021-01-01"
    assert period("2011").to_dict() == {"start": "2011-01-01", "end": "2012-01-01", "precision": "year"}
    assert period("1990s").to_dict() == {"start": "1990-01-01", "end": "2000-01-01", "precision": "decade"}
    assert (period("late 1990s").start.year, period("late 1990s").end.year) == (1996, 2000)
    for yearless_or_bad in ("--03-14", "--03", "", None, "2021-13", "2021-02-30", "spring"):
        assert period(yearless_or_bad) is None
    assert bound("2019").isoformat() == "2019-01-01" and bound("2019-06", upper=True).isoformat() == "2019-07-01"


# ---- pages and their JSON twins ------------------------------------------------------------------


def test_home_shows_the_corpus_at_a_glance(client):
    data = client.get("/index.json").json()
    o = data["overview"]
    assert o["documents"] == 8 and o["conflicts"] == 3
    assert sum(o["entities_by_type"].values()) == o["entities"] > 0
    assert data["most_connected"][0]["name"] == "Gourma Liberation Army"
    assert all(e["type"] == "organization" for e in data["most_connected"])
    dated = [ev["date"] for ev in data["latest_events"] if ev["date"] and not ev["date"].startswith("--")]
    assert dated[0] == "2022-06-16" and dated == sorted(dated, reverse=True)
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = _text(page.text)
    assert f"{o['documents']} documents" in text and f"{o['conflicts']} open conflicts" in text
    assert "Gourma Liberation Army — 11 partners" in text
    assert 'role="search"' in page.text and 'name="q"' in page.text
    assert len(re.findall(r'href="/document/[0-9a-f]{64}"', page.text)) == 8


def test_entity_page_footnotes_every_fact_with_its_quotes(client, gla):
    assert gla["entity"]["name"] == "Gourma Liberation Army" and "GLA" in gla["entity"]["aliases"]
    facts = [f for s in gla["sections"] for f in s["facts"]]
    assert facts and all(f["support"] >= 1 and f["evidence"] for f in facts)
    leader = next(f for f in facts if f["predicate"] == "led_by" and f["other"]["name"] == "Souleymane Harouna")
    assert leader["support"] == 6
    page = client.get(f"/entity/{gla['entity']['id']}")
    assert page.status_code == 200
    body = page.text
    assert "<h1>Gourma Liberation Army" in body
    quote = leader["evidence"][0]["quote"]
    assert shown(quote, body)  # the sentence behind the fact
    assert "[6 docs]</summary>" in body  # the footnote, expandable (<details>) to its quotes
    attributed = [e for f in facts for e in f["evidence"] if e["attributed_to"]]
    assert attributed and shown("according to " + attributed[0]["attributed_to"], body)
    assert body.count("<details class=\"footnote\">") >= len(facts)


def test_entity_page_shows_names_where_seen_and_merges(client, gla):
    seen = {n["name"]: n["documents"] for n in gla["names_seen"]}
    assert {"GLA", "Gourma Liberation Army"} <= set(seen)
    assert len(seen["Gourma Liberation Army"]) == 8
    assert all(d["origin"].startswith(str(EXAMPLES)) or "examples/corpus/" in d["origin"]
               for docs in seen.values() for d in docs)
    page = _text(client.get(f"/entity/{gla['entity']['id']}").text)
    assert "GLA — seen in" in page


def test_entity_page_reads_names_from_its_first_documents_only(client, gla, monkeypatch):
    from tessera.web import views

    monkeypatch.setattr(views, "NAMES_SEEN_DOCUMENTS", 2)
    few = client.get(f"/entity/{gla['entity']['id']}.json").json()
    assert few["names_seen_documents"] == 2 and gla["names_seen_documents"] == gla["entity"]["documents"]
    read = {d["id"] for n in few["names_seen"] for d in n["documents"]}
    assert len(read) == 2 and read <= {d["id"] for n in gla["names_seen"] for d in n["documents"]}
    page = _text(client.get(f"/entity/{gla['entity']['id']}").text)
    assert f"As written in the first 2 of its {gla['entity']['documents']} documents" in page


def test_entity_page_and_timeline_say_when_they_show_only_part(client, gla, monkeypatch):
    from tessera.web import views

    assert gla["relations_shown"] == gla["relation_count"] > 1 and gla["event_count"] == len(gla["events"]) > 1
    monkeypatch.setattr(views, "PROFILE_FACTS", 1)
    monkeypatch.setattr(views, "TIMELINE_ITEMS", 1)
    one = client.get(f"/entity/{gla['entity']['id']}.json").json()
    assert one["relations_shown"] == 1 and len(one["events"]) == 1
    assert (one["relation_count"], one["event_count"]) == (gla["relation_count"], gla["event_count"])
    page = _text(client.get(f"/entity/{gla['entity']['id']}").text)
    assert f"The 1 best-supported of its {gla['relation_count']} relations." in page
    assert f"The latest 1 of its {gla['event_count']} events" in page
    timeline = client.get("/timeline.json").json()
    assert timeline["limited"] and len(timeline["items"]) + len(timeline["apart"]) <= 2
    assert "(the latest 1 events and 1 relations of" in _text(client.get("/timeline").text)


def test_pages_of_a_crowded_kb_say_how_many_in_all(crowded_db):
    """The pages read the library's default page and say "N of TOTAL" (tests/conftest.py: crowded_db has 60
    relations, 230 events and 40 conflicts, more than a page of each)."""
    from tessera.kb import CONFLICTS_LIMIT, PROFILE_LIMIT, TIMELINE_LIMIT

    crowded = TestClient(create_app(crowded_db))
    entity = crowded.get("/entity/ent-big.json").json()
    assert entity["relations_shown"] == PROFILE_LIMIT and len(entity["events"]) == PROFILE_LIMIT
    assert (entity["relation_count"], entity["event_count"]) == (CROWDED["relations"], CROWDED["events"])
    page = _text(crowded.get("/entity/ent-big").text)
    assert f"The {PROFILE_LIMIT} best-supported of its {CROWDED['relations']} relations." in page
    assert f"The latest {PROFILE_LIMIT} of its {CROWDED['events']} events" in page
    timeline = crowded.get("/timeline.json?entity=ent-big").json()
    assert len(timeline["items"]) == TIMELINE_LIMIT + CROWDED["relations"] and timeline["limited"]
    assert (timeline["relation_count"], timeline["event_count"]) == (CROWDED["relations"], CROWDED["events"])
    assert (f"{TIMELINE_LIMIT + CROWDED['relations']} dated items (the latest {TIMELINE_LIMIT} events and "
            f"{CROWDED['relations']} relations of {CROWDED['events']} events and {CROWDED['relations']} relations; "
            "earlier ones") in _text(crowded.get("/timeline?entity=ent-big").text)
    conflicts = crowded.get("/conflicts.json").json()
    assert len(conflicts["conflicts"]) == CONFLICTS_LIMIT and conflicts["pagination"]["total"] == CROWDED["conflicts"]
    assert f"{CROWDED['conflicts']} conflicts;" in _text(crowded.get("/conflicts").text)
    rest = crowded.get("/conflicts.json?page=2").json()
    assert len(rest["conflicts"]) == CROWDED["conflicts"] - CONFLICTS_LIMIT and rest["pagination"]["next"] is None


def test_entity_page_and_timeline_page_on_to_the_rest(client, gla, monkeypatch):
    from tessera.web import views

    monkeypatch.setattr(views, "PROFILE_FACTS", 2)
    monkeypatch.setattr(views, "TIMELINE_ITEMS", 2)
    url = f"/entity/{gla['entity']['id']}"
    pages = [client.get(f"{url}.json?page={n}").json() for n in range(1, 30)]
    pages = [p for p in pages if p["relations_shown"] or p["events"]]
    seen = [f["id"] for p in pages for s in p["sections"] for f in s["facts"]]
    assert sorted(seen) == sorted(f["id"] for s in gla["sections"] for f in s["facts"])  # each once, none lost
    assert sorted(ev["id"] for p in pages for ev in p["events"]) == sorted(ev["id"] for ev in gla["events"])
    assert pages[0]["pagination"]["next"] == 2 and pages[-1]["pagination"]["next"] is None
    first, second = _text(client.get(url).text), _text(client.get(f"{url}?page=2").text)
    assert f"The 2 best-supported of its {gla['relation_count']} relations. The next 2" in first
    assert f"Relations 3 to 4 of its {gla['relation_count']}, the best supported first." in second
    assert f"Events 3 to 4 of its {gla['event_count']}, the latest first" in second
    # the timeline: the latest first, then earlier ones, none twice
    tl = [client.get(f"/timeline.json?page={n}").json() for n in (1, 2)]
    ids = [[i["id"] for i in t["items"] + t["apart"]] for t in tl]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    assert max(i["start"] for i in tl[1]["items"]) <= max(i["start"] for i in tl[0]["items"])
    assert "earlier ones" in _text(client.get("/timeline").text)
    assert "later ones" in _text(client.get("/timeline?page=2").text)


def test_a_footnote_with_many_quotes_shows_the_first_and_links_to_them_all(client, gla, monkeypatch):
    from tessera.web import views

    monkeypatch.setattr(views, "QUOTES_SHOWN", 1)
    one = client.get(f"/entity/{gla['entity']['id']}.json").json()
    before = {f["id"]: f for s in gla["sections"] for f in s["facts"]}
    facts = [f for s in one["sections"] for f in s["facts"]]
    assert all(len(f["evidence"]) == 1 and f["support"] == before[f["id"]]["support"] for f in facts)
    assert {f["id"] for f in facts if f["quotes_more"]} == {i for i, f in before.items() if len(f["evidence"]) > 1} != set()
    assert all(ev["quotes_more"] == (len(old["evidence"]) > 1) and ev["support"] == old["support"]
               for ev, old in zip(one["events"], gla["events"]))
    many = next(f for f in facts if f["quotes_more"])
    page = client.get(f"/entity/{gla['entity']['id']}").text
    assert f'The first 1 quotes; <a href="/relation/{many["id"]}">all of them</a>' in page
    assert len(client.get(f"/relation/{many['id']}.json").json()["relation"]["evidence"]) > 1


def test_network_draws_the_most_documented_entities_and_says_so(client):
    every = client.get("/network.json").json()
    assert every["limited"] is False and every["note"] == f"{len(every['nodes'])} entities, {len(every['edges'])} relations."
    two = client.get("/network.json?top=2").json()
    assert two["limited"] and 1 <= len(two["nodes"]) <= 2 and two["filters"]["top"] == 2
    assert two["note"].startswith("The 2 organizations and people named in the most documents")
    most = sorted(every["nodes"], key=lambda n: -n["documents"])[:2]
    assert {n["id"] for n in two["nodes"]} <= {n["id"] for n in most}
    assert all({e["source"], e["target"]} <= {n["id"] for n in two["nodes"]} for e in two["edges"])
    assert client.get("/network.json?top=abc").json()["filters"]["top"] == 300  # the default
    assert client.get("/network.json?top=99999").json()["filters"]["top"] == 2000  # the most it draws
    assert "named in the most documents" in client.get("/network").text  # the form says what ?top= means


def test_home_lists_the_first_documents_and_the_latest_events(client, monkeypatch):
    from tessera.web import views

    every = client.get("/index.json").json()
    assert len(every["documents"]) == every["overview"]["documents"] == 8
    dates = [ev["date"] for ev in every["latest_events"]]
    assert dates and dates == sorted(dates, key=views._date_order, reverse=True)
    monkeypatch.setattr(views, "HOME_DOCUMENTS", 3)
    few = client.get("/index.json").json()
    assert few["documents"] == every["documents"][:3]
    assert "The first 3 of 8 documents, by origin." in _text(client.get("/").text)


def test_merged_names_are_listed_with_their_reason(client):
    person = client.get("/entity/Souleymane Harouna.json").json()
    assert {"Haruna", "Sulaiman Harouna"} <= {n["name"] for n in person["names_seen"]}
    assert person["merges"] and all(m["reason"] for m in person["merges"])
    page = client.get(f"/entity/{person['entity']['id']}").text
    m = person["merges"][0]
    assert shown(f"“{m['name']}” joined “{m['into']}”: {m['reason']}", page)


def test_entity_page_lists_attacks_with_every_role_and_merged_accounts(client, gla):
    ambush = next(ev for ev in gla["events"] if ev["date"] == "2021-05-09")
    assert ambush["subtype"] == "ambush"
    assert {v["value"] for v in ambush["killed"]} == {14, 17}
    assert ambush["perpetrators"][0]["name"] == "Gourma Liberation Army"
    assert ambush["victims"] and all(v["evidence"] for v in ambush["victims"])
    assert ambush["merges"] and ambush["opened_by"]
    page = _text(client.get(f"/entity/{gla['entity']['id']}").text)
    assert "accounts merged into this event" in page
    merge = ambush["merges"][0]
    assert f"+ {merge['document']['origin']} (score {merge['score']}: {merge['reason']})" in page
    for role in ("perpetrators", "claimed by", "victims", "killed", "wounded"):
        assert role in page


def test_unknown_ids_give_a_clean_404(client):
    for url in ("/entity/ent-0000000000", "/document/" + "0" * 64, "/relation/rel-nope", "/no/such/page"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.headers["content-type"].startswith("text/html")
        assert "<h1>Not found</h1>" in r.text and "Traceback" not in r.text
    r = client.get("/entity/ent-0000000000.json")
    assert r.status_code == 404 and "ent-0000000000" in r.json()["error"]
    r = client.get("/entities.json?type=weapon")
    assert r.status_code == 404 and "known: organization, person, location" in r.json()["error"]


def test_entities_paginate(client):
    first = client.get("/entities.json?per_page=10").json()
    second = client.get("/entities.json?per_page=10&page=2").json()
    p = first["pagination"]
    assert p["total"] == 31 and p["pages"] == 4 and p["next"] == 2 and p["previous"] is None
    assert len(first["entities"]) == 10 and len(second["entities"]) == 10
    assert not {e["id"] for e in first["entities"]} & {e["id"] for e in second["entities"]}
    assert first["entities"][0]["name"] == "Gourma Liberation Army"  # most mentioned first
    last = client.get("/entities.json?per_page=10&page=4").json()
    assert len(last["entities"]) == 1 and last["pagination"]["next"] is None
    page = client.get("/entities?per_page=10&page=2").text
    assert 'rel="next" href="/entities?per_page=10&amp;page=3"' in page
    assert 'rel="prev" href="/entities?per_page=10&amp;page=1"' in page
    people = client.get("/entities.json?type=person").json()
    assert people["entities"] and {e["type"] for e in people["entities"]} == {"person"}


def test_conflicts_show_every_value_with_sources_and_quotes(client):
    data = client.get("/conflicts.json").json()
    assert data["pagination"]["total"] == 3
    killed = next(c for c in data["conflicts"] if c["field"] == "killed")
    sides = {v["value"]: v for v in killed["values"]}
    assert set(sides) == {14, 17}
    assert [d.rsplit("/", 1)[-1] for d in sides[17]["documents"]] == ["103_ayorou_toll.jsonl:1"]
    assert sides[14]["support"] == 2
    page = client.get("/conflicts").text
    for v in killed["values"]:
        for e in v["evidence"]:
            assert shown(e["quote"], page)
    assert page.count('<div class="side">') == sum(len(c["values"]) for c in data["conflicts"])
    one = client.get("/conflicts.json?per_page=1&page=3").json()
    assert len(one["conflicts"]) == 1 and one["conflicts"][0]["id"] == data["conflicts"][2]["id"]


def test_document_page_links_mentions_and_sets_apart_furniture_and_comments(client, web_db):
    with KnowledgeBase.open(web_db, readonly=True) as kb:
        doc = next(d for d in kb.documents() if d.origin.endswith("102_gla_profile.txt"))
        comment = next(r for r in doc.regions if r.kind == "comment")
    data = client.get(f"/document/{doc.id}.json").json()
    assert data["document"]["origin"] == doc.origin
    assert data["comments"] and data["furniture"] is not None
    comment_text = "".join(s["text"] for b in data["comments"] for s in b["segments"])
    assert comment_text == doc.text[comment.start:comment.end]
    main_text = "".join(s["text"] for b in data["text"] for s in b["segments"])
    assert doc.text[comment.start:comment.end] not in main_text
    linked = [s for b in data["text"] for s in b["segments"] if s["entity"]]
    assert any(s["entity"]["name"] == "Gourma Liberation Army" for s in linked)
    assert all(doc.text[s["start"]:s["start"] + len(s["text"])] == s["text"] for s in linked)
    page = client.get(f"/document/{doc.id}?hl=0-10").text
    gla_id = next(s["entity"]["id"] for s in linked if s["entity"]["name"] == "Gourma Liberation Army")
    assert f'href="/entity/{gla_id}"' in page
    assert '<section class="apart comments">' in page and "Reader comments" in page
    assert '<mark id="hl">' in page


def test_search_highlights_terms_and_links_documents_and_entities(client):
    data = client.get("/search.json?q=ambush").json()
    assert data["hits"] and all("ambush" in h["sentence"].lower() for h in data["hits"])
    assert all(any(s["hit"] and s["text"].lower().startswith("ambush") for s in h["segments"]) for h in data["hits"])
    page = client.get("/search?q=ambush").text
    assert re.search(r"<mark>[Aa]mbush\w*</mark>", page)
    hit = data["hits"][0]
    assert f'/document/{hit["document"]["id"]}?hl={hit["start"]}-{hit["end"]}' in page
    with_entity = next(h for h in data["hits"] if h["entities"])
    assert f'href="/entity/{with_entity["entities"][0]["id"]}"' in page
    one = client.get("/search.json?q=ambush&per_page=1").json()
    two = client.get("/search.json?q=ambush&per_page=1&page=2").json()
    assert one["pagination"]["next"] == 2 and two["pagination"]["previous"] == 1
    assert (one["hits"][0]["document"]["id"], one["hits"][0]["start"]) != (two["hits"][0]["document"]["id"],
                                                                           two["hits"][0]["start"])
    none = client.get("/search?q=zzzqqq")
    assert none.status_code == 200 and "No sentence matches" in html.unescape(none.text)


def test_network_json_filters_by_relation_type_entity_type_and_dates(client):
    data = client.get("/network.json").json()
    names = {n["name"] for n in data["nodes"]}
    assert {"Gourma Liberation Army", "Souleymane Harouna"} <= names
    assert {n["type"] for n in data["nodes"]} <= {"organization", "person"}
    ids = {n["id"] for n in data["nodes"]}
    assert data["edges"] and all(e["source"] in ids and e["target"] in ids and e["support"] >= 1
                                 for e in data["edges"])
    led = client.get("/network.json?predicate=led_by").json()
    assert led["edges"] and {e["predicate"] for e in led["edges"]} == {"led_by"}
    orgs = client.get("/network.json?type=organization").json()
    assert orgs["nodes"] and {n["type"] for n in orgs["nodes"]} == {"organization"}
    pledge = next(e for e in data["edges"] if e["predicate"] == "pledged_allegiance_to")
    assert pledge["date"] == "2021-03-03"
    dated_only = client.get("/network.json?since=2021&until=2021&undated=0").json()
    assert [e["id"] for e in dated_only["edges"]] == [pledge["id"]]
    later = client.get("/network.json?since=2022&undated=0").json()
    assert later["edges"] == [] and later["nodes"] == []
    page = client.get("/network").text
    assert "/static/vendor/cytoscape/cytoscape.min.js" in page and 'id="network-data"' in page
    relation = client.get(f"/relation/{pledge['id']}.json").json()["relation"]
    assert relation["evidence"] and relation["object"]["name"] == "Union of Sahel Mujahideen"
    assert shown(relation["evidence"][0]["quote"], client.get(f"/relation/{pledge['id']}").text)


def test_timeline_keeps_dates_as_precise_as_given(client, gla):
    data = client.get("/timeline.json").json()
    by_date = {(i["date"], i["kind"]): i for i in data["items"]}
    assert by_date[("2011", "relation")]["precision"] == "year"
    month = by_date[("2020-11", "event")]
    assert (month["start"], month["end"], month["precision"]) == ("2020-11-01", "2020-12-01", "month")
    assert by_date[("2021-05-09", "event")]["precision"] == "day"
    assert [i["date"] for i in data["apart"]] == ["--09-14"]  # yearless: listed apart, not placed
    assert not any(i["date"].startswith("--") for i in data["items"])
    page = client.get("/timeline").text
    assert '<ul id="yearless">' in page and "--09-14" in page
    assert "/static/vendor/vis-timeline/vis-timeline-graph2d.min.js" in page
    person = client.get("/timeline.json?entity=Amadou Tinibé").json()
    assert person["entity"]["name"] == "Amadou Tinibé"
    assert person["items"] and len(person["items"]) < len(data["items"])
    assert all(any(x["name"] == "Amadou Tinibé" for x in i["entities"]) for i in person["items"])


def test_timeline_offers_the_most_mentioned_entities_and_the_one_shown(client, monkeypatch):
    from tessera.web import views

    every = client.get("/timeline.json").json()["choices"]
    assert {c["type"] for c in every} == {"organization", "person"}
    monkeypatch.setattr(views, "TIMELINE_CHOICES", 1)
    few = client.get("/timeline.json").json()["choices"]
    assert [c["type"] for c in few] == ["organization", "person"] and few == [
        next(c for c in every if c["type"] == t) for t in ("organization", "person")]
    person = client.get("/timeline.json?entity=Amadou Tinibé").json()
    assert person["entity"] in person["choices"]


def test_pages_escape_what_documents_say(tmp_path):
    source = tmp_path / "evil.txt"
    source.write_text("Gunmen attack <script>alert(1)</script> post\n\n"
                      "NIAMEY, 3 March 2022 - Gunmen from the Gourma Liberation Army attacked an army post "
                      "near Ouallam <b>on Tuesday</b>, killing five soldiers, the defence ministry said.\n",
                      encoding="utf-8")
    with KnowledgeBase.open(tmp_path / "kb.db") as kb:
        kb.build([source])
        doc_id = kb.documents()[0].id
    client = TestClient(create_app(tmp_path / "kb.db"))
    for url in (f"/document/{doc_id}", "/search?q=tuesday", "/"):
        page = client.get(url).text
        assert "<script>alert" not in page and "<b>on Tuesday" not in page, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/document/{doc_id}").text


def test_the_app_never_writes_the_knowledge_base(web_db, client):
    before = _sha(web_db)
    siblings = sorted(p.name for p in web_db.parent.iterdir())
    urls = ["/", "/index.json", "/entities", "/entity/GLA", "/conflicts", "/search?q=army", "/network",
            "/network.json?type=person", "/timeline", "/timeline.json"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert _sha(web_db) == before
    assert sorted(p.name for p in web_db.parent.iterdir()) == siblings  # no journal, WAL or shm left


def test_serve_is_a_cli_command_that_fails_cleanly_on_a_missing_kb(tmp_path, capsys):
    code = main(["serve", str(tmp_path / "missing.db")])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("tessera: ") and "no such knowledge base" in err
    with pytest.raises(Exception, match="no such knowledge base"):
        create_app(tmp_path / "missing.db")


def test_vendored_libraries_are_committed_with_licences():
    vendor = Path(__file__).resolve().parents[1] / "src" / "tessera" / "web" / "static" / "vendor"
    versions = (vendor / "VERSIONS").read_text(encoding="utf-8")
    assert re.search(r"^cytoscape \d+\.\d+\.\d+", versions, re.M) and re.search(r"^vis-timeline \d+\.", versions, re.M)
    for f in ("cytoscape/cytoscape.min.js", "cytoscape/LICENSE", "vis-timeline/vis-timeline-graph2d.min.js",
              "vis-timeline/vis-timeline-graph2d.min.css", "vis-timeline/LICENSE.md"):
        assert (vendor / f).stat().st_size > 0, f
    templates = (vendor.parent.parent / "templates")
    for t in templates.glob("*.html"):
        assert not re.search(r"""(src|href)=["']https?://""", t.read_text(encoding="utf-8")), t.name


def test_an_undated_event_on_an_entity_page_says_when_it_was_first_reported(client):
    tera = client.get("/entity/T%C3%A9ra.json").json()
    undated = [ev for ev in tera["events"] if not ev["date"]]
    assert undated and all(re.fullmatch(r"\d{4}-\d\d-\d\d", ev["first_reported"] or "") for ev in undated)
    page = _text(client.get(f"/entity/{tera['entity']['id']}").text)
    assert f"date unknown (first reported {undated[0]['first_reported']})" in page
