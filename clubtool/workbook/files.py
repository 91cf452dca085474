"""Finding input files and checking a file is safe to parse, before any parser sees it.

Checks run on the bytes: empty file, size, password-encrypted workbook (OLE compound file
holding `EncryptionInfo`), old `.xls`, zip bombs (total uncompressed size, compression
ratio) and XML parts that declare a DTD or entities (entity bombs).
"""

from __future__ import annotations

import io
import re
import struct
import types
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

READ_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
_inflater: types.ModuleType
try:  # zlib-ng inflates twice as fast as zlib (same data, same API)
    from zlib_ng import zlib_ng as _inflater
except ImportError:  # pragma: no cover - zlib-ng ships wheels for the supported systems
    _inflater = zlib
_INFLATE_ERRORS: tuple[type[BaseException], ...] = (zlib.error, _inflater.error)
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Sheet extent. A cheap search first: a cell or row tag that is not `<c r="A1"`-like (no
# reference, another attribute order or spacing, a namespace prefix) or whose reference is
# far out (row ≥ 10000 or column ≥ DA); only then is every cell and row placed as a reader
# would place it. (The lookaheads reject the usual tags in a few steps each: 0.14 → 0.09 ms
# for a club workbook's sheets, against 0.16 for a search of the far references.)
_ODD_OR_FAR = re.compile(
    rb'<(?:c(?! r="[A-Ca-c]?[A-Za-z][0-9]{1,4}")|row(?! r="[0-9]{1,4}"))[\s>/]')
_NEAR_CELLS = 9999 * 104  # the most cells a sheet passing that search can span
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")
_CELL_OR_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s>/])([^>]*)>")
_REF_ATTR = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]*)([0-9]*)["']""")


@dataclass(frozen=True, slots=True)
class Limits:
    """Safety limits for one input file (a club workbook is ~50–300 KB)."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_unzipped_bytes: int = 300 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, per member of the zip
    max_members: int = 2000
    max_cells: int = 2_000_000  # rows × columns from A1 to a sheet's farthest cell


DEFAULT_LIMITS = Limits()


def is_ignored(path: Path) -> bool:
    """Excel lock files (`~$…`) and hidden files are never inputs."""
    return path.name.startswith(("~$", "."))


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Files named, and workbook files found recursively in folders, in a stable order."""
    found: dict[Path, None] = {}
    for p in map(Path, paths):
        if p.is_dir():
            for child in sorted(_walk(p)):
                found.setdefault(child, None)
        elif not is_ignored(p):
            found.setdefault(p, None)
    return list(found)


def _walk(folder: Path) -> Iterator[Path]:
    for child in folder.rglob("*"):
        rel = child.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or is_ignored(child):
            continue
        if child.suffix.lower() in READ_SUFFIXES and child.is_file():
            yield child


class Rejected(Exception):
    """A file that must not be parsed: `code` is the issue code, `detail` says why."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code
        self.detail = detail


def check_bytes(data: bytes, suffix: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """Raise `Rejected` for a file that must not be parsed; return its container kind.

    The kind is "zip" (xlsx, xlsm, ods), "ole" (old .xls) or "other".
    """
    return scan_bytes(data, suffix, limits).kind


@dataclass(slots=True)
class Scan:
    """What `scan_bytes` learnt from a file's bytes."""

    kind: str  # "zip", "ole" or "other"
    #: cells holding a formula but no cached value: {sheet name: {cell: formula}}
    formulas: dict[str, dict[str, str]]


def scan_bytes(data: bytes, suffix: str, limits: Limits = DEFAULT_LIMITS) -> Scan:
    """`check_bytes` and `formulas_without_value` in one pass: each XML part inflated once.

    Raises `Rejected` as `check_bytes` does.
    """
    if not data:
        raise Rejected("file-unreadable", "tệp rỗng, 0 byte")
    if len(data) > limits.max_file_bytes:
        raise Rejected("file-too-large", f"{len(data) / 1e6:.1f} MB")
    if data.startswith(OLE_SIGNATURE):
        if _ENCRYPTION_INFO in data:
            raise Rejected("file-encrypted", "có mật khẩu")
        return Scan("ole", {})
    if data.startswith(ZIP_SIGNATURE):
        return Scan("zip", _check_zip(data, limits))
    return Scan("other", {})


