"""Dataclass <-> JSON-able dict for the models the store keeps as JSON.

Decoding is driven by the dataclasses' type annotations, so a round trip is exact: tuples come
back as tuples, nested dataclasses as dataclasses, ``None`` stays ``None``. Unknown keys are
ignored and missing keys take the field's default, so older rows stay readable.
"""
from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import lru_cache
from typing import Any, TypeVar

from tessera.models import Document, DocumentAnalysis, EventClaim, Filler, LocalEntity, Region, RelationClaim

T = TypeVar("T")


def to_jsonable(obj: Any) -> Any:
    """A dataclass (or tuple/list of them, or a plain value) as JSON-able dicts and lists."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (tuple, list)):
        return [to_jsonable(item) for item in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    raise TypeError(f"cannot encode {type(obj).__name__} as JSON: {obj!r}")


def from_jsonable(tp: Any, data: Any) -> Any:
    """Rebuild a value of annotated type ``tp`` from what ``to_jsonable`` produced."""
    return _decoder(tp)(data)


def from_dict(cls: type[T], data: dict) -> T:
    """Rebuild dataclass ``cls`` from a dict made by ``to_jsonable``."""
    return _decoder(cls)(data)


def _same(data: Any) -> Any:
    return data


@lru_cache(maxsize=None)
def _decoder(tp: Any):
    """The function that rebuilds values of type ``tp`` (None stays None), worked out once per type from
    its annotations: decoding a stored analysis reads each type's shape once, not once per value."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        # one type besides None: that type's; several (str | int): the JSON value as it is
        return _decoder(options[0]) if len(options) == 1 else _same
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            if args[0] is Filler:  # analyses stored before fillers named victims by entity id alone
                return lambda data: None if data is None else tuple(item(x) for x in data if isinstance(x, dict))
            if item is _same:
                return lambda data: None if data is None else tuple(data)
            return lambda data: None if data is None else tuple(item(x) for x in data)
        if not args:
            return lambda data: None if data is None else tuple(data)
        items = [_decoder(a) for a in args]
        return lambda data: None if data is None else tuple(f(x) for f, x in zip(items, data))
    if origin is list:
        (arg,) = typing.get_args(tp) or (Any,)
        item = _decoder(arg)
        return lambda data: None if data is None else [item(x) for x in data]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp)]

        def build(data):
            if data is None:
                return None
            return tp(**{name: fn(data[name]) for name, fn in fields if name in data})
        return build
    if tp is float:
        return lambda data: float(data) if isinstance(data, int) and not isinstance(data, bool) else data
    return _same


# ---- the shapes the store writes ----


def encode_analysis(analysis: DocumentAnalysis) -> str:
    """A DocumentAnalysis as a JSON string."""
    return json.dumps(to_jsonable(analysis), ensure_ascii=False, separators=(",", ":"))


def decode_analysis(text: str) -> DocumentAnalysis:
    """A DocumentAnalysis from ``encode_analysis`` output."""
    return from_dict(DocumentAnalysis, json.loads(text))


def decode_claims(text: str) -> DocumentAnalysis:
    """``decode_analysis(text).claims_only()`` without decoding what that drops (mentions, sentences,
    entities other than persons): for refreshes that reconcile thousands of documents' claims."""
    data = json.loads(text)
    return DocumentAnalysis(
        document=data["document"],
        entities=_persons(data),
        relations=_decoder(tuple[RelationClaim, ...])(data["relations"]),
        events=_decoder(tuple[EventClaim, ...])(data["events"]),
        extractors=tuple(data.get("extractors") or ()))


def decode_events(text: str, indices) -> tuple[tuple[LocalEntity, ...], dict[int, EventClaim]]:
    """The persons (as ``decode_claims`` gives them) and the event claims at these indices of a stored analysis,
    nothing else decoded: for the events a refresh reads whole, one or two of a document's claims each."""
    data = json.loads(text)
    event = _decoder(EventClaim)
    return _persons(data), {i: event(data["events"][i]) for i in indices}


def _persons(data: dict) -> tuple[LocalEntity, ...]:
    """The persons of a stored analysis (its JSON, parsed), without their mentions."""
    entity = _decoder(LocalEntity)
    return tuple(entity({**e, "mentions": []}) for e in data["entities"] if e["type"] == "person")


def encode_regions(regions: tuple[Region, ...]) -> str:
    """A document's regions as a JSON string."""
    return json.dumps(to_jsonable(regions), separators=(",", ":"))


def decode_regions(text: str) -> tuple[Region, ...]:
    """A document's regions from ``encode_regions`` output."""
    return from_jsonable(tuple[Region, ...], json.loads(text))


def document_to_dict(doc: Document, *, text: bool = True) -> dict:
    """A Document as a JSON-able dict, optionally without its (long) text."""
    data = to_jsonable(doc)
    if not text:
        del data["text"]
    return data


def document_from_dict(data: dict, text: str | None = None) -> Document:
    """A Document from ``document_to_dict`` output; ``text`` fills in a dict made without it."""
    if text is not None:
        data = {**data, "text": text}
    return from_dict(Document, data)
