"""Problems found in a workbook are data: `Issue` values and one catalogue of codes.

Every code has a default severity here, and a title, a description and a message template
in each language file (`[issue.<code>]` of clubtool/locales/<lang>.toml: `--lang`,
`CLUBTOOL_LANG`). Messages speak to a club secretary: what is wrong, and what to write
instead. `docs/errors.md` is generated from the Vietnamese and English words
(`python -m clubtool.issues > docs/errors.md`; a test keeps it in sync).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .i18n import LANGS, t
from .i18n import default_lang as default_lang
from .vnformat import grouped, short_date

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Code:
    """A code and its default severity; its words are in the language files
    (`[issue.<code>]` title, description, message of clubtool/locales/<lang>.toml)."""

    code: str
    severity: str

    def text(self, part: str, lang: str = "vi") -> str:
        """`title`, `description` or `message` (a str.format template) in `lang`."""
        return t(f"issue.{self.code}.{part}", lang)

    @property
    def title(self) -> tuple[str, ...]:
        """The title in every language, in `LANGS` order (Vietnamese first)."""
        return tuple(self.text("title", lang) for lang in LANGS)

    @property
    def description(self) -> tuple[str, ...]:
        return tuple(self.text("description", lang) for lang in LANGS)

    @property
    def message(self) -> tuple[str, ...]:
        return tuple(self.text("message", lang) for lang in LANGS)


CATALOGUE: dict[str, Code] = {c.code: c for c in (
    Code("file-unreadable", ERROR),
    Code("file-format", ERROR),
    Code("file-too-large", ERROR),
    Code("file-encrypted", ERROR),
    Code("not-a-template", ERROR),
    Code("template-version", ERROR),
    Code("merged-workbook", WARNING),
    Code("missing-sheet", ERROR),
    Code("missing-column", ERROR),
    Code("duplicate-column", ERROR),
    Code("unknown-column", WARNING),
    Code("missing-field", ERROR),
    Code("required", ERROR),
    Code("type", ERROR),
    Code("enum", ERROR),
    Code("range", ERROR),
    Code("pattern", ERROR),
    Code("formula-no-value", WARNING),
    Code("legacy-encoding", WARNING),
    Code("duplicate-value", ERROR),
    Code("date-outside-year", ERROR),
    Code("founded-after-year", ERROR),
    Code("left-before-joined", ERROR),
    Code("unknown-board-member", ERROR),
    Code("negative-balance", ERROR),
    Code("unknown-village", ERROR),
    Code("duplicate-submission", ERROR),
    Code("duplicate-file", WARNING),
    Code("superseded-submission", WARNING),
    Code("wrong-commune", ERROR),
    Code("unknown-commune", ERROR),
    Code("unregistered-club", WARNING),
    Code("missing-optional-field", WARNING),
    Code("duplicate-member", WARNING),
    Code("chair-mismatch", WARNING),
    Code("received-without-need", WARNING),
    Code("attendance-exceeds-members", WARNING),
    Code("reached-exceeds-target", WARNING),
    Code("too-many-issues", WARNING),
)}


class _Params(dict[str, Any]):
    def __missing__(self, name: str) -> str:
        return ""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem of one file, at one place."""

    code: str
    severity: str
    path: str
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None  # the value as the person sees it
    params: tuple[tuple[str, Any], ...] = ()

    def message(self, lang: str | None = None, *, where: bool = True) -> str:
        """The message in `lang`; `where=False` leaves out the "Ô C12 (trang …):" prefix."""
        lang = lang if lang in LANGS else default_lang()
        params = _Params(self.params)
        variant = next((k for k in params if (self.code, k) in VARIANTS), None)
        template = t(f"issue.{self.code}.message" + (f"_{variant}" if variant else ""), lang)
        _derive(params, lang)
        params.setdefault("value", self.value or "")
        params.setdefault("sheet", self.sheet or "")
        params.setdefault("column", self.column or "")
        params.setdefault("column_lower", _lower_first(self.column or ""))
        params.setdefault("where", _where(self, lang) if where else "")
        text = template.format_map(params)
        return text[:1].upper() + text[1:]

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message(lang),
        }

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


#: Other wordings of a message (`message_<param>` in the language files), chosen when the
#: issue carries the named parameter.
VARIANTS = frozenset({("template-version", "missing"), ("required", "conditional")})
#: The kinds and patterns of a value the language files have words for (`kind_<x>`).
_KINDS = ("date", "integer", "number", "year", "flag", "text", "phone", "choice")
_PATTERNS = {"club_id": "pattern_club_id", "phone": "kind_phone"}


