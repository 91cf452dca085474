"""Where the report templates live, and the jinja2 environments that render them.

Templates sit in `templates/` at the repository root; the wheel ships them as
`clubtool/_templates` (pyproject force-include). A commune that wants its own layout copies
a template into a folder and passes it (`--templates DIR`): a file found there wins, any
other comes from the package.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import tempfile
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
    """A jinja2 environment for "html" (autoescape on) or "md" (every value escaped); its
    compiled templates are kept between runs (`compiled_folder`)."""
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
    env.bytecode_cache = compiled_cache(kind, env)
    return env


def docx_environment() -> Any:
    """The jinja2 environment docxtpl renders the Word template's XML with (autoescape, no
    character XML forbids). docxtpl compiles each part with `from_string`; here a large part
    goes through the compiled-template cache, keyed by its source."""
    env = _docx_environment_class()(autoescape=True, finalize=xml_safe)
    env.bytecode_cache = compiled_cache("docx", env)
    return env


@functools.cache
def _docx_environment_class() -> Any:
    import jinja2

    class DocxEnvironment(jinja2.Environment):
        def from_string(self, source: Any, globals: Any = None,  # noqa: A002 - jinja's name
                        template_class: Any = None) -> Any:
            bcc = self.bytecode_cache
            if bcc is None or not isinstance(source, str) or len(source) < _CACHED_FROM:
                return super().from_string(source, globals, template_class)
            name = hashlib.sha256(source.encode("utf-8")).hexdigest()
            bucket = bcc.get_bucket(self, name, None, source)
            if bucket.code is None:
                bucket.code = self.compile(source)
                bcc.set_bucket(bucket)
            cls = template_class or self.template_class
            return cls.from_code(self, bucket.code, self.make_globals(globals), None)

    return DocxEnvironment


# --- compiled templates kept between runs ----------------------------------------------------

#: A source shorter than this (a document property, a small header) compiles faster than a
#: cache file is read.
_CACHED_FROM = 4096
_DIGEST = 32  # bytes of SHA-256 in front of each cache file


def compiled_folder() -> Path | None:
    """Where compiled templates are kept: `templates/` in the user's cache folder (by OS
    convention, `platformdirs`). Like Python's `__pycache__`, a cache of code only: an entry
    is used only for the same template source, jinja2, Python, clubtool and environment
    options, and is checked against its SHA-256, so it can never change a report; a folder
    that cannot be written only means templates are compiled each time. None: no cache."""
    from platformdirs import user_cache_path

    return user_cache_path("clubtool", appauthor=False) / "templates"


def compiled_cache(kind: str, env: Any) -> Any:
    """A jinja2 bytecode cache for the environment `env` of `kind`; None without a folder."""
    folder = compiled_folder()
    if folder is None:
        return None
    import sys

    import jinja2

    from .. import __version__

    options = (kind, jinja2.__version__, sys.implementation.cache_tag, sys.version, __version__,
               repr(env.autoescape), getattr(env.finalize, "__qualname__", repr(env.finalize)),
               env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
               env.undefined.__name__, env.newline_sequence, sorted(env.extensions),
               env.block_start_string, env.block_end_string, env.variable_start_string,
               env.variable_end_string, env.comment_start_string, env.comment_end_string,
               env.line_statement_prefix, env.line_comment_prefix, env.optimized, env.is_async)
    return _cache_class()(folder, repr(options))


@functools.cache
def _cache_class() -> Any:
    import jinja2

    class CompiledCache(jinja2.BytecodeCache):
        """One file per template (name: SHA-256 of the environment's options and the
        template's name; content: SHA-256 of the rest, then jinja2's bucket, which holds
        the source's checksum). Reading or writing fails → compiled as without a cache."""

        def __init__(self, folder: Path, options: str):
            self.folder, self.options = folder, options

        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            key = f"{self.options}\0{name}\0{filename or ''}".encode()
            return hashlib.sha256(key).hexdigest()

        def get_source_checksum(self, source: str) -> str:
            return hashlib.sha256(source.encode("utf-8")).hexdigest()

        def load_bytecode(self, bucket: Any) -> None:
            try:
                data = (self.folder / f"{bucket.key}.j2c").read_bytes()
            except OSError:
                return
            body = data[_DIGEST:]
            if len(data) > _DIGEST and hashlib.sha256(body).digest() == data[:_DIGEST]:
                bucket.bytecode_from_string(body)

        def dump_bytecode(self, bucket: Any) -> None:
            body = bucket.bytecode_to_string()
            with contextlib.suppress(OSError):
                self.folder.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".j2c", dir=self.folder)
                try:
                    with os.fdopen(fd, "wb") as f:
                        f.write(hashlib.sha256(body).digest() + body)
                    os.replace(tmp, self.folder / f"{bucket.key}.j2c")
                finally:
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)

    return CompiledCache
