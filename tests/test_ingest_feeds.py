"""RSS and Atom feeds: each item a document, bad feeds one clear error."""
from __future__ import annotations

from tessera.errors import IngestError
from tessera.ingest import iter_inputs

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Sahel Wire</title>
<item><title>Gunmen attack convoy near Gao</title><link>https://example.org/a</link>
<pubDate>Tue, 02 Mar 2021 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Gunmen attacked a convoy near Gao on Monday, killing four soldiers.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://example.org/b</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Horn Monitor</title>
<entry><title>Bus attacked near Garissa</title><link href="https://example.org/c"/>
<published>2021-01-13T08:00:00Z</published><summary>Gunmen opened fire on a bus near Garissa.</summary></entry>
</feed>"""


def test_rss_items_are_documents_and_an_empty_item_is_an_error(tmp_path):
    (tmp_path / "wire.rss").write_text(RSS, encoding="utf-8")
    out = list(iter_inputs([tmp_path]))
    docs = [d for d in out if not isinstance(d, IngestError)]
    errors = [e for e in out if isinstance(e, IngestError)]
    assert len(docs) == 1 and docs[0].origin == "https://example.org/a"
    assert docs[0].published == "2021-03-02" and docs[0].title == "Gunmen attack convoy near Gao"
    assert "killing four soldiers" in docs[0].text and "<p>" not in docs[0].text
    assert [e.origin for e in errors] == ["https://example.org/b"]


def test_atom_entries_and_broken_feeds(tmp_path):
    (tmp_path / "horn.atom").write_text(ATOM, encoding="utf-8")
    (tmp_path / "broken.xml").write_text("<rss><channel><item>", encoding="utf-8")
    out = list(iter_inputs([tmp_path]))
    docs = [d for d in out if not isinstance(d, IngestError)]
    errors = [e for e in out if isinstance(e, IngestError)]
    assert [d.published for d in docs] == ["2021-01-13"]
    assert len(errors) == 1 and errors[0].origin.endswith("broken.xml") and "feed" in errors[0].reason


# ---- broken feeds, as real sites serve them, made of the example articles (issue #8, part 6) ----

import html as _html  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402

from tessera.models import Document  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "corpus"


def _articles() -> list[tuple[str, str]]:
    """(title, body paragraphs) of the example plain-text articles."""
    out = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        out.append((title.strip(), [p.strip() for p in body.split("\n\n") if p.strip()][:4]))
    return out


def _rss_item(title: str, paragraphs: list[str], link: str, date: str | None, entity_style: str = "escaped") -> str:
    if entity_style == "escaped":  # the usual: HTML escaped inside <description>
        body = _html.escape("".join(f"<p>{p}</p>" for p in paragraphs))
    else:  # HTML entities XML does not define, straight in the element
        body = "".join(f"{_html.escape(p).replace(' ', '&nbsp;', 1).replace('é', '&eacute;')}&hellip;<br>"
                       for p in paragraphs)
    pub = f"<pubDate>{date}</pubDate>" if date else ""
    return f"<item><title>{_html.escape(title)}</title><link>{link}</link>{pub}<description>{body}</description></item>"


def _parse(tmp_path, name: str, data: bytes) -> tuple[list[Document], list[IngestError]]:
    (tmp_path / name).write_bytes(data)
    out = list(iter_inputs([tmp_path / name]))
    return [d for d in out if isinstance(d, Document)], [e for e in out if isinstance(e, IngestError)]


def test_rss_of_the_example_articles_keeps_each_title_text_and_date(tmp_path):
    articles = _articles()
    items = [_rss_item(t, ps, f"https://example.org/{i}", f"Sun, 0{i % 9 + 1} May 2021 23:30:00 -0500")
             for i, (t, ps) in enumerate(articles)]
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>W</title>{"".join(items)}</channel></rss>'
    docs, errors = _parse(tmp_path, "wire.rss", feed.encode("utf-8"))
    assert not errors and len(docs) == len(articles)
    for i, (doc, (title, paragraphs)) in enumerate(zip(docs, articles)):
        assert doc.title == " ".join(title.split()) and doc.origin == f"https://example.org/{i}"
        assert all(" ".join(p.split()) in doc.text for p in paragraphs)
        assert doc.published == f"2021-05-0{i % 9 + 1}"  # the day printed, not the next day in UTC
        assert doc.warnings == ()


def test_unclosed_tags_truncated_feed_and_html_entities_are_read_leniently(tmp_path):
    (title1, paras1), (title2, paras2) = _articles()[:2]
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel Wire</title>'
            + _rss_item(title1, paras1, "https://example.org/1", "Tue, 11 May 2021 10:00:00 GMT", "entities")[
                :-len("</item>")]  # <item> never closed, <br> inside the text never closed, &nbsp; &eacute; &hellip;
            + _rss_item(title2, paras2, "https://example.org/2", None)[:-len("</item>")])  # the file ends here
    docs, errors = _parse(tmp_path, "broken.xml", feed.encode("utf-8"))
    assert not errors and [d.origin for d in docs] == ["https://example.org/1", "https://example.org/2"]
    first, second = docs
    assert " ".join(paras1[0].split()) in first.text.replace("\xa0", " ")  # &nbsp; &eacute; &hellip; decoded
    assert "&eacute;" not in first.text and "&nbsp;" not in first.text
    assert first.published == "2021-05-11"
    assert second.published is None and " ".join(paras2[0].split()) in second.text  # no date: unknown
    assert all(any("not well-formed" in w for w in d.warnings) for d in docs)
    # cut inside the last item's text: that item is named as an error, the others still go in
    docs, errors = _parse(tmp_path, "cut.xml", feed[:-len("</description>") - 40].encode("utf-8"))
    assert [d.origin for d in docs] == ["https://example.org/1"] and [e.origin for e in errors] == ["https://example.org/2"]


def test_a_wrong_encoding_declaration_is_overruled_by_the_bytes(tmp_path):
    accented = [(t, ps) for t, ps in _articles() if not " ".join(ps).isascii()]
    assert accented
    title, paragraphs = accented[0]
    item = _rss_item(title, paragraphs, "https://example.org/a", "Tue, 11 May 2021 10:00:00 GMT")
    body = f'<rss version="2.0"><channel><title>W</title>{item}</channel></rss>'
    # says Latin-1, is UTF-8
    docs, errors = _parse(tmp_path, "says_latin.rss", ('<?xml version="1.0" encoding="iso-8859-1"?>' + body).encode("utf-8"))
    assert not errors and " ".join(paragraphs[0].split()) in docs[0].text and docs[0].warnings == ()
    # says UTF-8, is Windows-1252
    docs, errors = _parse(tmp_path, "says_utf8.rss", ('<?xml version="1.0" encoding="utf-8"?>' + body).encode("cp1252"))
    assert not errors and " ".join(paragraphs[0].split()) in docs[0].text
    assert docs[0].warnings == ("not UTF-8: decoded as cp1252 (Windows-1252, detected)",)


def test_atom_with_html_content_and_a_feed_of_json_is_an_error(tmp_path):
    title, paragraphs = _articles()[0]
    content = _html.escape("".join(f"<p>{p}</p>" for p in paragraphs))
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>H</title>'
            f'<entry><title>{_html.escape(title)}</title><link href="https://example.org/x"/>'
            f'<updated>2021-05-11T08:00:00Z</updated><content type="html">{content}</content></entry></feed>')
    docs, errors = _parse(tmp_path, "h.atom", atom.encode("utf-8"))
    assert not errors and docs[0].published == "2021-05-11"
    assert docs[0].text.rstrip("\n").split("\n\n")[1:] == [" ".join(p.split()) for p in paragraphs]
    docs, errors = _parse(tmp_path, "not_a_feed.xml", json.dumps({"title": title}).encode())
    assert not docs and len(errors) == 1 and "feed" in errors[0].reason