def _word(name: str, lang: str, **kw: Any) -> str:
    return t(f"issue_words.{name}", lang, **kw)


def _num(value: Any, lang: str) -> str:
    """A bound or a figure as the person reads it: 1.000.000.000.000 (vi), 1,000,000,000,000
    (en); a date dd/mm/yyyy."""
    if isinstance(value, dt.date):
        return short_date(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and abs(value) >= 10000:
        return grouped(value, lang)
    return str(value)


def _derive(params: dict[str, Any], lang: str) -> None:
    """Language-dependent wording of the neutral parameters an issue carries."""
    kind = params.get("kind")
    choices = params.get("choices") or ()
    if choices:
        quoted = [f"'{c}'" for c in choices]
        joiner = _word("or", lang)
        params.setdefault("allowed", (", ".join(quoted[:-1]) + joiner + quoted[-1])
                          if len(quoted) > 1 else quoted[0])
        if params.get("choices") and kind == "choice":
            params.setdefault("expected", params["allowed"])
    elif kind == "flag":
        params.setdefault("allowed", _word("kind_flag", lang))
    elif "allowed_list" in params:
        params.setdefault("allowed", ", ".join(params["allowed_list"]) or "—")
    pattern_of = params.get("pattern_of")
    if pattern_of in _PATTERNS:
        params.setdefault("expected", _word(_PATTERNS[pattern_of], lang))
    if kind in _KINDS:
        params.setdefault("expected", _word(f"kind_{kind}", lang))
    lo, hi = params.get("minimum"), params.get("maximum")
    if lo is not None or hi is not None:
        params.setdefault("bound", _bound(lo, hi, params.get("exclusive"), lang))
    if "hint" not in params:
        example = params.get("example")
        if choices:
            params["hint"] = _word("hint_choose", lang, allowed=params["allowed"])
        elif example:
            params["hint"] = _word("hint_example", lang, example=example)
        elif kind in ("date", "integer", "number", "year"):
            params["hint"] = _word("hint_write", lang, expected=_word(f"kind_{kind}", lang))
    for k in ("balance", "members", "target"):
        if k in params and isinstance(params[k], int | float):
            params[k] = _num(params[k], lang)


def _bound(lo: Any, hi: Any, exclusive: Any, lang: str) -> str:
    """"từ 1 đến 5", "lớn hơn 0 và không quá 1.000.000.000.000"…"""
    if lo is not None and hi is not None:  # an amount: > 0, ≤ 10^12 (exclusive)
        return _word("between_exclusive" if exclusive else "between", lang,
                     lo=_num(lo, lang), hi=_num(hi, lang))
    if lo is not None:
        return _word("above" if exclusive else "at_least", lang, lo=_num(lo, lang))
    return _word("at_most", lang, hi=_num(hi, lang))


def _lower_first(text: str) -> str:
    # "Giới tính" → "giới tính", but keep acronyms like "CLB" / "ND1".
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _where(issue: Issue, lang: str) -> str:
    if issue.cell:
        return _word("cell", lang, cell=issue.cell, sheet=issue.sheet)
    if issue.sheet:
        return _word("sheet", lang, sheet=issue.sheet)
    return ""


def make(code: str, path: str, *, severity: str | None = None, sheet: str | None = None,
         cell: str | None = None, row: int | None = None, column: str | None = None,
         value: str | None = None, **params: Any) -> Issue:
    """An issue with the catalogue's severity unless another is given."""
    entry = CATALOGUE[code]  # KeyError: a code missing from the catalogue is a bug
    return Issue(code, severity or entry.severity, path, sheet, cell, row, column, value,
                 tuple(sorted(params.items())))


def errors_markdown() -> str:
    """docs/errors.md: every code, its severity, title, description and message."""
    lines = ["# Mã lỗi của clubtool / clubtool issue codes", "",
             "Tệp này được sinh từ `clubtool/issues.py` (`python -m clubtool.issues`). "
             "Đừng sửa tay.", ""]
    for c in CATALOGUE.values():
        lines += [f"## `{c.code}`", "",
                  f"- Mức độ / severity: **{c.severity}**"
                  + (" (thiếu phiên bản: warning)" if c.code == "template-version" else ""),
                  f"- {c.text('title')} — {c.text('description')}",
                  f"- *{c.text('title', 'en')}* — {c.text('description', 'en')}",
                  f"- Thông báo: `{c.text('message')}`",
                  ""]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(errors_markdown())
