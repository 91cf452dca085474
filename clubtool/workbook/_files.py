"""Finding input files and checking a file is safe to parse, before any parser sees it.

Checks run on the bytes: empty file, size, password-encrypted workbook (OLE compound file
holding `EncryptionInfo`), zip bombs (total uncompressed size, compression ratio), XML parts
that declare a DTD or entities (entity bombs), and what python-calamine would build from
the file: the area from A1 to each sheet's farthest cell (however the cell is written), the
text it copies into cells (a long shared string referenced by thousands of cells, a
repeated OpenDocument cell) and the counts it reserves memory for. An .xls is checked the
same way through its compound-file structure (sector chains, sizes) and BIFF records.

What calamine 0.37 (python-calamine 0.9) does with a file, as measured for issue 18:
element and attribute names are case-sensitive and matched without their namespace
prefix for .xlsx elements (any prefix, even one XML forbids), exactly for attributes and
for .ods (`table:…`); part names are found whatever their case, and a sheet part may have
any name under xl/worksheets/ (the workbook's relationships say which); attribute values
are taken raw (an entity in a cell reference is an error, not a letter); a cell takes the
last of two `r` attributes, a row the first; a `>` inside a quoted value does not end a
tag; a zip member's Info-ZIP Unicode Path field (0x7075) renames it. The scan follows all
of that, erring on the side of refusing: it also decodes entities and spaces in
references, and counts empty cells.
"""

from __future__ import annotations

import html
import io
import os
import re
import struct
import types
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..vnformat import whole

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
# Sheet extent. A cheap search first: a cell tag that is not written plainly as
# `<c r="A1" s="1" t="s">` — no reference, a far one (row ≥ 10000 or column ≥ DA), a second
# `r`, quotes, spaces, entities, other attributes, a namespace prefix — sends the sheet to
# the walk of `_extent`, which places every cell as the reader does. A cell with such a
# reference lands there whatever its row says, so rows need no search. (The lookahead
# rejects a plain tag in a few steps: ~0.09 ms for a club workbook's sheets.)
_ODD_OR_FAR = re.compile(
    rb'<c(?=[\s>/])(?! r="[A-Ca-c]?[A-Za-z][0-9]{1,4}"(?: s="[^"]*")?(?: t="[^"]*")?/?>)')
_NEAR_CELLS = 9999 * 104  # the most cells a sheet passing that search can span
_PREFIXED = re.compile(rb":c[\s>/]")  # a cell tag with a prefix, any prefix (`x:c`, `1:c`)
#: One piece of markup, as quick-xml reads it: a comment, CDATA, processing instruction or
#: declaration (groups empty), or a tag — (end "/", name, attributes, empty-element "/").
#: Quoted attribute values may hold `>` and `<`. What never ends (a comment, a quoted value
#: without its closing quote) runs to the end of the part, as for the reader (an error at
#: the end): a failed match never makes the engine search the rest again, so a part costs
#: linear time however it is written; the possessive loops never backtrack either.
_TAG = re.compile(
    rb"<(?:!--(?:.*?-->|.*+)|!\[CDATA\[(?:.*?\]\]>|.*+)|\?(?:.*?\?>|.*+)"
    rb"|!(?:(?:[^>\"'\[]++|\"[^\"]*+\"|'[^']*+'|\[[^\]]*+\])*+>|.*+)"
    rb"|(/?)([^\s<>/!?][^\s<>/]*)(?:((?:[^>\"'/]++|/(?!>)|\"[^\"]*+\"|'[^']*+')*+)(/?)>|.*+))",
    re.DOTALL)
