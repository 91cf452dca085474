"""A small validator for the subset of JSON Schema (draft 2020-12) that `schema.json` uses.

No dependency is added for it: `type` (one or a list), `const`, `enum`, `required`,
`properties`, `additionalProperties` (false or a schema), `items`, `minimum`, `pattern`,
`minLength`; `$schema`, `$id`, `title`, `description` are annotations. Any other keyword
is a `SchemaError` (a constraint added to the file is never silently ignored).

As in JSON Schema, a boolean is neither an integer nor a number, and a number with no
fractional part (3.0) is an integer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["KEYWORDS", "SchemaError", "Violation", "check", "load_schema"]

ANNOTATIONS = frozenset({"$schema", "$id", "title", "description"})
KEYWORDS = frozenset({"type", "const", "enum", "required", "properties",
                      "additionalProperties", "items", "minimum", "pattern", "minLength"})

_TYPE_WORDS = {"object": "một đối tượng", "array": "một danh sách", "string": "một chuỗi",
               "integer": "một số nguyên", "number": "một số", "boolean": "true hoặc false",
               "null": "null"}


_PY_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


class SchemaError(Exception):
    """The schema itself uses a keyword this validator does not know (a programming error)."""


class Violation(ValueError):
    """A value does not follow the schema: `where` (e.g. `indicators[2].numerator`) and why."""

    def __init__(self, where: str, why: str):
        super().__init__(f"{where or 'tệp'}: {why}")
        self.where = where
        self.why = why


@lru_cache(maxsize=1)
def load_schema() -> Mapping[str, Any]:
    """The JSON Schema shipped in the package (`clubtool/summary/schema.json`)."""
    raw = resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(raw)
    return schema


def check(value: Any, schema: Mapping[str, Any] | None = None, where: str = "") -> None:
    """Raise `Violation` at the first place `value` breaks `schema` (default: the summary's)."""
    _check(value, load_schema() if schema is None else schema, where)


def _is(value: Any, kind: str) -> bool:
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _PY_TYPES[kind])


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "…"


def _check(value: Any, schema: Mapping[str, Any], where: str) -> None:
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    if unknown:
        raise SchemaError(f"schema keyword(s) not supported: {sorted(unknown)}")
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(value, k) for k in kinds):
            words = " hoặc ".join(_TYPE_WORDS[k] for k in kinds)
            raise Violation(where, f"phải là {words}, không phải {_shown(value)}")
    if "const" in schema and not _same(value, schema["const"]):
        raise Violation(where, f"phải là {_shown(schema['const'])}, không phải {_shown(value)}")
    if "enum" in schema and not any(_same(value, e) for e in schema["enum"]):
        allowed = ", ".join(_shown(e) for e in schema["enum"])
        raise Violation(where, f"giá trị {_shown(value)} không hợp lệ (chỉ nhận: {allowed})")
    if isinstance(value, int | float) and not isinstance(value, bool) and "minimum" in schema \
            and value < schema["minimum"]:
        raise Violation(where, f"phải lớn hơn hoặc bằng {schema['minimum']}, không phải {value}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            raise Violation(where, "không được để trống")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            raise Violation(where, f"{_shown(value)} không đúng dạng")
    if isinstance(value, dict):
        _check_object(value, schema, where)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(item, schema["items"], f"{where}[{i}]")


def _check_object(value: dict[str, Any], schema: Mapping[str, Any], where: str) -> None:
    for key in schema.get("required", ()):
        if key not in value:
            raise Violation(where, f"thiếu trường \"{key}\"")
    props = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        at = f"{where}.{key}" if where else key
        if key in props:
            _check(item, props[key], at)
        elif extra is False:
            raise Violation(where, f"có trường lạ \"{key}\"")
        elif isinstance(extra, Mapping):
            _check(item, extra, at)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)
