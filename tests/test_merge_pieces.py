"""The merged workbook club by club (`clubtool.merge._pieces`, issue 14's nightly export):
each club's rows of the clubs' sheets are one deflated piece kept in the cache; a merge
after one workbook changed encodes that club's rows only, and writes the very bytes a merge
without the cache writes."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from clubtool.archive import Archive
from clubtool.merge import _pieces as P
from clubtool.merge import _xlsx as X
from clubtool.merge import merge
from clubtool.validation import validate

from .factories import changed, club_data, write_club

YEAR = 2027


@given(st.binary(max_size=300), st.binary(max_size=300))
def test_crc_join_is_the_crc_of_both(a: bytes, b: bytes) -> None:
    assert X.crc_join(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


@given(st.lists(st.text(max_size=40), max_size=6))
def test_pieces_join_into_one_deflate_stream(texts: list[str]) -> None:
    pieces = [X.Piece.of(t) for t in texts]
    data = b"".join(p.data for p in pieces) + b"\x03\x00"
    raw = "".join(texts).encode("utf-8", "replace")
    assert zlib.decompress(data, -15) == raw
    crc = 0
    for p in pieces:
        crc = X.crc_join(crc, p.crc, p.size)
    assert crc == zlib.crc32(raw)
    assert X.Piece.unpack(pieces[0].pack()) == pieces[0] if pieces else True


def _clubs(folder: Path, n: int = 4) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_club(folder / f"clb_{k + 1:02d}.xlsx", _club(k, 5 + k)) for k in range(n)]


def _club(k: int, members: int) -> dict:
    """Club MH-0<k+1>, nobody shared with the other clubs."""
    data = club_data(YEAR, f"MH-{k + 1:02d}", members=members)
    data = changed(data, "info", chair=f"{data['info']['chair']} K{k}")
    for sheet in ("members", "trainings"):
        for m in data[sheet]:
            m["name"] = f"{m['name']} K{k}"
    return data


def _merge(folder: Path, out: Path, cache: Archive | None) -> bytes:
    report = validate([folder], year=YEAR)
    merge(report, out, year=YEAR, force=True, cache=cache)
    return out.read_bytes()


def _encoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose rows are encoded (not taken from the cache), one entry a sheet."""
    calls: list[str] = []
    real = P.ClubRows.piece

    def counting(self: P.ClubRows, src):  # type: ignore[no-untyped-def]
        calls.append(Path(src.path).name)
        return real(self, src)

    monkeypatch.setattr(P.ClubRows, "piece", counting)
    return calls


