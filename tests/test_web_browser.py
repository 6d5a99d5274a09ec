"""The workbench in a real browser: Debian's Chromium (/usr/bin/chromium) driven by playwright.

uvicorn serves the app on a free loopback port from a thread. Skipped, with the reason, when
Chromium or the playwright package is missing (`.ci/run` installs Chromium; never run
`playwright install`, which downloads a browser).
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from tessera.models import Entity, Evidence, Relation
from tessera.store import Store

from .webserver import Server as _Server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed "
                                                             "(pip install -e '.[test]')")


@pytest.fixture(scope="module")
def server(examples_db_closed):
    """The example corpus (built once per session by conftest) served by uvicorn."""
    with _Server(examples_db_closed) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # nothing may leave the machine: every request must go to the local server
    outside: list[str] = []
    pg.on("request", lambda req: None if req.url.startswith(("http://127.0.0.1:", "data:", "blob:"))
          else outside.append(req.url))
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not outside, f"requests outside the local server: {outside}"


def test_network_renders_nodes_and_a_click_opens_the_entity(server, page):
    page.goto(server.url + "/network")
    page.wait_for_function("window.tesseraGraph && window.tesseraGraph.nodes().length > 0")
    assert page.locator("#cy canvas").count() >= 1
    expected = len(__import__("json").loads(page.locator("#network-data").text_content())["nodes"])
    assert page.evaluate("window.tesseraGraph.nodes().length") == expected > 5
    assert page.evaluate("window.tesseraGraph.edges().length") > 5
    # click the Gourma Liberation Army's node where Cytoscape drew it
    box = page.locator("#cy").bounding_box()
    pos = page.evaluate("""() => { const n = window.tesseraGraph.nodes().filter(n => n.data('label') === 'Gourma Liberation Army')[0];
                                   const p = n.renderedPosition(); return {x: p.x, y: p.y, id: n.id()}; }""")
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_url(f"**/entity/{pos['id']}")
    assert page.locator("h1").inner_text().startswith("Gourma Liberation Army")


def test_network_edge_click_shows_its_evidence_and_filters_apply(server, page):
    page.goto(server.url + "/network")
    page.wait_for_function("window.tesseraGraph && window.tesseraGraph.edges().length > 0")
    # (void: returning the Cytoscape element would make playwright serialize the whole graph)
    page.evaluate("void window.tesseraGraph.edges().filter(e => e.data('predicate') === 'pledged_allegiance_to')[0].emit('tap')")
    panel = page.locator("#edge-panel")
    panel.locator("blockquote").first.wait_for()
    assert "pledged allegiance to Union of Sahel Mujahideen" in panel.inner_text()
    # keep only "led by": the graph is re-drawn from /network.json
    for box in page.locator("input[name=predicate]").all():
        if box.get_attribute("value") != "led_by":
            box.uncheck()
    page.locator("#network-filters button[type=submit]").click()
    page.wait_for_function("window.tesseraGraph.edges().every(e => e.data('predicate') === 'led_by')")
    assert page.evaluate("window.tesseraGraph.edges().length") >= 1
    assert "predicate=led_by" in page.url


def test_timeline_renders_items_on_the_axis(server, page):
    page.goto(server.url + "/timeline")
    page.wait_for_function("window.tesseraTimeline !== undefined")
    page.locator(".vis-item").first.wait_for()
    assert page.evaluate("window.tesseraTimelineItems.length") == 7
    assert page.locator(".vis-item.vis-range").count() >= 1  # a month or a year: a bar, not a point
    assert page.locator(".vis-item.vis-point").count() >= 1  # a day
    assert "--09-14" in page.locator("#yearless").inner_text()
    # filtered by a person: fewer items, all about him
    page.select_option("#entity", label="Amadou Tinibé (person)")
    page.locator("form.filters button").click()
    page.wait_for_function("window.tesseraTimelineItems && window.tesseraTimelineItems.length > 0")
    assert page.evaluate("window.tesseraTimelineItems.length") < 7
    assert page.locator("h1").inner_text() == "Timeline: Amadou Tinibé"


def test_entity_footnote_expands_to_its_quotes(server, page):
    page.goto(server.url + "/entity/GLA")
    footnote = page.locator("details.footnote").first
    quote = footnote.locator("blockquote").first
    assert not quote.is_visible()
    footnote.locator("summary").click()
    assert quote.is_visible()
    assert quote.inner_text().startswith("\u201c")
    # the quote's source opens the document with the quoted span marked
    quote.locator("footer a").first.click()
    page.wait_for_url("**/document/**")
    assert page.locator("mark#hl").count() == 1 and page.locator("mark").first.is_visible()


def test_search_highlights_the_terms(server, page):
    page.goto(server.url + "/")
    page.fill("#q", "ambush")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=ambush")
    marks = page.locator("ol.hits mark")
    assert marks.count() >= 3
    assert all(t.lower().startswith("ambush") for t in marks.all_inner_texts())
    assert page.locator("ol.hits li.hit").count() >= 3


def _big_kb(path: Path, n: int = 2000) -> None:
    """A knowledge base of ``n`` organizations and people tied by ~1.5 n relations (no analysis: written directly)."""
    entities = [Entity(f"ent-{i:05d}", f"Group {i}" if i % 3 else f"Person {i}",
                       "person" if i % 3 == 0 else "organization", (), 1, 1 + i % 7) for i in range(n)]
    predicates = ("allied_with", "member_of", "led_by", "pledged_allegiance_to")
    rng = random.Random(7)
    relations = []
    for i in range(1, n):
        for j, other in enumerate((rng.randrange(i), rng.randrange(n))):
            if other != i and (j == 0 or i % 2 == 0):
                ev = Evidence("doc-synthetic", 0, 10, f"Group {i} and Group {other}", extractor="test")
                relations.append(Relation(f"rel-{i:05d}-{j}", entities[i].id, predicates[(i + j) % 4], (ev,),
                                          object=entities[other].id, date=f"{2000 + i % 20}"))
    with Store.open(path) as store:
        store.replace_knowledge(entities, [], [], relations, [], [])


def test_network_is_usable_at_two_thousand_nodes(tmp_path, browser):
    db = tmp_path / "big.db"
    _big_kb(db)
    with _Server(db) as s:
        pg = browser.new_page()
        started = time.monotonic()
        pg.goto(s.url + "/network")
        pg.wait_for_function("window.tesseraGraph && window.tesseraGraph.nodes().length > 1900", timeout=30_000)
        drawn = time.monotonic() - started
        nodes = pg.evaluate("window.tesseraGraph.nodes().length")
        assert nodes > 1900
        assert drawn < 15, f"the 2,000-node network took {drawn:.1f}s to draw"
        # still interactive: a click on a node opens its page
        box = pg.locator("#cy").bounding_box()
        # zoomed in on the best-connected node, as an analyst would before clicking it
        pos = pg.evaluate("""() => { const cy = window.tesseraGraph, n = cy.nodes().max(n => n.degree()).ele;
                                     cy.zoom(3); cy.center(n);
                                     const p = n.renderedPosition(); return {x: p.x, y: p.y, id: n.id()}; }""")
        pg.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
        pg.wait_for_url(f"**/entity/{pos['id']}", timeout=10_000)
        pg.close()
