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