def test_one_changed_club_is_the_only_one_encoded_again(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    paths = _clubs(data)
    encoded = _encoded(monkeypatch)
    with Archive.open(tmp_path / "cache.sqlite") as cache:
        cold = _merge(data, tmp_path / "cold.xlsx", cache)
        assert len(encoded) == 4 * 5  # every club, each of the 5 clubs' sheets
        encoded.clear()
        warm = _merge(data, tmp_path / "warm.xlsx", cache)
        assert encoded == []
        assert warm == cold == _merge(data, tmp_path / "none.xlsx", None)

        write_club(paths[1], changed(_club(1, 9), "info", name="CLB đổi tên"))
        encoded.clear()
        one = _merge(data, tmp_path / "one.xlsx", cache)
        assert sorted(set(encoded)) == ["clb_02.xlsx"]
        assert one == _merge(data, tmp_path / "one_none.xlsx", None)
        assert one != cold


def test_an_entry_for_another_path_shown_is_not_used(tmp_path: Path) -> None:
    """The same bytes merged from another folder show other paths (`Tệp nguồn`): the
    entries kept for the first folder are not used for the second."""
    a = tmp_path / "a" / "xa"
    _clubs(a)
    (tmp_path / "a" / "xb").mkdir()
    write_club(tmp_path / "a" / "xb" / "clb_09.xlsx", _club(8, 3))
    with Archive.open(tmp_path / "cache.sqlite") as cache:
        _merge(a, tmp_path / "1.xlsx", cache)
        with_b = _merge(tmp_path / "a", tmp_path / "2.xlsx", cache)  # paths now "xa/clb_…"
    assert with_b == _merge(tmp_path / "a", tmp_path / "3.xlsx", None)
    ws = CalamineWorkbook.from_path(str(tmp_path / "2.xlsx")).get_sheet_by_name("Thành viên")
    assert ws.to_python()[1][1].startswith("xa/clb_01.xlsx:")


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _clubs(data, 2)
    with Archive.open(tmp_path / "cache.sqlite") as cache:
        _merge(data, tmp_path / "1.xlsx", cache)
        with cache.transaction() as c:
            c.execute("UPDATE cache SET data = X'0102' WHERE reading LIKE 'merged/%'")
        assert _merge(data, tmp_path / "2.xlsx", cache) == _merge(data, tmp_path / "3.xlsx", None)


def test_without_zipfiles_internals_the_cells_are_the_same(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Another Python's zipfile without the entry writer's state the pieces are added to:
    each piece is inflated and written through zipfile's compressor; same cells."""
    data = tmp_path / "data"
    _clubs(data, 3)
    direct = _merge(data, tmp_path / "direct.xlsx", None)
    monkeypatch.setattr(X, "_WRITER_STATE", (*X._WRITER_STATE, "_no_such_state"))
    slow = _merge(data, tmp_path / "slow.xlsx", None)
    assert slow != direct  # another route indeed
    for name in CalamineWorkbook.from_path(str(tmp_path / "direct.xlsx")).sheet_names:
        a, b = (CalamineWorkbook.from_path(str(tmp_path / f)).get_sheet_by_name(name).to_python()
                for f in ("direct.xlsx", "slow.xlsx"))
        assert a == b, name
    with zipfile.ZipFile(tmp_path / "direct.xlsx") as zf:
        assert zf.testzip() is None


def test_a_sheet_longer_than_one_part_is_written_row_by_row(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _clubs(data, 3)
    report = validate([data], year=YEAR)
    result = merge(report, tmp_path / "m.xlsx", year=YEAR, row_limit=7)
    assert result.parts["Thành viên"] == ["Thành viên", "Thành viên (2)", "Thành viên (3)"]
    wb = CalamineWorkbook.from_path(str(tmp_path / "m.xlsx"))
    rows = [r for n in result.parts["Thành viên"] for r in wb.get_sheet_by_name(n).to_python()[1:]]
    assert len(rows) == result.rows["Thành viên"] == 5 + 6 + 7


def test_paths_shown_are_those_of_resolving_each_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """`_displays` resolves a folder once rather than every file (1,000 files): the paths
    shown are those of `Path.resolve()` on each, symbolic links and `..` included."""
    import itertools
    import os

    from clubtool.merge import _displays

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "c").mkdir()
    (tmp_path / "a" / "b" / "x.xlsx").write_text("1")
    (tmp_path / "c" / "y.xlsx").write_text("1")
    try:
        os.symlink(tmp_path / "c" / "y.xlsx", tmp_path / "a" / "link.xlsx")
        os.symlink(tmp_path / "c", tmp_path / "a" / "dlink")
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    monkeypatch.chdir(tmp_path / "a")
    candidates = ["b/x.xlsx", "link.xlsx", "dlink/y.xlsx", "../c/y.xlsx", "./b/x.xlsx",
                  str(tmp_path / "a" / "b" / "x.xlsx"), "b/../link.xlsx", "nope.xlsx",
                  "dlink/../b/x.xlsx"]

    def by_resolving(paths: list[str]) -> dict[str, str]:
        real = {p: Path(p).resolve() for p in paths}
        root = Path(os.path.commonpath([str(r.parent) for r in real.values()]))
        return {p: r.relative_to(root).as_posix() if r.is_relative_to(root)
                else Path(p).as_posix() for p, r in real.items()}

    for n in (1, 2, 3):
        for paths in itertools.combinations(candidates, n):
            assert _displays(list(paths), list(paths)) == by_resolving(list(paths)), paths
