"""Inputs -> Documents: files, folders, glob patterns and JSON-lines collections.

Bad input never raises: each unreadable file, line or path comes out as an ``IngestError``
naming it, the reason and the fix, and the rest of the batch goes on.
"""
from __future__ import annotations

import codecs
import glob
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from tessera.errors import IngestError
from tessera.models import Document

from .decode import binary_reason, decode_bytes
from .documents import make_document, replace_non_text
from .dates import parse_date

# Extension -> media type of the stored text. Markdown is kept as plain text with its marks.
MEDIA_TYPES: dict[str, str] = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".jsonl": "application/jsonl",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/rss+xml",
}
SUPPORTED = ", ".join(MEDIA_TYPES)
NONE_FOUND = "no .txt, .text, .md, .html, .htm, .jsonl or feed (.rss, .atom, .xml) files found"
DEFAULT_MAX_BYTES = 20_000_000

_SNIFF_BYTES = 8192
_GLOB_MAGIC = re.compile(r"[*?[]")
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_text(data: bytes, fallback_encoding: str | None = None) -> str:
    """Bytes as text (see ``decode.decode_bytes``); ValueError with the reason for binary data."""
    return decode_bytes(data, fallback_encoding).text


def _too_big(size: int, max_bytes: int, what: str = "file") -> str:
    return (
        f"{what} is {size:,} bytes, over the limit of {max_bytes:,} bytes; "
        "split it into smaller files or raise the limit (max_bytes)"
    )


def _os_reason(error: OSError, what: str = "file") -> str:
    if isinstance(error, PermissionError):
        return f"permission denied: cannot read this {what}; check its permissions"
    return f"cannot read this {what}: {error.strerror or error}"


def _read_text_file(path: Path, media_type: str, max_bytes: int) -> Document:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(origin, _too_big(size, max_bytes))
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(origin, _os_reason(error)) from None
    if not data:
        raise IngestError(origin, "the file is empty (0 bytes)")
    if media_type == "text/html":
        from .html import declared_charset, html_to_document  # trafilatura loads only for HTML

        try:
            decoded = decode_bytes(data, declared_charset(data))
        except ValueError as error:
            raise IngestError(origin, str(error)) from None
        if not decoded.text.strip():
            raise IngestError(origin, "the file has no text (only whitespace)")
        page, replaced = replace_non_text(decoded.text)  # the HTML parser would drop them without a word
        return html_to_document(page, origin, warnings=decoded.warnings + replaced)
    try:
        decoded = decode_bytes(data)
    except ValueError as error:
        raise IngestError(origin, str(error)) from None
    if not decoded.text.strip():
        raise IngestError(origin, "the file has no text (only whitespace)")
    return make_document(decoded.text, origin, media_type=media_type, warnings=decoded.warnings)


_JSON_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _json_object(line: str):
    """The JSON value of a line; control characters are read inside strings (``strict=False``), and
    where they stand between tokens they are read as spaces: (value, warning) then."""
    try:
        return json.loads(line, strict=False)
    except json.JSONDecodeError:
        found = _JSON_CONTROL.findall(line)
        if not found:
            raise
        value = json.loads(_JSON_CONTROL.sub(" ", line), strict=False)
        return value, (f"{len(found)} control character{'s' if len(found) != 1 else ''} in the JSON line "
                       "read as spaces",)