#: An `r` attribute (also prefixed, also straight after the previous value's quote).
_R_ATTR = re.compile(rb"""(?:^|(?<=[\s"']))(?:[^\s"'=<>]*:)?r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"([A-Za-z]*)([0-9]+)")


@dataclass(frozen=True, slots=True)
class Limits:
    """Safety limits for one input file (a club workbook is ~50–300 KB)."""

    max_file_bytes: int = 50 * 1024 * 1024
    max_unzipped_bytes: int = 300 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, per member of the zip
    max_members: int = 2000
    #: rows × columns from A1 to a sheet's farthest cell; for .ods and .xls, whose sheets are
    #: all read at once, the sheets together (also: cell tags or records in one sheet)
    max_cells: int = 2_000_000
    #: text the reader copies into cells beyond what the file spells out: shared strings ×
    #: the cells referencing them, repeated .ods cells (a club workbook holds < 1 MB of text)
    max_text_bytes: int = 16 * 2**20


DEFAULT_LIMITS = Limits()


def is_ignored(path: Path) -> bool:
    """Excel lock files (`~$…`) and hidden files are never inputs."""
    return path.name.startswith(("~$", "."))


def discover(paths: Iterable[Path | str]) -> list[Path]:
    """Files named, and workbook files found recursively in folders, in a stable order."""
    found: dict[Path, None] = {}
    for p in (p if isinstance(p, Path) else Path(p) for p in paths):
        if p.is_dir():
            for child in sorted(_walk(p)):
                found.setdefault(child, None)
        elif not is_ignored(p):
            found.setdefault(p, None)
    return list(found)


def _walk(folder: Path) -> Iterator[Path]:
    """The workbook files below `folder`, hidden folders and files and lock files left out;
    links to folders are not followed (as `Path.rglob`). One `os.scandir` a folder: the
    kind of each entry comes with it, no `stat` a file (1,000 files: 10 → 3 ms)."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:  # (rglob, too, leaves out a folder it cannot list)
        return
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_dir = False
        if is_dir:
            if not name.startswith("."):
                yield from _walk(folder / name)
        elif not name.startswith(("~$", ".")) and _suffix(name) in READ_SUFFIXES:
            try:
                is_file = entry.is_file()  # (a link: its target's kind)
            except OSError:
                is_file = False
            if is_file:
                yield folder / name


def _suffix(name: str) -> str:
    """`Path(name).suffix.lower()`."""
    i = name.rfind(".")
    return name[i:].lower() if 0 < i < len(name) - 1 else ""


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
    #: the same archive with each part the scan inflated stored uncompressed (`_stored_copy`):
    #: what the reader hands to calamine, which then reads the parts exactly as checked and
    #: does not inflate them a second time; None: read the file's own bytes
    stored: bytes | None = None


def scan_bytes(data: bytes, suffix: str, limits: Limits = DEFAULT_LIMITS) -> Scan:
    """`check_bytes` and the cells holding a formula but no cached value (`Scan.formulas`),
    in one pass: each XML part inflated once.

    Raises `Rejected` as `check_bytes` does.
    """
    if not data:
        raise Rejected("file-unreadable", "tệp rỗng, 0 byte")
    if len(data) > limits.max_file_bytes:
        raise Rejected("file-too-large", f"{len(data) / 1e6:.1f} MB")
    if data.startswith(OLE_SIGNATURE):
        if _ENCRYPTION_INFO in data:
            raise Rejected("file-encrypted", "có mật khẩu")
        _check_ole(data, limits)
        return Scan("ole", {})
    if data.startswith(ZIP_SIGNATURE):
        return Scan("zip", *_check_zip(data, limits))
    return Scan("other", {})


# long: every XML part inflated once, each check done on the way (a second pass would double the cost)
def _check_zip(data: bytes, limits: Limits) -> tuple[dict[str, dict[str, str]], bytes | None]:
    """Refuse a dangerous zip; return the formula cells without a value (see
    `_formula_cells`), found while every XML part is inflated for the checks, and the
    archive with those parts stored (`_stored_copy`; None when it is not plain)."""
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
        names = [_member_names(info) for info in infos]
        normals = [[_normal(n) for n in these] for these in names]
        lowered = {n for normal in normals for n in normal}
        if "xl/workbook.bin" in lowered:
            raise Rejected("file-format", "Excel nhị phân (.xlsb)")
        # (a reader finds the shared strings whatever the case of their name)
        strings = _SharedStrings(limits) if "xl/sharedstrings.xml" in lowered else None
        inflated: list[bytes | None] | None = [] if _plain(infos, names, view) else None
        for info, these, normal in zip(infos, names, normals, strict=True):
            name = info.filename
            if all(map(_without_cells, these, normal)):
                # a part without cells, which no reader takes for a sheet: its prolog is all
                # that needs reading
                head = _inflate_raw(view, info, _HEAD)
                if head is not None and _prolog_has_dtd(head) is False:
                    if inflated is not None:
                        inflated.append(None)
                    continue
            # Any other member is inflated and searched, whatever its name: a sheet may be
            # any part under xl/worksheets/ (sheet1.XML, sheet1.bin, …), found case-blind.
            part = _inflate(zf, view, info)
            if inflated is not None:
                inflated.append(part)
            xml = _utf8(part)
            if _declares_dtd(xml):
                raise Rejected("file-unreadable",
                               f"phần {name} khai báo DTD/ENTITY (không an toàn)")
            if strings is not None and "xl/sharedstrings.xml" in normal:
                strings.add(xml)
                continue
            _check_extent(xml, limits)
            if strings is not None and (normal[0].startswith(_SHEET_FOLDERS) or any(
                    n.startswith(_SHEET_FOLDERS) for n in normal[1:])):
                strings.count_references(info, xml)
            if "content.xml" in normal:
                _check_ods_content(xml, limits)
            if name.startswith("xl/worksheets/"):
                if name.endswith(".xml") and _HAS_FORMULA.search(xml):
                    with_formulas[name] = xml
            elif name == "xl/workbook.xml":
                book = xml
            elif name == _BOOK_RELS:
                rels = xml
        if strings is not None:
            strings.check(zf, view)
    formulas = _formula_cells(with_formulas, book, rels) if with_formulas else {}
    return formulas, (_stored_copy(view, infos, inflated) if inflated else None)


def _plain(infos: list[zipfile.ZipInfo], names: list[tuple[str, ...]], view: memoryview) -> bool:
    """An archive `_stored_copy` can write again exactly as both zip readers see it: each
    member stored or deflated, at the offset its local header is found, its data within the
    file, with a unique ASCII name, no extra field (no Unicode Path, no ZIP64), no comment,
    no encryption. Anything else is read by calamine from the file's own bytes, as before."""
    seen: set[str] = set()
    for info, these in zip(infos, names, strict=True):
        name = info.filename
        off = info.header_offset
        if (len(these) > 1 or info.extra or info.comment or info.flag_bits & ~0x80E
                or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                or name != info.orig_filename or not name.isascii() or name in seen
                or bytes(view[off:off + 4]) != ZIP_SIGNATURE):
            return False
        if off + 30 > len(view):
            return False
        name_len, extra_len = struct.unpack_from("<HH", view, off + 26)
        if off + 30 + name_len + extra_len + info.compress_size > len(view):
            return False  # (a truncated member: copied, it would move the members after it)
        seen.add(name)
    return True


_LOCAL = struct.Struct("<4s5H3L2H")  # a local file header (30 bytes)
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # a central directory entry (46 bytes)
_END = struct.Struct("<4s4H2LH")  # the end of the central directory (22 bytes)


def _stored_copy(view: memoryview, infos: list[zipfile.ZipInfo],
                 inflated: list[bytes | None]) -> bytes:
    """The archive again, member for member in the same order and with the same names: each
    part in `inflated` stored as those bytes (the scan checked their size and CRC), the
    others copied as they are, still deflated (`_plain` archives only)."""
    out: list[bytes | memoryview] = []
    central: list[bytes] = []
    pos = 0
    for info, part in zip(infos, inflated, strict=True):
        name = info.filename.encode("ascii")
        if part is None:
            off = info.header_offset
            name_len, extra_len = struct.unpack_from("<HH", view, off + 26)
            start = off + 30 + name_len + extra_len
            body: bytes | memoryview = view[start:start + info.compress_size]
            method, flags, size = info.compress_type, info.flag_bits & 0x6, info.compress_size
        else:
            body, method, flags, size = part, zipfile.ZIP_STORED, 0, len(part)
        out.append(_LOCAL.pack(b"PK\x03\x04", 20, flags, method, 0, 0x21, info.CRC, size,
                               info.file_size, len(name), 0))
        out.append(name)
        out.append(body)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, method, 0, 0x21, info.CRC,
                                     size, info.file_size, len(name), 0, 0, 0, 0, 0, pos))
        central.append(name)
        pos += 30 + len(name) + size
    directory = b"".join(central)
    n = len(infos)
    return b"".join([*out, directory, _END.pack(b"PK\x05\x06", 0, 0, n, n, len(directory), pos, 0)])


