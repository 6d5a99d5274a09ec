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

from tessera.models import Document, DocumentAnalysis, Filler, Region

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
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(options) == 1:
            return from_jsonable(options[0], data)
        for option in options:  # e.g. str | int: keep the JSON value if it already fits
            if isinstance(option, type) and isinstance(data, option):
                return data
        return data
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            if args[0] is Filler:  # analyses stored before fillers named victims by entity id alone
                data = [item for item in data if isinstance(item, dict)]  # no evidence to keep: dropped
            return tuple(from_jsonable(args[0], item) for item in data)
        if not args:
            return tuple(data)
        return tuple(from_jsonable(a, item) for a, item in zip(args, data))
    if origin is list:
        (arg,) = typing.get_args(tp) or (Any,)
        return [from_jsonable(arg, item) for item in data]
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return from_dict(tp, data)
    if tp is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    return data


def from_dict(cls: type[T], data: dict) -> T:
    """Rebuild dataclass ``cls`` from a dict made by ``to_jsonable``."""
    hints = _hints(cls)
    kwargs = {
        f.name: from_jsonable(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in data
    }
    return cls(**kwargs)


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


# ---- the shapes the store writes ----


def encode_analysis(analysis: DocumentAnalysis) -> str:
    """A DocumentAnalysis as a JSON string."""
    return json.dumps(to_jsonable(analysis), ensure_ascii=False, separators=(",", ":"))


def decode_analysis(text: str) -> DocumentAnalysis:
    """A DocumentAnalysis from ``encode_analysis`` output."""
    return from_dict(DocumentAnalysis, json.loads(text))


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