def _check_zip(data: bytes, limits: Limits) -> dict[str, dict[str, str]]:
    """Refuse a dangerous zip; return the formula cells without a value (see
    `formulas_without_value`), found while every XML part is inflated for the checks."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Rejected("file-unreadable", f"tệp nén bị hỏng: {exc}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise Rejected("file-too-large", f"{len(infos)} phần trong tệp")
        total = 0
        for info in infos:
            total += info.file_size
            if total > limits.max_unzipped_bytes:
                raise Rejected("file-too-large", f"giải nén hơn {limits.max_unzipped_bytes // 2**20} MB")
            if info.file_size > 1_000_000 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                raise Rejected("file-too-large", f"tỷ lệ nén bất thường ({info.filename})")
        view = memoryview(data)
        with_formulas: dict[str, bytes] = {}
        book = rels = b""
        for info in infos:
            name = info.filename
            if name.endswith((".xml", ".rels", ".vml")):
                if (name in _NO_CELLS or name.startswith(_NO_CELLS_FOLDERS)
                        or (name.endswith(".rels") and name != _BOOK_RELS)):
                    # a part without cells: its prolog is all that needs reading
                    head = _inflate_raw(view, info, _HEAD)
                    if head is not None and _prolog_has_dtd(head) is False:
                        continue
                xml = _inflate(zf, view, info)
                if _declares_dtd(xml):
                    raise Rejected("file-unreadable",
                                   f"phần {name} khai báo DTD/ENTITY (không an toàn)")
                _check_extent(xml, limits)
                if name.startswith("xl/worksheets/"):
                    if name.endswith(".xml") and _HAS_FORMULA.search(xml):
                        with_formulas[name] = xml
                elif name == "xl/workbook.xml":
                    book = xml
                elif name == _BOOK_RELS:
                    rels = xml
    return _formula_cells(with_formulas, book, rels) if with_formulas else {}


def _inflate(zf: zipfile.ZipFile, data: memoryview, info: zipfile.ZipInfo) -> bytes:
    """One member's bytes, straight from the archive (zipfile's reader costs ~25 µs a
    member). Never more than the size the directory declares; the CRC is checked."""
    out = _inflate_raw(data, info, info.file_size + 1)
    if out is None:
        return _read_member(zf, info)
    if len(out) != info.file_size or _inflater.crc32(out) != info.CRC:
        raise Rejected("file-unreadable", f"tệp nén bị hỏng: {info.filename}")
    return out


def _inflate_raw(data: memoryview, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """At most `limit` bytes of a member, inflated from the archive's bytes; None when the
    member is stored some other way (then `zipfile` reads it)."""
    if info.flag_bits & 0x1:
        raise Rejected("file-encrypted", "có mật khẩu")
    off = info.header_offset
    method = info.compress_type
    if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or bytes(data[off:off + 4]) != ZIP_SIGNATURE:
        return None
    name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
    start = off + 30 + name_len + extra_len
    raw = data[start:start + info.compress_size]
    if method == zipfile.ZIP_STORED:
        return bytes(raw[:limit])
    try:
        return _inflater.decompressobj(-15).decompress(raw, limit)
    except _INFLATE_ERRORS as exc:
        raise Rejected("file-unreadable", f"tệp nén bị hỏng: {exc} ({info.filename})") from None


#: xlsx parts that never hold cells (no sheet extent to check, no formulas).
_NO_CELLS = frozenset({"[Content_Types].xml", "xl/styles.xml", "xl/sharedStrings.xml"})
_NO_CELLS_FOLDERS = ("docProps/", "xl/theme/")
_BOOK_RELS = "xl/_rels/workbook.xml.rels"  # read whole: it names the sheets' parts
_HEAD = 1024  # bytes inflated to read a part's prolog; more only if it is unusual
_NAME_START = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:") | frozenset(range(0x80, 0x100))


def _prolog_has_dtd(xml: bytes) -> bool | None:
    """Whether the XML declares a DTD before its root element: True, False, or None when
    `xml` ends first or holds something unusual there (then the whole part is searched).

    The XML grammar puts a DTD in the prolog only — after the XML declaration, comments,
    processing instructions and white space, before the root element. Parsers reject a DTD
    anywhere else as malformed, and never expand its entities.
    """
    i = 3 if xml.startswith(b"\xef\xbb\xbf") else 0
    n = len(xml)
    while True:
        while i < n and xml[i] in b" \t\r\n":
            i += 1
        if i + 1 >= n or xml[i] != 0x3C:  # "<"
            return None
        nxt = xml[i + 1]
        if nxt == 0x3F:  # "<?": the XML declaration or a processing instruction
            end = xml.find(b"?>", i + 2)
            if end < 0:
                return None
            i = end + 2
        elif xml.startswith(b"<!--", i):
            end = xml.find(b"-->", i + 4)
            if end < 0:
                return None
            i = end + 3
        elif nxt == 0x21:  # "<!" and not a comment
            return True if _DTD.match(xml, i) else None
        else:
            return False if nxt in _NAME_START else None


def _declares_dtd(xml: bytes) -> bool:
    """A DTD or entity declared in the prolog — or, when the prolog is unusual, anywhere."""
    found = _prolog_has_dtd(xml)
    return bool(_DTD.search(xml)) if found is None else found


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, ValueError,
            EOFError, NotImplementedError) as exc:
        if "encrypted" in str(exc).lower():
            raise Rejected("file-encrypted", "có mật khẩu") from None
        raise Rejected("file-unreadable", f"tệp nén bị hỏng: {exc}") from None


def _check_extent(xml: bytes, limits: Limits) -> None:
    """Refuse a sheet whose area from A1 to its farthest cell exceeds `limits.max_cells`.

    python-calamine builds that whole rectangle in memory: one cell at XFD1048576 asks for
    17 billion cells and the process aborts (there is no exception to catch).
    """
    if (limits.max_cells >= _NEAR_CELLS and not _ODD_OR_FAR.search(xml)
            and not _PREFIXED.search(xml)):
        return  # every cell within 9999 rows × 104 columns
    rows = cols = row = col = 0
    for m in _CELL_OR_ROW.finditer(xml):
        ref = _REF_ATTR.search(m.group(2))
        letters, digits = (ref.group(1).upper(), ref.group(2)) if ref else (b"", b"")
        if m.group(1) == b"row":
            row, col = (int(digits) if digits else row + 1), 0
        else:
            if letters:
                col = 0
                for ch in letters:
                    col = col * 26 + ch - 64
            else:
                col += 1
            if digits:
                row = int(digits)
        rows, cols = max(rows, row), max(cols, col)
    if rows * max(cols, 1) > limits.max_cells:
        letters_ = ""
        while cols > 0:
            cols, rem = divmod(cols - 1, 26)
            letters_ = chr(65 + rem) + letters_
        raise Rejected("file-too-large", f"có ô ở tận {letters_ or 'A'}{rows}; hãy xóa ô thừa đó")


_HAS_FORMULA = re.compile(rb"<f[ >/]")  # a formula element (not <formula1> of a drop-down)
_FORMULA_CELL = re.compile(
    rb"<c\b[^>]*?\br=\"([A-Z]+[0-9]+)\"[^>]*?(?<!/)>(.*?)</c>", re.DOTALL)
_F = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.DOTALL)
_V = re.compile(rb"<v>[^<]+</v>")
_SHEET = re.compile(rb"<sheet\b[^>]*?\bname=\"([^\"]*)\"[^>]*?\br:id=\"([^\"]*)\"", re.DOTALL)
_SHEET_RID_FIRST = re.compile(rb"<sheet\b[^>]*?\br:id=\"([^\"]*)\"[^>]*?\bname=\"([^\"]*)\"", re.DOTALL)
_REL = re.compile(rb"<Relationship\b[^>]*?\bId=\"([^\"]*)\"[^>]*?\bTarget=\"([^\"]*)\"", re.DOTALL)
_REL_TARGET_FIRST = re.compile(rb"<Relationship\b[^>]*?\bTarget=\"([^\"]*)\"[^>]*?\bId=\"([^\"]*)\"", re.DOTALL)


def formulas_without_value(data: bytes) -> dict[str, dict[str, str]]:
    """Cells holding a formula but no cached value, by sheet name: {sheet: {cell: formula}}.

    python-calamine reads such cells as empty; only the raw XML tells them apart.
    Only called on xlsx/xlsm files; cheap when no sheet holds a formula. (`scan_bytes`
    finds the same while it checks the file.)
    """
    found: dict[str, dict[str, str]] = {}
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return found
    with zf:
        parts = {}
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                try:
                    xml = zf.read(name)
                except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, EOFError):
                    continue  # a damaged part: the reader reports the file as unreadable
                if _HAS_FORMULA.search(xml):
                    parts[name] = xml
        if not parts:
            return found
        try:
            book = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
        except KeyError:
            return found
    return _formula_cells(parts, book, rels)


def _formula_cells(parts: dict[str, bytes], book: bytes, rels: bytes) -> dict[str, dict[str, str]]:
    import html

    found: dict[str, dict[str, str]] = {}
    if not book or not rels:
        return found
    names = _sheet_names(book, rels)
    for part, xml in parts.items():
        sheet = names.get(part)
        if sheet is None:
            continue
        for m in _FORMULA_CELL.finditer(xml):
            body = m.group(2)
            fm = _F.search(body)
            if fm is None or _V.search(body):
                continue
            formula = html.unescape((fm.group(1) or b"").decode("utf-8", "replace"))
            found.setdefault(sheet, {})[m.group(1).decode()] = "=" + formula if formula else "="
    return found


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name, from the workbook part and its relationships."""
    try:
        wb = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    return _sheet_names(wb, rels)


def _sheet_names(wb: bytes, rels: bytes) -> dict[str, str]:
    import html

    targets = dict(_REL.findall(rels))
    targets.update({rid: target for target, rid in _REL_TARGET_FIRST.findall(rels)})
    sheets = {rid: name for name, rid in _SHEET.findall(wb)}
    sheets.update(dict(_SHEET_RID_FIRST.findall(wb)))
    out = {}
    for rid, name in sheets.items():
        target = targets.get(rid)
        if target is None:
            continue
        t = target.decode()
        part = t.lstrip("/") if t.startswith("/") else "xl/" + t
        out[part] = html.unescape(name.decode("utf-8", "replace"))
    return out
