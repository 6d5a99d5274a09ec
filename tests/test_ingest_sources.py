"""Files, folders, globs, JSON lines and HTML -> Documents or IngestErrors (ingest.sources)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tessera.errors import IngestError
from tessera.ingest import iter_inputs
from tessera.models import Document

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ARTICLE = "Officials said the bridge reopened on Monday after repairs.\n\nTraffic resumed slowly.\n"


def run(*inputs: str | Path, max_bytes: int = 20_000_000) -> tuple[list[Document], list[IngestError]]:
    results = list(iter_inputs(inputs, max_bytes=max_bytes))  # must never raise
    docs = [r for r in results if isinstance(r, Document)]
    errors = [r for r in results if isinstance(r, IngestError)]
    assert len(docs) + len(errors) == len(results)
    return docs, errors


def one_error(*inputs: str | Path, max_bytes: int = 20_000_000) -> IngestError:
    docs, errors = run(*inputs, max_bytes=max_bytes)
    assert not docs and len(errors) == 1, (docs, errors)
    return errors[0]


def test_a_text_file_becomes_a_document(tmp_path: Path) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text("Bridge reopens\n\n" + ARTICLE, encoding="utf-8")
    (doc,), errors = run(path)
    assert not errors
    assert doc.origin == str(path) and doc.media_type == "text/plain" and doc.title == "Bridge reopens"


def test_a_leading_bom_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())
    (doc,), _ = run(path)
    assert doc.text == ARTICLE


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert "empty" in one_error(tmp_path / "empty.txt").reason
    (tmp_path / "blank.txt").write_text("  \n\n")
    assert "only whitespace" in one_error(tmp_path / "blank.txt").reason


def test_binary_files(tmp_path: Path) -> None:
    (tmp_path / "nul.txt").write_bytes(b"PK\x03\x04\x00\x00 some zip bytes")
    assert "binary" in one_error(tmp_path / "nul.txt").reason
    (tmp_path / "ctl.txt").write_bytes(bytes(range(1, 9)) * 50)
    assert "binary" in one_error(tmp_path / "ctl.txt").reason
    (tmp_path / "u16.txt").write_bytes(bytes(range(1, 9)).decode("latin-1").encode("utf-16") * 50)
    assert "binary" in one_error(tmp_path / "u16.txt").reason  # binary once decoded


def test_utf16_with_a_bom_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes(("Caf\u00e9 society\n\n" + ARTICLE).encode("utf-16"))
    (doc,), errors = run(tmp_path / "u16.txt")
    assert not errors and doc.text == "Caf\u00e9 society\n\n" + ARTICLE and doc.warnings == ()


def test_latin1_is_decoded_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes(("Caf\u00e9 society\n\n" + ARTICLE).encode("latin-1"))
    (doc,), errors = run(tmp_path / "latin.txt")
    assert not errors and doc.title == "Caf\u00e9 society"
    assert len(doc.warnings) == 1 and "not UTF-8" in doc.warnings[0] and "cp1252" in doc.warnings[0]


def test_oversize_file_names_size_limit_and_fix(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("x" * 200)
    error = one_error(tmp_path / "big.txt", max_bytes=100)
    assert "200 bytes" in error.reason and "100 bytes" in error.reason
    assert "split" in error.reason and "raise the limit" in error.reason


def test_missing_path_empty_folder_and_unsupported_extension(tmp_path: Path) -> None:
    assert "no such file or folder" in one_error(tmp_path / "nope.txt").reason
    (tmp_path / "empty").mkdir()
    assert "files found" in one_error(tmp_path / "empty").reason
    (tmp_path / "only_pdf").mkdir()
    (tmp_path / "only_pdf" / "report.pdf").write_bytes(b"%PDF-1.4")
    assert "files found" in one_error(tmp_path / "only_pdf").reason
    error = one_error(tmp_path / "only_pdf" / "report.pdf")
    assert "unsupported file type '.pdf'" in error.reason and ".txt" in error.reason
    assert "no files match" in one_error(str(tmp_path / "*.nothing")).reason


def test_permission_error_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE)

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert "permission denied" in one_error(path).reason


def test_folder_mixing_good_and_bad_files_yields_every_good_document(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "nested" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "b_good.txt").write_text("Second story\n\n" + ARTICLE)
    (root / "a_good.md").write_text("# First story\n\n" + ARTICLE.replace("bridge", "road"))
    (root / "nested" / "deeper" / "c_good.text").write_text(ARTICLE.replace("Monday", "Friday"))
    (root / "nested" / "page.html").write_bytes((FIXTURES / "article.html").read_bytes())
    shutil.copy(FIXTURES / "mixed.jsonl", root / "nested" / "feed.jsonl")
    (root / "empty.txt").write_bytes(b"")
    (root / "bad.txt").write_bytes(b"PK\x03\x04\x00\x00 zipped")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")  # unsupported: skipped silently
    (root / ".hidden" / "secret.txt").write_text(ARTICLE + "hidden")
    (root / ".dotfile.txt").write_text(ARTICLE + "dot")

    docs, errors = run(root)
    origins = [d.origin for d in docs]
    assert origins[:2] == [str(root / "a_good.md"), str(root / "b_good.txt")]  # sorted walk
    assert str(root / "nested" / "deeper" / "c_good.text") in origins
    assert str(root / "nested" / "page.html") in origins
    assert len(docs) == 3 + 1 + 3  # text files, the HTML page, three good JSON lines
    assert not any("hidden" in d.text or d.text.endswith("dot") for d in docs)
    assert sorted(Path(e.origin).name for e in errors) == ["bad.txt", "empty.txt", "feed.jsonl:3", "feed.jsonl:5"]
    assert run(root)[0] == docs  # deterministic


def test_glob_patterns(tmp_path: Path) -> None:
    for name in ("one.txt", "two.txt", "three.md", "skip.csv"):
        (tmp_path / name).write_text(f"{name}\n\n{ARTICLE}")
    docs, errors = run(str(tmp_path / "*.txt"))
    assert [Path(d.origin).name for d in docs] == ["one.txt", "two.txt"] and not errors
    docs, errors = run(str(tmp_path / "*"))
    assert len(docs) == 3 and not errors
    assert "files found" in one_error(str(tmp_path / "*.csv")).reason


def test_jsonl_good_lines_come_through_and_bad_lines_are_named() -> None:
    path = FIXTURES / "mixed.jsonl"
    docs, errors = run(path)
    assert [d.origin for d in docs] == [
        "https://example.org/news/checkpoint",
        f"{path}:2",
        f"{path}:6",
    ]
    first, second, third = docs
    assert first.title == "Checkpoint attacked" and first.published == "2020-07-17"
    assert second.title is None and second.published is None
    assert third.published == "2021-06-02"
    assert [e.origin for e in errors] == [f"{path}:3", f"{path}:5"]
    assert "not valid JSON" in errors[0].reason
    assert "'text'" in errors[1].reason


def test_jsonl_records_with_wrong_types(tmp_path: Path) -> None:
    path = tmp_path / "typed.jsonl"
    path.write_text('[1, 2]\n{"text": 5}\n{"text": "ok text", "title": 7}\n{"text": "x", "published": "soon"}\n')
    docs, errors = run(path)
    assert [e.origin for e in errors] == [f"{path}:{n}" for n in (1, 2)]
    assert "JSON object" in errors[0].reason and "'text'" in errors[1].reason
    # a field that cannot be read is left out with a warning; the text goes in
    titled, dated = docs
    assert titled.text == "ok text" and titled.warnings == ("'title' must be a string, got int: ignored",)
    assert dated.published is None and "'published' 'soon' is not a date" in dated.warnings[0]


def test_jsonl_line_over_the_limit_and_empty_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "short"}\n{"text": "' + "y" * 300 + '"}\n')
    docs, errors = run(path, max_bytes=100)
    assert len(docs) == 1 and [e.origin for e in errors] == [f"{path}:2"]
    assert "over the limit" in errors[0].reason
    (tmp_path / "empty.jsonl").write_text("\n\n")
    assert "empty" in one_error(tmp_path / "empty.jsonl").reason


def test_html_page_body_excludes_navigation_footer_and_comments() -> None:
    (doc,), errors = run(FIXTURES / "article.html")
    assert not errors
    assert doc.media_type == "text/html"
    assert doc.title == "Rebels seize river crossing after two-day siege"
    assert doc.published == "2019-04-12"
    body = " ".join(doc.text[r.start:r.end] for r in doc.regions_of("body"))
    assert "Kessel river crossing" in body and "open a corridor" in body
    for outside in ("World news desk", "Subscribe to our daily briefing", "All rights reserved",
                    "editorial standards", "third time the crossing", "civilians were trapped"):
        assert outside not in body
        assert outside not in doc.text or outside in " ".join(
            doc.text[r.start:r.end] for r in doc.regions_of("comment")
        )
    comments = [doc.text[r.start:r.end].strip() for r in doc.regions_of("comment")]
    assert any("third time the crossing" in c for c in comments)
    assert any("civilians were trapped" in c for c in comments)
    assert doc.regions[0].start == 0 and doc.regions[-1].end == len(doc.text)
    assert all(a.end == b.start for a, b in zip(doc.regions, doc.regions[1:]))


def test_html_without_a_date_or_main_text(tmp_path: Path) -> None:
    page = (FIXTURES / "article.html").read_text()
    undated = page.replace('<meta property="article:published_time" content="2019-04-12T08:30:00Z">', "")
    undated = undated.replace("on Thursday", "on Thursday, March 3, 2017,")
    (tmp_path / "undated.html").write_text(undated)
    (doc,), _ = run(tmp_path / "undated.html")
    assert doc.published is None  # a date in a sentence is not the page's date
    (tmp_path / "bare.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    assert "no main text" in one_error(tmp_path / "bare.html").reason


def test_html_declaring_another_charset_is_decoded(tmp_path: Path) -> None:
    page = (FIXTURES / "article.html").read_text().replace('charset="utf-8"', 'charset="windows-1252"')
    page = page.replace("local officials said", "local officials said in the caf\u00e9")
    (tmp_path / "cp.html").write_bytes(page.replace("<meta charset=\"utf-8\">", '<meta charset="windows-1252">')
                                       .encode("cp1252"))
    (doc,), errors = run(tmp_path / "cp.html")
    assert "caf\u00e9" in doc.text and not errors
