"""Where the report templates live, and the jinja2 environments that render them.

Templates sit in `templates/` at the repository root; the wheel ships them as
`clubtool/_templates` (pyproject force-include). A commune that wants its own layout copies
a template into a folder and passes it (`--templates DIR`): a file found there wins, any
other comes from the package.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

DOCX_TEMPLATE = "bao_cao.docx"
HTML_TEMPLATE = "report.html.j2"
MD_TEMPLATE = "report.md.j2"


class TemplateNotFound(FileNotFoundError):
    """A report template is missing (a broken install, or a wrong --templates folder)."""


def default_dirs() -> list[Path]:
    """The shipped templates: in the installed wheel, else in the repository (editable)."""
    out = []
    installed = resources.files("clubtool").joinpath("_templates")
    if installed.is_dir():
        out.append(Path(str(installed)))
    repo = Path(__file__).resolve().parents[2] / "templates"
    if repo.is_dir():
        out.append(repo)
    return out


def search_path(override: Path | str | None = None) -> list[Path]:
    dirs = default_dirs()
    return ([Path(override)] if override is not None else []) + dirs


def find_template(name: str, override: Path | str | None = None) -> Path:
    """The path of template `name`: from `override` when it has one, else the shipped one."""
    for d in search_path(override):
        p = d / name
        if p.is_file():
            return p
    where = ", ".join(str(d) for d in search_path(override)) or "(không có thư mục mẫu)"
    raise TemplateNotFound(f"Không tìm thấy mẫu báo cáo {name} (đã tìm trong: {where}).")


# --- jinja2 -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!~])")
#: What XML 1.0 (so Word) and HTML forbid: C0 controls but tab, LF and CR; lone surrogates;
#: U+FFFE, U+FFFF. A club's text may hold them (an .xlsx stores them as _x0001_).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """Text without the characters XML forbids (its type kept: Markup stays Markup)."""
    if isinstance(value, str) and _NOT_XML.search(value):
        return value.__class__(_NOT_XML.sub("", value))
    return value


def md_escape(value: Any) -> Any:
    """Make text safe inside Markdown (and its table cells): no markup, no raw HTML."""
    if not isinstance(value, str):
        return value
    text = " ".join(value.split("\n"))
    return _MD_SPECIAL.sub(r"\\\1", text)


def environment(kind: str, override: Path | str | None = None) -> Any:
    """A jinja2 environment for "html" (autoescape on) or "md" (every value escaped)."""
    import jinja2

    loader = jinja2.FileSystemLoader([str(d) for d in search_path(override)])
    common: dict[str, Any] = {"loader": loader, "undefined": jinja2.StrictUndefined,
                              "keep_trailing_newline": True}
    if kind == "html":
        env = jinja2.Environment(autoescape=True, finalize=xml_safe, trim_blocks=True,
                                 lstrip_blocks=True, **common)
    elif kind == "md":
        env = jinja2.Environment(autoescape=False, finalize=md_escape, trim_blocks=True,
                                 lstrip_blocks=True, **common)
    else:
        raise ValueError(kind)
    return env