def _member_names(info: zipfile.ZipInfo) -> tuple[str, ...]:
    """A member's name, and the other name its Info-ZIP Unicode Path extra field (0x7075)
    gives it: the Rust zip crate reads a member by the latter, Python's zipfile by the
    former."""
    extra = info.extra
    if not extra:
        return (info.filename,)
    names = [info.filename]
    i = 0
    while i + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, i)
        if kind == 0x7075 and size >= 5:
            names.append(bytes(extra[i + 9:i + 4 + size]).decode("utf-8", "replace"))
        i += 4 + size
    return tuple(names)


def _utf8(xml: bytes) -> bytes:
    """A part in UTF-16 (a byte-order mark, or `<` next to a zero byte), re-encoded in UTF-8
    for the searches; any other part as it is (the others a reader decodes keep `<`, `>`,
    quotes and ASCII letters where they are)."""
    head = xml[:2]
    if head in (b"\xff\xfe", b"\xfe\xff"):
        return xml.decode("utf-16", "replace").encode()
    if head == b"<\0":
        return xml.decode("utf-16-le", "replace").encode()
    if head == b"\0<":
        return xml.decode("utf-16-be", "replace").encode()
    return xml


def _normal(name: str) -> str:
    return name.replace("\\", "/").lstrip("/").lower()


#: Folders whose parts a reader may take for sheets (the relationships name them).
_SHEET_FOLDERS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/", "xl/macrosheets/")


def _without_cells(name: str, normal: str) -> bool:
    """A part that never holds cells a reader reads: only its prolog needs checking
    (`normal`: the name as `_normal` gives it)."""
    if normal.startswith(_SHEET_FOLDERS):
        return False
    return (name in _NO_CELLS or name.startswith(_NO_CELLS_FOLDERS)
            or (name.endswith(".rels") and name != _BOOK_RELS))


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
_NO_CELLS = frozenset({"[Content_Types].xml", "xl/styles.xml"})
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
    if (limits.max_cells >= _NEAR_CELLS and len(xml) <= 4 * limits.max_cells
            and not _ODD_OR_FAR.search(xml) and not _PREFIXED.search(xml)):
        return  # every cell written plainly within 9999 rows × 104 columns
    rows, cols = _extent(xml, _max_tags(limits))
    if rows * cols > limits.max_cells:
        raise Rejected("file-too-large", f"có ô ở tận {_column(cols)}{rows}; hãy xóa ô thừa đó")


def _extent(xml: bytes, max_tags: int) -> tuple[int, int]:
    """(rows, columns) from A1 to the farthest cell of a sheet part, every cell placed as
    python-calamine places it — or farther.

    The reader: a cell with an `r` reference goes there; a cell without one goes to the
    next column of the current row; a row's `r` sets the current row, and each row's end
    moves to the next one. Here every cell also counts at the position it would have without
    its reference, every `r` of a tag counts (prefixed too, entities and spaces decoded),
    and empty cells count: a file is refused rather than misjudged. More than `max_tags`
    cell tags is refused too (the reader keeps each one).
    """
    rows = cols = 0
    row, col = 1, 0  # where a cell without reference goes: `col` + 1 in row `row`
    tags = 0
    for m in _TAG.finditer(xml):
        end, name, attrs, empty = m.groups()
        if not name:
            continue
        if attrs is None:
            break  # a tag that never ends: the reader stops there with an error
        local = name[name.find(b":") + 1:]
        if local == b"c":
            if end:
                continue
            tags += 1
            if tags > max_tags:
                raise Rejected("file-too-large", f"một trang có hơn {whole(max_tags)} ô")
            col += 1
            rows, cols = max(rows, row), max(cols, col)
            for ref_row, ref_col in _references(attrs, cell=True):
                rows, cols, col = max(rows, ref_row), max(cols, ref_col), max(col, ref_col)
        elif local == b"row":
            if not end:
                refs = [r for r, _ in _references(attrs, cell=False)]
                if refs:
                    row = max(refs)
                if not empty:
                    continue
            row, col = row + 1, 0
    return rows, max(cols, 1) if rows else 0


