"""Bytes -> text, whatever the encoding: UTF-8, a byte-order mark's, the declared one, or the detected one.

Nothing decodable is refused. A UTF-8 file with a few damaged bytes keeps its text with U+FFFD in
their place; a file in another encoding (Windows-1252, Latin-1, ...) is decoded in the encoding
``charset-normalizer`` detects. Either way the document carries a warning that says so. Only
binary files (NUL bytes, mostly control or high bytes) are refused, with the reason.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

# Byte-order marks, the longer first (UTF-32 LE's starts with UTF-16 LE's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF = 8192
# Control characters that never occur in text (tab, line feed, carriage return and form feed do).
_CONTROL_BYTES = frozenset(range(0, 32)) - {9, 10, 11, 12, 13, 27} | {127}
_MAX_CONTROL_SHARE = 0.05
_MAX_NUL_SHARE = 0.01
# valid UTF-8 sequences per undecodable one that make a file UTF-8 with damaged bytes
_UTF8_EVIDENCE = 10
# "a few" damaged bytes: more than this share of the characters is no damaged text but another format
_MAX_DAMAGED_SHARE = 0.02
# a reading this messy (charset-normalizer's mess ratio) is no text
_MAX_MESS = 0.2
_MAX_HIGH_SHARE_WHEN_UNDECODABLE = 0.3
REPLACEMENT = "\ufffd"
# how much messier than the detector's choice a Windows-1252 reading may be and still be taken
_WESTERN_SLACK = 0.05


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec used, e.g. "utf-8", "utf-16-le", "cp1252"
    warnings: tuple[str, ...] = ()


def binary_reason(sample: bytes) -> str | None:
    """Why these first bytes are not text, or None."""
    if sample.count(0) > len(sample) * _MAX_NUL_SHARE:  # a stray NUL is a damaged byte, many are a binary format
        return "binary file (it contains NUL bytes), not text"
    if sample and sum(b in _CONTROL_BYTES for b in sample) / len(sample) > _MAX_CONTROL_SHARE:
        return "binary file (mostly non-text bytes), not text"
    return None


def _text_binary_reason(text: str) -> str | None:
    sample = text[:_SNIFF]
    if sample and sum(ord(c) in _CONTROL_BYTES or c == "\x00" for c in sample) / len(sample) > _MAX_CONTROL_SHARE:
        return "binary file (mostly non-text characters once decoded), not text"
    return None


def _replaced(what: str, count: int, first: int) -> str:
    return (f"{count} undecodable byte sequence{'s' if count != 1 else ''} in {what} replaced with U+FFFD "
            f"(the first at byte offset {first})")


def _lenient_utf8(data: bytes, skip: int = 0) -> Decoded:
    text = data[skip:].decode("utf-8", errors="replace")
    count = text.count(REPLACEMENT) - data.count(REPLACEMENT.encode("utf-8"))
    try:
        data[skip:].decode("utf-8")
        first = -1
    except UnicodeDecodeError as error:
        first = skip + error.start
    return Decoded(text, "utf-8", (_replaced("UTF-8", count, first),) if count else ())


def _detected(data: bytes) -> Decoded | None:
    """The text in the encoding charset-normalizer finds, when it is not UTF-8.

    Windows-1252 (which reads Latin-1's letters alike) wins whenever it reads the bytes as cleanly
    as the detector's choice: on text with a few accented letters the detector picks among
    code pages that tie (cp1250, cp775, cp1006 ...), and for news in Western languages those
    letters are Windows-1252's. Cyrillic or Greek code pages read as Windows-1252 are a mess of
    symbols and accented capitals, so the detector's choice stands there."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(data).best()
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and mess_ratio(western, 1.0) <= (best.chaos if best else _MAX_MESS) + _WESTERN_SLACK:
        return Decoded(western, "cp1252", ("not UTF-8: decoded as cp1252 (Windows-1252, detected)",))
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    try:
        text = data.decode(best.encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    name = codecs.lookup(best.encoding).name
    return Decoded(text, name, (f"not UTF-8: decoded as {name} (detected by charset-normalizer)",))


def _declared(data: bytes, declared: str | None) -> Decoded | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
        if name == "utf-8":
            return None
        return Decoded(data.decode(name), name)
    except (LookupError, UnicodeDecodeError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """``data`` as text with the warnings a reader should see; ValueError (the reason) for binary data.

    In order: a byte-order mark's encoding; UTF-8; the encoding the file declares (an HTML
    ``<meta charset>``, an XML declaration); then UTF-8 with damaged bytes replaced when the
    file's other non-ASCII characters are valid UTF-8, else the encoding charset-normalizer detects."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if encoding == "utf-8":
                found = _lenient_utf8(data, len(bom))
            else:
                text = body.decode(encoding, errors="replace")
                count = text.count(REPLACEMENT) - body.decode(encoding, errors="ignore").count(REPLACEMENT)
                warnings = (f"{count} undecodable {encoding.upper()} sequence{'s' if count != 1 else ''} "
                            "replaced with U+FFFD",) if count else ()
                found = Decoded(text, encoding, warnings)
            reason = _text_binary_reason(found.text)
            if reason:
                raise ValueError(reason)
            return found
    reason = binary_reason(data[:_SNIFF])
    if reason:
        raise ValueError(reason)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    found = _declared(data, declared)
    if found is not None:
        return found
    lenient = _lenient_utf8(data)
    damaged = lenient.text.count(REPLACEMENT) - data.count(REPLACEMENT.encode("utf-8"))
    valid = sum(1 for c in lenient.text if c > "\x7f" and c != REPLACEMENT)
    # In another encoding a valid multi-byte UTF-8 sequence is rare (a capital accented letter
    # followed by a symbol byte: 1 or 2 in a hundred high bytes), so a file where they are more
    # than a tenth of the undecodable ones is UTF-8 with a few bytes gone wrong
    if valid and valid * _UTF8_EVIDENCE >= damaged and damaged <= len(lenient.text) * _MAX_DAMAGED_SHARE:
        return lenient
    found = _detected(data)
    if found is not None:
        return found
    sample = data[:_SNIFF]
    if sum(b >= 0x80 for b in sample) / len(sample) > _MAX_HIGH_SHARE_WHEN_UNDECODABLE:
        raise ValueError("binary file (mostly non-text bytes, in no encoding found), not text")
    return lenient
