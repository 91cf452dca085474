"""The clubs' sheets of the merged workbook (`Thành viên`, `Sinh hoạt`, `Tập huấn`,
`Tuyên truyền`, `Quỹ`) club by club: each club's rows of a sheet are one `_xlsx.Piece`, kept
in the cache (`Archive.store_blobs`) by the file's SHA-256 and path, so that a merge after
one club's workbook changed encodes and compresses that club's rows only and copies the
others' as they are (issue 14: the nightly export). So are the people `Nghi trùng` compares
(`club_people`): with both, a merge needs no unchanged club's rows at all (they stay in the
cache: `model.RowsLater`).

A piece is a function of the file's bytes (its rows, read by this code: the cache's code
fingerprint), of the path shown (`Tệp nguồn`, kept in the entry and compared), of the
columns (`names`) and of zlib (its version and level are in the entry's kind): a piece from
the cache is the piece that encoding the rows again would give, byte for byte
(tests/test_merge_pieces.py).
"""

from __future__ import annotations

import marshal
import struct
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .. import schema as S
from . import _sheets as M
from ._xlsx import CELL, LEVEL, Piece, encode

if TYPE_CHECKING:
    from ..archive import Archive

#: Clubs looked up in the cache at a time (memory stays flat at a nation's scale).
CHUNK = 500
#: Bytes of new pieces held before they are written to the cache (one transaction).
STORE_EVERY = 32 * 1024 * 1024


class NewPieces:
    """Pieces encoded by this merge, written to the cache together: one transaction for
    a merge, not one per sheet (each costs a commit), unless they grow past `STORE_EVERY`."""

    def __init__(self, cache: Archive | None):
        self.cache = cache
        self.entries: list[tuple[str, str, str, bytes]] = []
        self.size = 0

    def add(self, kind: str, sha: str, path: str, blob: bytes) -> None:
        if self.cache is None:
            return
        self.entries.append((kind, sha, path, blob))
        self.size += len(blob)
        if self.size > STORE_EVERY:
            self.store()

    def store(self) -> None:
        if self.cache is not None and self.entries:
            self.cache.store_blobs(self.entries)
        self.entries, self.size = [], 0


class ClubRows:
    """The rows of one of the clubs' sheets, club after club. Iterated: the rows (for CSV,
    and for a sheet too long for one Excel sheet); `pieces()`: each club's rows as one
    piece of the sheet's XML, from the cache when it holds them."""

    def __init__(self, sources: Sequence[M.Source], sheet: S.Sheet, *, names: bool,
                 cache: Archive | None = None, on_club: Callable[[], None] | None = None,
                 new: NewPieces | None = None):
        self.sources = sources
        self.sheet = sheet
        self.names = names
        self.cache = cache
        self.on_club = on_club
        self.new = new if new is not None else NewPieces(None)
        self.count = sum(len(getattr(s.club, sheet.key)) for s in sources if s.club is not None)
        self.fmts = [CELL[c.fmt] for c in M.record_columns(sheet, names=names)]

    def __iter__(self) -> Iterator[list[Any]]:
        return M.record_rows(self.sources, self.sheet, names=self.names, on_club=self.on_club)

    @property
    def kind(self) -> str:
        """The cache entries' kind: what besides the file decides a piece's bytes."""
        return (f"merged/{self.sheet.key}/names={int(self.names)}/level={LEVEL}"
                f"/zlib={zlib.ZLIB_RUNTIME_VERSION}")

    def piece(self, src: M.Source) -> Piece:
        """`src`'s rows of the sheet, encoded now."""
        rows = M.record_rows([src], self.sheet, names=self.names)
        xml, n = encode(rows, self.fmts, len(getattr(src.club, self.sheet.key)) + 1)
        return Piece.of(xml, n, LEVEL)

    def pieces(self) -> Iterator[Piece]:
        for start in range(0, len(self.sources), CHUNK):
            chunk = self.sources[start:start + CHUNK]
            keys = [(s.sha256, s.path) for s in chunk if s.sha256]
            known = self.cache.blobs(keys, self.kind) if self.cache is not None and keys else {}
            for src in chunk:
                piece = _unpacked(known.get((src.sha256, src.path)), src,
                                  len(getattr(src.club, self.sheet.key)))
                if piece is None:
                    piece = self.piece(src)
                    if src.sha256:
                        self.new.add(self.kind, src.sha256, src.path, _packed(piece, src))
                yield piece
                if self.on_club is not None:
                    self.on_club()


def _packed(piece: Piece, src: M.Source) -> bytes:
    shown = src.display.encode("utf-8", "surrogatepass")
    return len(shown).to_bytes(4, "little") + shown + piece.pack()


def _unpacked(blob: bytes | None, src: M.Source, rows: int) -> Piece | None:
    """The piece kept for `src`, or None when there is none or it was made for another
    path shown or another number of rows (a damaged entry is a miss too)."""
    if blob is None:
        return None
    try:
        n = int.from_bytes(blob[:4], "little")
        if blob[4:4 + n].decode("utf-8", "surrogatepass") != src.display:
            return None
        piece = Piece.unpack(blob[4 + n:])
    except (ValueError, IndexError, struct.error):
        return None
    return piece if piece.rows == rows else None


#: The cache entries' kind of a club's people (`club_people`): marshal's format is Python's.
PEOPLE_KIND = (f"people/py={sys.version_info[0]}.{sys.version_info[1]}"
               f"/marshal={marshal.version}")


def club_people(sources: Sequence[M.Source], cache: Archive | None,
                new: NewPieces) -> list[Sequence[M.Person]]:
    """Each source's `Nghi trùng` people (`_sheets.people_of` its members), from the cache
    when it holds them (the members are then not used: a warm merge leaves them in the
    cache), else made from its members (with a cache, added to `new`): at once up to
    `_sheets.SMALL` member rows, else when asked (`MemberPeople`: a nation's merge holds no
    tuple a member beside its rows)."""
    lean = sum(len(s.club.members) for s in sources if s.club is not None) > M.SMALL
    out: list[Sequence[M.Person]] = []
    for start in range(0, len(sources), CHUNK):
        chunk = sources[start:start + CHUNK]
        keys = [(s.sha256, s.path) for s in chunk if s.sha256]
        known = cache.blobs(keys, PEOPLE_KIND) if cache is not None and keys else {}
        for src in chunk:
            assert src.club is not None
            people = _people(known.get((src.sha256, src.path)), len(src.club.members))
            if people is None:
                made = M.people_of(src.club.members) if cache is not None or not lean else None
                if cache is not None and src.sha256:
                    new.add(PEOPLE_KIND, src.sha256, src.path, marshal.dumps(made, 4))
                out.append(M.MemberPeople(src.club.members) if lean or made is None else made)
            else:
                out.append(people)
    return out


def _people(blob: bytes | None, members: int) -> list[M.Person] | None:
    """The people kept, or None when there are none, or more than the club's members, or
    the entry is damaged (a miss)."""
    if blob is None:
        return None
    try:
        people = marshal.loads(blob)
    except (ValueError, EOFError, TypeError):
        return None
    return people if isinstance(people, list) and len(people) <= members else None
