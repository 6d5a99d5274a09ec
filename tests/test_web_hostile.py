"""Hostile input to the workbench: markup and script from documents, bad ids, paths that climb out.

The knowledge base (``hostile_db_closed``, conftest) is built from a text file and a JSON Lines item
full of ``<script>``, ``onerror=``, ``javascript:`` and closing ``</script>`` tags, and its top
entities are then renamed to markup (``<b>x</b>``). Every page must show these as text: the HTML is
parsed and no tag, attribute or link may come from them. Ids and paths must give a 404 (or 400),
never a file's content and never a server error.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import HOSTILE_NAMES
from .webserver import Server

pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx (pip install -e '.[test]')")
from starlette.testclient import TestClient  # noqa: E402

from tessera.web import create_app  # noqa: E402

STATIC = Path(__file__).resolve().parents[1] / "src" / "tessera" / "web" / "static"


@pytest.fixture(scope="module")
def client(hostile_db_closed) -> TestClient:
    return TestClient(create_app(hostile_db_closed))


@pytest.fixture(scope="module")
def pages(client) -> dict[str, str]:
    """Every page of the hostile kb, by URL: home, lists, each entity, document and relation, searches."""
    home = client.get("/index.json").json()
    entities = client.get("/entities.json?per_page=500").json()["entities"]
    relations = {r["id"] for e in entities for s in client.get(f"/entity/{e['id']}.json").json()["sections"]
                 for r in s["facts"]}
    urls = ["/", "/entities", "/network", "/timeline", "/conflicts",
            *(f"/entity/{e['id']}" for e in entities), *(f"/timeline?entity={e['id']}" for e in entities[:3]),
            *(f"/document/{d['id']}" for d in home["documents"]),
            *(f"/document/{d['id']}?hl=0-200" for d in home["documents"]),
            *(f"/relation/{r}" for r in sorted(relations)),
            "/search?q=script", "/search?q=alert", "/search?q=onerror", "/search?q=javascript", "/search?q=gourma",
            "/search?q=%3Cscript%3Ealert(1)%3C/script%3E"]
    out = {}
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        out[url] = r.text
    return out


class _Markup(HTMLParser):
    """Every tag and attribute of a page, and the content of its inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


ALLOWED_TAGS = {"html", "head", "meta", "title", "link", "body", "header", "nav", "a", "span", "form", "label",
                "input", "button", "main", "h1", "h2", "h3", "p", "ul", "ol", "li", "section", "details", "summary",
                "blockquote", "footer", "strong", "small", "div", "article", "aside", "mark", "dl", "dt", "dd",
                "table", "thead", "tbody", "tr", "th", "td", "fieldset", "legend", "select", "option", "script"}


def _executable_markup(page: str) -> list[str]:
    """What on the page could run or load something it should not: each problem as a line."""
    parser = _Markup()
    parser.feed(page)
    problems = []
    for tag, attrs in parser.tags:
        if tag not in ALLOWED_TAGS:
            problems.append(f"<{tag}> on the page")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value is not None:
                if not (value.startswith(("/", "#")) or value == "data:,"):
                    problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and attrs.get("type") != "application/json" and not (attrs.get("src") or "").startswith("/static/"):
            problems.append(f"inline script {attrs}")
    for body in parser.scripts:  # the JSON data islands: a closing tag inside would end them early
        if "</" in body.lower() or "<script" in body.lower() or "<!--" in body:
            problems.append("markup inside a JSON data island")
    return problems


def test_the_hostile_corpus_reaches_the_pages(pages, client):
    """The payloads are there to be escaped: shown as text on the pages (else the other tests prove nothing)."""
    everything = "\n".join(pages.values())
    text = html.unescape(re.sub(r"<[^>]+>", " ", everything))
    for payload in ("<script>alert('title')</script>", "<img src=x onerror=alert('img')>",
                    "javascript:alert('link')", "</script><script>alert('close')</script>",
                    "<svg onload=alert('svg')>", "javascript:alert('origin')", *HOSTILE_NAMES):
        assert payload in text, payload
    assert "&lt;b&gt;x&lt;/b&gt;" in everything
    names = {e["name"] for e in client.get("/entities.json?per_page=500").json()["entities"]}
    assert set(HOSTILE_NAMES) <= names


def test_no_page_carries_markup_from_a_document(pages):
    for url, page in pages.items():
        assert _executable_markup(page) == [], url


def test_the_checker_sees_markup_that_would_run():
    """The page checker itself: it must flag what an unescaped page would carry."""
    page = '<p>ok</p><script src="/static/network.js"></script><script type="application/json">{"a": 1}</script>'
    assert _executable_markup(page) == []
    for bad in ("<b>x</b>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
                "<script>alert(1)</script>", '<script type="application/json">{"n": "</script><script>"}</script>',
                '<svg onload=alert(1)>'):
        assert _executable_markup(page + bad), bad


