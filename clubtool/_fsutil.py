"""Files: atomic writes (temp file in the same folder, then rename), never over an input."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class OutputExists(FileExistsError):
    """The output exists and `force` was not given."""


@contextlib.contextmanager
def atomic_path(target: Path | str, *, force: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` at once.

    On any failure the temporary file is removed and `target` is left as it was.
    """
    target = Path(target)
    if not force and target.exists():
        raise OutputExists(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if tmp.exists():
            # mkstemp makes the file private (0600); an output is an ordinary file.
            tmp.chmod(0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(target: Path | str, data: bytes, *, force: bool = True) -> None:
    with atomic_path(target, force=force) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: Path | str, text: str, *, force: bool = True) -> None:
    write_bytes_atomic(target, text.encode("utf-8"), force=force)


def workbook_bytes(wb: Any) -> bytes:
    """An openpyxl workbook's bytes, the same for the same workbook: openpyxl's own `save`
    stamps the document's `modified` date and the zip's entries with the clock; here the
    workbook keeps the dates it holds and the entries a fixed time (`normalise_zip`)."""
    import io
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return normalise_zip(buf.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same zip (DOCX, XLSX) with fixed timestamps and modes: equal inputs, equal bytes."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()