def _max_tags(limits: Limits) -> int:
    """The most cell tags (or records) one sheet may hold, filled or not: the reader keeps
    each filled one, and the scan's walk takes ~1 µs a tag."""
    return max(limits.max_cells, 100_000)


def _references(attrs: bytes, *, cell: bool) -> list[tuple[int, int]]:
    """The (row, column) of each `r` attribute in a tag's attributes; a row's `r` needs no
    column (the reader ignores letters there)."""
    out = []
    for m in _R_ATTR.finditer(attrs):
        value = m.group(1) if m.group(1) is not None else m.group(2)
        if b"&" in value:
            value = html.unescape(value.decode("latin-1")).encode("utf-8", "replace")
        ref = _REF.fullmatch(b"".join(value.split()))
        if ref is None or (cell and not ref.group(1)):
            continue
        col = 0
        for ch in ref.group(1)[:12].upper():  # (12 letters: far enough)
            col = col * 26 + ch - 64
        out.append((_number(ref.group(2)), col))
    return out


def _number(digits: bytes) -> int:
    """Decimal digits as a number; past 15 digits, 10**15 (far beyond any limit — and Python
    refuses to convert thousands of digits)."""
    return int(digits) if len(digits) <= 15 else 10**15


def _column(col: int) -> str:
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters or "A"


def _size(n: int) -> str:
    return f"{n / 2**30:.1f} GB" if n >= 2**30 else f"{n / 2**20:.0f} MB"


_ATTRS: dict[bytes, re.Pattern[bytes]] = {}