def test_json_twins_keep_markup_as_data(client, pages):
    """The .json twins carry the names as they are (JSON strings) and say they are JSON."""
    for url in ("/index.json", "/entities.json?per_page=500", "/network.json", "/timeline.json", "/search.json?q=script"):
        r = client.get(url)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json", url
    net = client.get("/network.json").json()
    assert set(HOSTILE_NAMES) & {n["name"] for n in net["nodes"]}


def test_the_pages_javascript_inserts_text_never_html():
    """network.js and timeline.js build the DOM with textContent: no HTML sink takes a string from the data."""
    for js in STATIC.glob("*.js"):
        source = js.read_text(encoding="utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in source, f"{js.name} uses {sink}"
    # vis-timeline renders a string title as HTML: the tooltip must be an element holding text
    timeline = (STATIC / "timeline.js").read_text(encoding="utf-8")
    assert re.search(r"title:\s*tip\b", timeline), "the timeline's tooltip must be an element, not a string"


MALFORMED_IDS = ["%00", "x" * 5000, "%E2%80%AEcod.exe", "%F0%9F%92%A3", "..%2F..%2Fetc%2Fpasswd",
                 "..%2f..%2f..%2fpyproject.toml", "%2e%2e", "ent-%27%20OR%201%3D1--", "ent-0000000000%00",
                 "%C0%AE%C0%AE", "%ff%fe"]


@pytest.mark.parametrize("kind", ["entity", "document", "relation"])
def test_unknown_and_malformed_ids_give_404_in_html_and_json(client, kind):
    for raw in MALFORMED_IDS:
        for url in (f"/{kind}/{raw}", f"/{kind}/{raw}.json"):
            r = client.get(url)
            assert r.status_code in (404, 400), (url[:80], r.status_code)
            assert "Traceback" not in r.text and "root:" not in r.text and "[project]" not in r.text
            if url.endswith(".json"):
                assert r.headers["content-type"] == "application/json" and r.json()["status"] == r.status_code
            else:
                assert r.headers["content-type"].startswith("text/html")


def test_malformed_query_parameters_never_break_a_page(client):
    """Bad page numbers, spans, searches and filters: a page or a 404/400, never a server error."""
    urls = ["/entities?page=-1", "/entities?page=99999999999999999999999", "/entities?per_page=-5",
            "/entities?page=abc", "/conflicts?page=99999999999999999999999", "/search?q=army&page=99999999999999999999999",
            '/search?q="', "/search?q=*", "/search?q=NEAR(", "/search?q=a%20OR", "/search?q=-", "/search?q=%00",
            "/search?q=" + "a" * 5000, "/network?since=%00&until=99999", "/network?type=%3Cb%3E&predicate=x",
            "/timeline?entity=%00", "/timeline?entity=..%2F..%2Fetc%2Fpasswd"]
    docs = client.get("/index.json").json()["documents"]
    urls += [f"/document/{docs[0]['id']}?hl={hl}" for hl in ("-5-3", "99999999-999999999", "abc", "5-2", "1-99999999999999999999")]
    for url in urls:
        for u in (url, url.replace("?", ".json?", 1)):
            r = client.get(u)
            assert r.status_code in (200, 400, 404), (u[:80], r.status_code)
            assert "Traceback" not in r.text


CLIMBS = ["/static/../app.py", "/static/%2e%2e/app.py", "/static/%2e%2e/%2e%2e/pyproject.toml",
          "/static/..%2f..%2fpyproject.toml", "/static/vendor/../../app.py", "/static/vendor/..%2F..%2Fapp.py",
          "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml", "/static/....//app.py", "/static/.%2e/app.py",
          "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/%00", "/static/..\\app.py",
          "/static/%5c..%5capp.py", "/../../etc/passwd", "/entity/../../etc/passwd", "/document/..%2f..%2fapp.py"]


def test_dot_dot_paths_never_read_a_file_outside_static(hostile_db_closed):
    """Over real HTTP with the path sent as written (a client would normalize ``..`` away)."""
    with Server(hostile_db_closed) as s:
        ok, body = s.raw_get("/static/network.js")
        assert ok == 200 and b"cytoscape(" in body  # the raw client does reach the files it may
        for target in CLIMBS:
            status, body = s.raw_get(target)
            assert status in (400, 404), (target, status)
            for secret in (b"def create_app", b"[project]", b"root:", b"import "):
                assert secret not in body, (target, secret)
            status, body = s.raw_get(target + ".json")
            assert status in (400, 404), (target + ".json", status)
