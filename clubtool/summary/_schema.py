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
from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from ..i18n import Msg, msg

__all__ = ["KEYWORDS", "SchemaError", "Violation", "check", "load_schema"]

ANNOTATIONS = frozenset({"$schema", "$id", "title", "description"})
KEYWORDS = frozenset({"type", "const", "enum", "required", "properties",
                      "additionalProperties", "items", "minimum", "pattern", "minLength"})

#: The words of a JSON type in a message (a key of the catalogue, `schema_msg.*`).
_TYPE_WORDS = {"object": "schema_msg.type_object", "array": "schema_msg.type_array",
               "string": "schema_msg.type_string", "integer": "schema_msg.type_integer",
               "number": "schema_msg.type_number", "boolean": "schema_msg.type_boolean",
               "null": "schema_msg.type_null"}


_PY_TYPES: dict[str, type | tuple[type, ...]] = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


class SchemaError(Exception):
    """The schema itself uses a keyword this validator does not know (a programming error)."""


class Violation(ValueError):
    """A value does not follow the schema: `where` (e.g. `indicators[2].numerator`) and why
    (an `i18n.Msg`: Vietnamese text, said in the officer's language by `i18n.tr`)."""

    def __init__(self, where: str, why: str):
        super().__init__(msg("schema_msg.at", where=where or msg("schema_msg.the_file"), why=why))
        self.where = where
        self.why = why


def _either(kinds: list[str]) -> Msg:
    """"một số nguyên hoặc null": the words of the types, joined by "or" in the language."""
    words = msg(_TYPE_WORDS[kinds[0]])
    for k in kinds[1:]:
        words = msg("schema_msg.either", first=words, second=msg(_TYPE_WORDS[k]))
    return words


@lru_cache(maxsize=1)
def load_schema() -> Mapping[str, Any]:
    """The JSON Schema shipped in the package (`clubtool/summary/schema.json`)."""
    raw = resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(raw)
    return schema


def check(value: Any, schema: Mapping[str, Any] | None = None, where: str = "") -> None:
    """Raise `Violation` at the first place `value` breaks `schema` (default: the summary's).

    The schema is compiled once into nested checks (kept while the schema object lives, so
    a schema must not be changed once used): reading the nation's 3,300 summaries spends
    most of its time here."""
    _compiled(load_schema() if schema is None else schema)(value, (None, where))


# A place in the value, built only when a violation is reported: (parent, step), the root's
# step being the `where` given to `check`.
_Path = tuple[Any, str]
_Checker = Callable[[Any, _Path], None]
_COMPILED: dict[int, tuple[Mapping[str, Any], _Checker]] = {}


def _where(path: _Path) -> str:
    parts: list[str] = []
    node: Any = path
    while node is not None:
        node, step = node
        parts.append(step)
    return "".join(reversed(parts))


def _compiled(schema: Mapping[str, Any]) -> _Checker:
    hit = _COMPILED.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    fn = _compile(schema)
    if len(_COMPILED) < 1024:  # the entry holds the schema: its id is not reused meanwhile
        _COMPILED[id(schema)] = (schema, fn)
    return fn


# long: one small closure per keyword, in the order the keywords are checked
def _compile(schema: Mapping[str, Any]) -> _Checker:
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    if unknown:
        raise SchemaError(f"schema keyword(s) not supported: {sorted(unknown)}")
    steps: list[_Checker] = []
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        words = _either(kinds)
        sure = frozenset(t for k in kinds for t in _SURE[k])  # exact types that always match

        def typed(value: Any, path: _Path) -> None:
            if type(value) not in sure and not any(_is(value, k) for k in kinds):
                raise Violation(_where(path), msg("schema_msg.type", kinds=words,
                                                 value=_shown(value)))
        steps.append(typed)
    if "const" in schema:
        const = schema["const"]

        def constant(value: Any, path: _Path) -> None:
            if not _same(value, const):
                raise Violation(_where(path), msg("schema_msg.const", expected=_shown(const),
                                                 value=_shown(value)))
        steps.append(constant)
    if "enum" in schema:
        allowed = schema["enum"]

        def one_of(value: Any, path: _Path) -> None:
            if not any(_same(value, e) for e in allowed):
                listed = ", ".join(_shown(e) for e in allowed)
                raise Violation(_where(path), msg("schema_msg.enum", value=_shown(value),
                                                  allowed=listed))
        steps.append(one_of)
    if "minimum" in schema:
        low = schema["minimum"]

        def at_least(value: Any, path: _Path) -> None:
            if isinstance(value, int | float) and not isinstance(value, bool) and value < low:
                raise Violation(_where(path), msg("schema_msg.minimum", low=low, value=value))
        steps.append(at_least)
    if "minLength" in schema or "pattern" in schema:
        min_length = schema.get("minLength", 0)
        pattern = re.compile(schema["pattern"]) if "pattern" in schema else None

        def text(value: Any, path: _Path) -> None:
            if isinstance(value, str):
                if len(value) < min_length:
                    raise Violation(_where(path), msg("schema_msg.empty"))
                if pattern is not None and not pattern.search(value):
                    raise Violation(_where(path), msg("schema_msg.pattern", value=_shown(value)))
        steps.append(text)
    if {"required", "properties", "additionalProperties"} & set(schema):
        steps.append(_object_checker(schema))
    if "items" in schema:
        item = _compiled(schema["items"])

        def items(value: Any, path: _Path) -> None:
            if isinstance(value, list):
                for i, v in enumerate(value):
                    item(v, (path, f"[{i}]"))
        steps.append(items)

    if len(steps) == 1:
        return steps[0]

    def run(value: Any, path: _Path) -> None:
        for step in steps:
            step(value, path)
    return run


def _object_checker(schema: Mapping[str, Any]) -> _Checker:
    """What an object must hold: its required keys, then each key's value in order."""
    required = list(schema.get("required", ()))
    props = {k: _compiled(v) for k, v in schema.get("properties", {}).items()}
    extra = schema.get("additionalProperties", True)
    other = _compiled(extra) if isinstance(extra, Mapping) else None

    def obj(value: Any, path: _Path) -> None:
        if not isinstance(value, dict):
            return
        for key in required:
            if key not in value:
                raise Violation(_where(path), msg("schema_msg.missing", key=key))
        root = path[0] is None and not path[1]
        for key, item in value.items():
            sub = (None, key) if root else (path, f".{key}")
            check_ = props.get(key)
            if check_ is not None:
                check_(item, sub)
            elif extra is False:
                raise Violation(_where(path), msg("schema_msg.unknown", key=key))
            elif other is not None:
                other(item, sub)
    return obj


#: The Python types that are always of a JSON Schema type (a bool is never a number; a float
#: may be an integer: those go through `_is`).
_SURE: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "null": (type(None),), "integer": (int,), "number": (int, float)}


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


def _same(a: Any, b: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)