def _jsonl_record(line: bytes | str, where: str) -> Document:
    warnings: tuple[str, ...] = ()
    try:
        if isinstance(line, bytes):
            decoded = decode_bytes(line)
            line, warnings = decoded.text, decoded.warnings
        record = _json_object(line)
        if isinstance(record, tuple):
            record, more = record
            warnings += more
    except ValueError as error:  # JSONDecodeError and binary bytes alike
        message = getattr(error, "msg", None)
        reason = f"not valid JSON ({message} at column {error.colno})" if message else str(error)
        raise IngestError(where, reason) from None
    if not isinstance(record, dict):
        raise IngestError(where, f"expected a JSON object with a 'text' field, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        reason = "no 'text' field" if text is None else "'text' must be a non-empty string"
        raise IngestError(where, f"{reason}; each line needs {{\"text\": \"...\"}}")
    # a field that cannot be read is left out with a warning: the text is what matters
    fields = {}
    for name in ("title", "url", "published"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            warnings += (f"'{name}' must be a string, got {type(value).__name__}: ignored",)
            value = None
        fields[name] = value.strip() if value and value.strip() else None
    if fields["published"] is not None and parse_date(fields["published"]) is None:
        warnings += (f"'published' {fields['published']!r} is not a date: the publication date is unknown",)
        fields["published"] = None
    source = fields["url"] or where
    try:
        return make_document(text, source, title=fields["title"], published=fields["published"], warnings=warnings)
    except IngestError as error:
        raise IngestError(where, error.reason) from None


def _jsonl_lines(handle) -> Iterator[bytes | str]:
    """The lines of a JSON Lines file: bytes, each decoded on its own, or text when a UTF-16 or
    UTF-32 byte-order mark says how the whole file is encoded (its lines are not byte lines)."""
    head = handle.read(4)
    handle.seek(0)
    if head.startswith(_WIDE_BOMS):
        text = decode_bytes(handle.read()).text
        yield from text.split("\n")
        return
    for number, line in enumerate(handle, start=1):
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]
        yield line


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Document | IngestError]:
    """One document per line; max_bytes applies to each line, as each line is one document."""
    origin = str(path)
    found = False
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
            reason = None if head.startswith(_WIDE_BOMS) else binary_reason(head)
            if reason:
                yield IngestError(origin, reason)
                return
            handle.seek(0)
            for number, line in enumerate(_jsonl_lines(handle), start=1):
                if not line.strip():
                    continue
                found = True
                where = f"{origin}:{number}"
                if len(line) > max_bytes:
                    yield IngestError(where, _too_big(len(line), max_bytes, "this line"))
                    continue
                try:
                    yield _jsonl_record(line, where)
                except IngestError as error:
                    yield error
    except OSError as error:
        yield IngestError(origin, _os_reason(error))
        return
    except ValueError as error:  # a UTF-16 file that is binary once decoded
        yield IngestError(origin, str(error))
        return
    if not found:
        yield IngestError(origin, "the file is empty (no JSON lines)")


def _read_file(path: Path, max_bytes: int) -> Iterator[Document | IngestError]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, max_bytes)
        return
    if suffix in (".rss", ".atom", ".xml"):
        from .feeds import read_feed

        yield from read_feed(path, max_bytes)
        return
    try:
        yield _read_text_file(path, MEDIA_TYPES[suffix], max_bytes)
    except IngestError as error:
        yield error


def _walk(folder: Path) -> Iterator[Path | IngestError]:
    """Supported files under ``folder``, sorted, hidden entries and symlinked folders skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        yield IngestError(str(folder), _os_reason(error, "folder"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = entry.is_file()
        except OSError as error:
            yield IngestError(str(path), _os_reason(error))
            continue
        if is_dir:
            yield from _walk(path)
        elif is_file and path.suffix.lower() in MEDIA_TYPES:
            yield path


def _read_many(
    origin: str, found: Iterable[Path | IngestError], max_bytes: int
) -> Iterator[Document | IngestError]:
    any_file = any_error = False
    for item in found:
        if isinstance(item, IngestError):
            any_error = True
            yield item
        else:
            any_file = True
            yield from _read_file(item, max_bytes)
    if not any_file and not any_error:
        yield IngestError(origin, NONE_FOUND)


def _glob(pattern: str) -> Iterator[Path | IngestError]:
    for match in sorted(glob.glob(pattern, recursive=True)):
        path = Path(match)
        if path.is_dir():
            yield from _walk(path)
        elif path.suffix.lower() in MEDIA_TYPES:
            yield path


def _iter_input(item: str | Path, max_bytes: int) -> Iterator[Document | IngestError]:
    origin = str(item)
    if not origin.strip():
        yield IngestError(repr(origin), "an empty path; give a file, a folder or a glob pattern")
        return
    path = Path(item)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as error:
        yield IngestError(origin, _os_reason(error, "path"))
        return
    if is_dir:
        yield from _read_many(origin, _walk(path), max_bytes)
    elif exists:
        if path.suffix.lower() not in MEDIA_TYPES:
            kind = f"'{path.suffix}'" if path.suffix else "with no extension"
            yield IngestError(origin, f"unsupported file type {kind}; supported: {SUPPORTED}")
        else:
            yield from _read_file(path, max_bytes)
    elif _GLOB_MAGIC.search(origin):
        if not glob.glob(origin, recursive=True):
            yield IngestError(origin, "no files match this pattern")
        else:
            yield from _read_many(origin, _glob(origin), max_bytes)
    else:
        yield IngestError(origin, "no such file or folder")


def iter_inputs(
    inputs: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Document | IngestError]:
    """Documents from files, folders (recursive) and glob patterns; bad inputs as IngestError."""
    for item in inputs:
        yield from _iter_input(item, max_bytes)