def _attr_number(attrs: bytes, local: bytes) -> int | None:
    """The largest number among the attributes named `local` (any prefix), entities and
    spaces decoded; None when there is none."""
    if local not in attrs:
        return None
    pattern = _ATTRS.get(local)
    if pattern is None:
        pattern = _ATTRS[local] = re.compile(
            rb"(?:^|(?<=[\s\"']))(?:[^\s\"'=<>]*:)?" + re.escape(local)
            + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")
    best = None
    for m in pattern.finditer(attrs):
        value = _value_number(m.group(m.lastindex or 1))
        if value is not None:
            best = max(best or 0, value)
    return best


def _value_number(value: bytes) -> int | None:
    """An attribute value as a number (entities and spaces decoded), or None."""
    if b"&" in value:
        value = html.unescape(value.decode("latin-1")).encode("utf-8", "replace")
    value = b"".join(value.split())
    return _number(value) if value.isdigit() else None


# --- shared strings (.xlsx) -----------------------------------------------------------------

_UNIQUE_COUNT = re.compile(rb"""uniqueCount\s*=\s*["']([^"']*)""")
#: A cell typed "s" (a shared string), and the index in its `<v>` when it comes first.
_SHARED_REF = re.compile(
    rb"""[\s"'](?:[^\s"'=<>]*:)?t\s*=\s*(?:"s"|'s')(?:[^>"']++|"[^"]*+"|'[^']*+')*+(?:>\s*"""
    rb"""(?:<(?:[^\s<>/:]*:)?v\s*>\s*([0-9]+)\s*<)?|.*+)""", re.DOTALL)


class _SharedStrings:
    """The shared strings of an .xlsx, and the cells referencing them.

    python-calamine reserves a slot for each string the part declares (`uniqueCount`), and
    copies a string into every cell that references it (twice, then once more as Python
    text): 10,000 cells referencing a 4 MB string are 40 GB. Refused: a declared count over
    `max_cells`, and more than `max_text_bytes` of text copied into cells.
    """

    def __init__(self, limits: Limits):
        self.limits = limits
        self.parts: list[bytes] = []
        self.references = 0  # cells typed "s", at most (every `"s"` of the sheets)
        self.referencing: list[zipfile.ZipInfo] = []

    def add(self, xml: bytes) -> None:
        # (every `uniqueCount` of the part, wherever it is: an attribute name is never
        # spelt with entities, so the search for it is a plain one)
        declared = max((n or 0 for n in map(_value_number, _UNIQUE_COUNT.findall(xml))), default=0)
        if declared > self.limits.max_cells:
            raise Rejected("file-too-large",
                           f"bảng chuỗi dùng chung khai báo {whole(declared)} chuỗi")
        self.parts.append(xml)

    def count_references(self, info: zipfile.ZipInfo, xml: bytes) -> None:
        n = xml.count(b'"s"') + (xml.count(b"'s'") if b"'" in xml else 0)
        if n:
            self.references += n
            self.referencing.append(info)

    def check(self, zf: zipfile.ZipFile, view: memoryview) -> None:
        limit = self.limits.max_text_bytes
        if not self.parts or self.references * max(map(len, self.parts)) <= limit:
            return  # even if every reference took the whole part
        sizes: list[int] = []
        for xml in self.parts:  # (a reader takes one of them: the largest of each counts)
            for i, n in enumerate(_string_sizes(xml)):
                if i < len(sizes):
                    sizes[i] = max(sizes[i], n)
                else:
                    sizes.append(n)
        longest = max(sizes, default=0)
        total = cells = 0
        for info in self.referencing:
            for m in _SHARED_REF.finditer(_utf8(_inflate(zf, view, info))):
                cells += 1
                if m.group(1) is None:
                    total += longest  # no plain `<v>` index: as if the longest
                else:
                    i = _number(m.group(1))
                    total += sizes[i] if i < len(sizes) else 0
        if total > limit:
            raise Rejected("file-too-large",
                           f"{whole(cells)} ô dùng chung những chuỗi dài: khi đọc thành "
                           f"~{_size(total)} chữ (giới hạn {_size(limit)})")


def _string_sizes(xml: bytes) -> list[int]:
    """The bytes each shared string spans in its part (markup included: at least its text),
    in the reader's order: an `<si>` outside any other string starts one, the end tag of the
    same name ends it."""
    sizes = []
    open_name: bytes | None = None
    start = 0
    for m in _TAG.finditer(xml):
        end, name, attrs, empty = m.groups()
        if not name:
            continue
        if attrs is None:
            break  # a tag that never ends
        if open_name is None:
            if not end and name[name.find(b":") + 1:] == b"si":
                if empty:
                    sizes.append(m.end() - m.start())
                else:
                    open_name, start = name, m.start()
        elif end and name == open_name:
            sizes.append(m.end() - start)
            open_name = None
    if open_name is not None:
        sizes.append(len(xml) - start)
    return sizes


# --- OpenDocument (.ods) ------------------------------------------------------------------------

_ODS_FILLED = re.compile(rb"value|formula")  # office:value(-type), office:*-value, table:formula


def _check_ods_content(xml: bytes, limits: Limits) -> None:
    """Refuse an OpenDocument spreadsheet that python-calamine would expand past the limits.

    A cell or row may stand for many (`table:number-columns-repeated`,
    `table:number-rows-repeated`): the reader copies a filled cell into each column and each
    row it repeats, and fills with empty cells the area up to the last filled cell — up to
    100 million cells, all sheets at once, when the file is opened. Empty cells and rows
    that no filled cell follows cost nothing: LibreOffice ends every row with an empty cell
    repeated to column XFD and every sheet with empty rows to row 1048576.
    """
    sheets, text = _ods_sheets(xml, _max_tags(limits))
    total = 0
    for name, rows, cols in sheets:
        if rows * cols > limits.max_cells:
            raise Rejected("file-too-large",
                           f"trang '{name}' có ô ở tận {_column(cols)}{rows}; hãy xóa ô thừa đó")
        total += rows * cols
    if total > limits.max_cells:
        raise Rejected("file-too-large", f"các trang trải trên {whole(total)} ô")
    if text > limits.max_text_bytes:
        raise Rejected("file-too-large", f"các ô lặp lại (hoặc dấu cách lặp lại): khi đọc thành "
                                         f"~{_size(text)} chữ (giới hạn {_size(limits.max_text_bytes)})")


# long: one streaming state machine over content.xml, as python-calamine walks it
def _ods_sheets(xml: bytes, max_tags: int) -> tuple[list[tuple[str, int, int]], int]:
    """Each sheet of an OpenDocument `content.xml` as python-calamine expands it — (name,
    rows, columns) from A1 to its last filled cell, repeats included — and the bytes of text
    it copies into cells.

    Erring on the large side: a cell with a value, a formula or any content counts as filled
    (the reader keeps fewer); the text counted is what the file does not spell out: the
    spaces `<text:s text:c="…"/>` stands for, and a repeated cell's bytes in the file (markup
    included) once per column and row it is repeated in; any
    namespace prefix counts (the reader knows `table:` only); rows and cells nested in a
    cell count in the row around it, and nested rows add rows. More than `max_tags` cell
    tags is refused (empty ones cost the reader nothing, but this walk some time).
    """
    if xml.count(b"table-cell") > 2 * max_tags:  # both ends of each cell, or one
        raise Rejected("file-too-large", f"hơn {whole(max_tags)} ô")
    sheets: list[tuple[str, int, int]] = []
    text = 0
    name = ""
    in_table = False
    rows_seen = last_row = width = 0  # in the current sheet
    rows: list[int] = []  # repeats of the open rows, outermost first
    times = 1  # their product: how many rows a cell stands for
    pos = last_filled = 0  # in the outermost open row
    cells: list[list[int]] = []  # open filled cells: [start, repeat, spaces]
    kinds: dict[bytes, bytes] = {}
    for m in _ODS_TAG.finditer(xml):
        end, tag, attrs, empty = m.groups()
        if tag is None:
            if m.end() == len(xml):
                break
            continue  # a stray `<`
        if attrs is None:
            break  # a tag that never ends: the reader stops there with an error
        kind = kinds.get(tag)
        if kind is None:
            kind = tag[tag.find(b":") + 1:]
            if kind == b"covered-table-cell":
                kind = b"table-cell"
            if len(kinds) < 64:
                kinds[tag] = kind
        if kind == b"table-cell":
            if end:
                if cells:
                    start, repeat, spaces = cells.pop()
                    copies = repeat * times
                    text += (m.end() - start + spaces) * copies if copies > 1 else spaces
                    if cells:
                        cells[-1][2] += spaces
                continue
            repeat = _attr_number(attrs, b"number-columns-repeated") or 1
            pos += repeat
            if not empty or _ODS_FILLED.search(attrs):
                last_filled = pos
                if empty:
                    copies = repeat * times
                    text += (m.end() - m.start(1) + 1) * copies if copies > 1 else 0
                else:
                    cells.append([m.start(1) - 1, repeat, 0])
        elif kind == b"table-row":
            if not end:
                repeat = _attr_number(attrs, b"number-rows-repeated") or 1
                if rows:
                    rows_seen += repeat  # a row inside a cell: more rows, maybe
                else:
                    pos = last_filled = 0
                rows.append(repeat)
                times *= repeat
                if not empty:
                    continue
            if not rows:
                continue
            repeat = rows.pop()
            times //= repeat
            if not rows:
                if last_filled:
                    last_row, width = rows_seen + repeat, max(width, last_filled)
                rows_seen += repeat
                pos = last_filled = 0
        elif kind == b"s":
            if cells and not end:
                cells[-1][2] += _attr_number(attrs, b"c") or 0
        elif kind == b"table":
            if not end and not in_table:
                found = _NAME_ATTR.search(attrs)
                value = b""
                if found:
                    value = found.group(1) if found.group(1) is not None else found.group(2)
                name = html.unescape(value.decode("utf-8", "replace"))
                in_table, rows_seen, last_row, width, times = True, 0, 0, 0, 1
                rows.clear()
                cells.clear()
                if not empty:
                    continue
            if (end or empty) and in_table:
                if last_row:
                    sheets.append((name, last_row, width))
                in_table = False
    if in_table and last_row:
        sheets.append((name, last_row, width))
    return sheets, text


#: The next tag of a cell, row, sheet or `<text:s>` (groups as `_TAG`'s), everything before
#: it — text, comments, CDATA, processing instructions, other tags — skipped as quick-xml
#: reads it (quoted attribute values may hold `>`), in one step of the regex engine. It
#: always matches (a stray `<`, or the end, with empty groups) so that the engine never
#: skips the same text twice.
_ODS_NAMES = rb"(?:[^\s<>/!?:]*:)?(?:table-cell|covered-table-cell|table-row|table|s)(?=[\s/>])"
_ODS_TAG = re.compile(
    rb"(?:[^<]++|<!--(?:.*?-->|.*+)|<!\[CDATA\[(?:.*?\]\]>|.*+)|<\?(?:.*?\?>|.*+)"
    rb"|<(?!/?" + _ODS_NAMES + rb")(?=[^\s<>])(?:(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+>|.*+))*+"
    rb"(?:<(/?)(" + _ODS_NAMES + rb")(?:((?:[^>\"'/]++|/(?!>)|\"[^\"]*+\"|'[^']*+')*+)(/?)>|.*+)"
    rb"|<|\Z)", re.DOTALL)
_NAME_ATTR = re.compile(rb"""(?:^|(?<=[\s"']))(?:[^\s"'=<>]*:)?name\s*=\s*(?:"([^"]*)"|'([^']*)')""")


# --- Excel 97-2003 (.xls): the compound file, then the BIFF records ---------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF


def _broken(what: str) -> Rejected:
    return Rejected("file-unreadable", f"cấu trúc tệp .xls bị hỏng: {what}")


def _check_ole(data: bytes, limits: Limits) -> None:
    """Refuse an .xls whose compound-file structure or BIFF records python-calamine would
    choke on (a chain of sectors that loops, a declared size or count it would reserve) or
    expand past the limits (see `_check_biff`)."""
    for stream in _workbook_streams(data):
        _check_biff(stream, limits)


# long: the compound-file directory and sector chains checked in the order calamine reads them
def _workbook_streams(data: bytes) -> list[bytes]:
    """The `Workbook` (or `Book`) streams of a compound file (MS-CFB), read as python-calamine
    reads them, every sector chain checked first: in the file, no loop, sizes within the
    file. Raises `Rejected` for a damaged structure; none for a header the reader refuses
    by itself (a sector size it does not know)."""
    if len(data) < 512:
        return []
    shift, mini_shift = struct.unpack_from("<HH", data, 30)
    if shift not in (9, 12) or mini_shift != 6:
        return []  # no compound file the reader knows: it says so (file-format)
    ss = 1 << shift
    n_secs = max(0, -(-(len(data) - ss) // ss))  # sectors after the header (one sector)
    (n_dir, n_fat, dir_start, _, _, minifat_start, n_minifat, difat_start,
     n_difat) = struct.unpack_from("<9I", data, 40)
    if max(n_dir, n_fat, n_minifat, n_difat) > n_secs:
        raise _broken("số sector khai báo vượt quá tệp")

    def sector(i: int) -> bytes:
        return data[(i + 1) * ss:(i + 2) * ss]

    def u32s(raw: bytes) -> tuple[int, ...]:
        return struct.unpack(f"<{len(raw) // 4}I", raw[:len(raw) // 4 * 4])

    difat = list(struct.unpack_from("<109I", data, 76))
    seen: set[int] = set()
    sid = difat_start
    while sid not in (_ENDOFCHAIN, _FREESECT):
        if sid >= n_secs or sid in seen:
            raise _broken("chuỗi DIFAT")
        seen.add(sid)
        links = u32s(sector(sid))
        if not links:
            raise _broken("chuỗi DIFAT")
        difat.extend(links[:-1])
        sid = links[-1]
    fat_sectors = [i for i in difat if i != _FREESECT]
    if len(fat_sectors) > n_secs or any(i >= n_secs for i in fat_sectors):
        raise _broken("bảng FAT")
    fat = u32s(b"".join(sector(i) for i in fat_sectors))

    def chain(start: int, table: Sequence[int], count: int) -> list[int]:
        out: list[int] = []
        seen_: set[int] = set()
        sid = start
        while sid != _ENDOFCHAIN:
            if sid >= len(table) or sid >= count or sid in seen_:
                raise _broken("chuỗi sector lặp hoặc ra ngoài tệp")
            seen_.add(sid)
            out.append(sid)
            sid = table[sid]
        return out

    directory = b"".join(sector(i) for i in chain(dir_start, fat, n_secs))
    entries: list[tuple[str, int, int]] = []
    for off in range(0, len(directory) - 127, 128):
        raw = directory[off:off + 128]
        name = raw[:64].decode("utf-16-le", "ignore").split("\0", 1)[0]
        start = struct.unpack_from("<I", raw, 116)[0]
        size = struct.unpack_from("<Q" if ss == 4096 else "<I", raw, 120)[0]
        entries.append((name, start, size))
    if not entries:
        raise _broken("thư mục rỗng")
    streams = [e for e in entries if e[0] == "Workbook"] or [e for e in entries if e[0] == "Book"]
    if not streams:
        return []
    _, root_start, root_size = entries[0]
    if root_size > len(data):
        raise _broken("kích thước luồng")
    mini = b""
    if root_start not in (_ENDOFCHAIN, _FREESECT):
        mini = b"".join(sector(i) for i in chain(root_start, fat, n_secs))[:root_size]
    minifat: tuple[int, ...] = ()
    if minifat_start not in (_ENDOFCHAIN, _FREESECT):
        minifat = u32s(b"".join(sector(i) for i in chain(minifat_start, fat, n_secs)))
    out = []
    for _, start, size in streams:
        if size > len(data):
            raise _broken("kích thước luồng")
        if size >= 4096:
            raw = b"".join(sector(i) for i in chain(start, fat, n_secs))
        else:
            ids = chain(start, minifat, len(mini) // 64)
            raw = b"".join(mini[i * 64:(i + 1) * 64] for i in ids)
        out.append(raw[:size])
    return out


#: Records python-calamine turns into cells (row and column in their first four bytes):
#: Number, Label, BoolErr, RK, LabelSst, Formula, RString; MulRk spans columns.
_BIFF_CELLS = frozenset({0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006, 0x00D6, 0x00BD})
_RECORD = struct.Struct("<HH")  # a record's type and size; a cell's row and column


def _biff_records(stream: bytes, pos: int) -> Iterator[tuple[int, bytes, list[bytes]]]:
    """(type, data, continuations) of each record from `pos`, CONTINUE records attached to
    the record before them, as python-calamine reads them; stops where a record would run
    past the stream (the reader stops there with an error)."""
    n = len(stream)
    while pos + 4 <= n:
        kind, size = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + size > n:
            return
        body = stream[pos + 4:pos + 4 + size]
        pos += 4 + size
        more = []
        while pos + 4 <= n and struct.unpack_from("<H", stream, pos)[0] == 0x003C:
            size = struct.unpack_from("<H", stream, pos + 2)[0]
            if pos + 4 + size > n:
                break
            more.append(stream[pos + 4:pos + 4 + size])
            pos += 4 + size
        yield kind, body, more


def _check_biff(stream: bytes, limits: Limits) -> None:
    """Refuse a BIFF workbook stream python-calamine would expand past the limits when it
    opens the file (it reads every sheet then): the area from A1 to each sheet's farthest
    cell, and the sheets together (`max_cells`), the text it copies into cells referencing
    shared strings (`max_text_bytes`); see `_biff_sheets` for the rest."""
    sheets, text = _biff_sheets(stream, limits)
    total = 0
    for rows, cols in sheets:
        if rows * cols > limits.max_cells:
            raise Rejected("file-too-large", f"có ô ở tận {_column(cols)}{rows}; hãy xóa ô thừa đó")
        total += rows * cols
    if total > limits.max_cells:
        raise Rejected("file-too-large", f"các trang trải trên {whole(total)} ô")
    if text > limits.max_text_bytes:
        raise Rejected("file-too-large", f"các ô dùng chung những chuỗi dài: khi đọc thành "
                                         f"~{_size(text)} chữ (giới hạn {_size(limits.max_text_bytes)})")


# long: one state machine over the BIFF records, as python-calamine walks them
def _biff_sheets(stream: bytes, limits: Limits) -> tuple[list[tuple[int, int]], int]:
    """(rows, columns) from A1 to the farthest cell of each sheet of a BIFF workbook stream
    (columns go up to 65535 for the reader, not IV), and the bytes of shared strings it
    copies into cells, read as python-calamine reads them: the globals up to their EOF, then
    each sheet from the offset its BoundSheet gives up to its EOF. Raises `Rejected` for what
    the reader would reserve (a `DIMENSIONS` area, a shared-string count, more cell records
    than `max_cells`) or panic on (a sheet that starts past the end of the stream)."""
    starts: list[int] = []
    sizes: list[int] = []
    for kind, body, more in _biff_records(stream, 0):
        if kind == 0x002F and body[:2] != b"\0\0":
            return [], 0  # encrypted (FilePass): the reader says so
        if kind == 0x0085 and len(body) >= 4:
            starts.append(struct.unpack_from("<I", body)[0])
        elif kind == 0x00FC and len(body) >= 8:
            declared = struct.unpack_from("<i", body, 4)[0]
            if declared < 0:
                raise _broken("bảng chuỗi dùng chung")
            if declared > limits.max_cells:
                raise Rejected("file-too-large",
                               f"bảng chuỗi dùng chung khai báo {whole(declared)} chuỗi")
            sizes = _sst_sizes([body[8:], *more], declared)
        elif kind == 0x000A:
            break
    sheets: list[tuple[int, int]] = []
    text = 0
    max_tags = _max_tags(limits)
    n = len(stream)
    head = _RECORD.unpack_from
    for start in starts:
        if start > n:
            raise _broken("trang tính nằm ngoài luồng dữ liệu")
        rows = cols = cells = 0
        pos = start
        while pos + 4 <= n:  # the records up to the sheet's EOF (CONTINUE ones carry no cell)
            kind, size = head(stream, pos)
            at, pos = pos + 4, pos + 4 + size
            if pos > n:
                break  # a record past the stream's end: the reader stops with an error
            if kind in _BIFF_CELLS:
                if size < 4:
                    continue
                row, col = head(stream, at)
                cells += 1
                if kind == 0x00BD and size >= 6:  # MulRk: columns col … last
                    col = max(col, head(stream, pos - 4)[1], col + (size - 6) // 6 - 1)
                elif kind == 0x00FD and size >= 10:
                    i = struct.unpack_from("<I", stream, at + 6)[0]
                    if i < len(sizes):
                        text += sizes[i]
                if row >= rows:
                    rows = row + 1
                if col >= cols:
                    cols = col + 1
                if cells > max_tags:
                    raise Rejected("file-too-large", f"một trang có hơn {whole(max_tags)} ô")
            elif kind == 0x000A:
                break
            elif kind == 0x0200:
                reserved = _dimensions(stream[at:pos])
                if reserved > limits.max_cells:
                    raise Rejected("file-too-large",
                                   f"một trang khai báo vùng {whole(reserved)} ô")
            elif kind == 0x0207:
                cells += 1  # a formula's text: one more cell, at the formula's place
        sheets.append((rows, cols))
    return sheets, text


def _dimensions(body: bytes) -> int:
    """The cells python-calamine reserves for a DIMENSIONS record: rows × columns of the
    range it declares, with its 32-bit arithmetic (a first row past the last wraps round)."""
    if len(body) == 10:
        rf, rl, cf, cl = struct.unpack_from("<HHHH", body)
    elif len(body) == 14:
        rf, rl, cf, cl = struct.unpack_from("<IIHH", body)
    else:
        return 0
    if rl < 1 or cl < 1:
        return 1
    rows = (rl - 1 - rf + 1) % 2**32
    cols = (cl - 1 - cf + 1) % 2**32
    return rows * cols


def _sst_sizes(chunks: list[bytes], count: int) -> list[int]:
    """The bytes of each string of an SST record (`chunks`: its data after the counts, then
    each CONTINUE record's), read as python-calamine reads them: a string's characters go
    on in the next chunk after an option byte (1 or 2 bytes a character); formatting runs
    and phonetic data are skipped. Stops where the reader would fail."""
    sizes: list[int] = []
    ci, off = 0, 0
    chunk = chunks[0]
    for _ in range(count):
        if off >= len(chunk):
            ci += 1
            if ci >= len(chunks):
                break
            chunk, off = chunks[ci], 0
        if len(chunk) - off < 3:
            break
        cch, flags = struct.unpack_from("<HB", chunk, off)
        off += 3
        skip = 0
        if flags & 0x8 and off + 2 <= len(chunk):
            skip += 4 * struct.unpack_from("<H", chunk, off)[0]
            off += 2
        if flags & 0x4 and off + 4 <= len(chunk):
            skip += struct.unpack_from("<I", chunk, off)[0]
            off += 4
        width = 2 if flags & 0x1 else 1
        left, size = cch, 0
        while left:
            take = min(left, (len(chunk) - off) // width)
            off += take * width
            size += take * width
            left -= take
            if left:
                ci += 1
                if ci >= len(chunks) or not chunks[ci]:
                    return sizes + [size]
                chunk = chunks[ci]
                width = 2 if chunk[0] & 0x1 else 1
                off = 1
        sizes.append(size)
        while skip:
            take = min(skip, len(chunk) - off)
            off += take
            skip -= take
            if skip:
                ci += 1
                if ci >= len(chunks):
                    return sizes
                chunk, off = chunks[ci], 0
    return sizes


_HAS_FORMULA = re.compile(rb"<f[ >/]")  # a formula element (not <formula1> of a drop-down)
_FORMULA_CELL = re.compile(
    rb"<c\b[^>]*?\br=\"([A-Z]+[0-9]+)\"[^>]*?(?<!/)>(.*?)</c>", re.DOTALL)
_F = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.DOTALL)
_V = re.compile(rb"<v>[^<]+</v>")
_SHEET = re.compile(rb"<sheet\b[^>]*?\bname=\"([^\"]*)\"[^>]*?\br:id=\"([^\"]*)\"", re.DOTALL)
_SHEET_RID_FIRST = re.compile(rb"<sheet\b[^>]*?\br:id=\"([^\"]*)\"[^>]*?\bname=\"([^\"]*)\"", re.DOTALL)
_REL = re.compile(rb"<Relationship\b[^>]*?\bId=\"([^\"]*)\"[^>]*?\bTarget=\"([^\"]*)\"", re.DOTALL)
_REL_TARGET_FIRST = re.compile(rb"<Relationship\b[^>]*?\bTarget=\"([^\"]*)\"[^>]*?\bId=\"([^\"]*)\"", re.DOTALL)


def _formula_cells(parts: dict[str, bytes], book: bytes, rels: bytes) -> dict[str, dict[str, str]]:
    """Cells holding a formula but no cached value, by sheet name: {sheet: {cell: formula}}.

    python-calamine reads such cells as empty; only the raw XML tells them apart.
    `parts`: the sheet parts holding a formula, by part name.
    """
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
