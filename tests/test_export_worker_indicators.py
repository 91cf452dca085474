"""The export's indicator JSON rendered and written by the report worker (issue 14): the
same bytes with the worker, without it, with a worker killed or raising; the main process
only checks it, and writes it itself whenever the worker did not. (The CSV, one row per
indicator, is always written here.)"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from clubtool import export as ex
from clubtool._fsutil import atomic_path
from clubtool.export import export
from clubtool.job import compute, read, resolve
from clubtool.render import Options
from clubtool.report import prepare_report
from clubtool.report import worker as W
from clubtool.report.worker import ReportWorker, SideFile, write_side_files
from clubtool.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
Y = 2027
DATE = dt.date(Y, 12, 5)
INDICATOR_FILES = ("chi_tieu_2027.json", "chi_tieu_2027.csv")
JSON = "chi_tieu_2027.json"


# --- helpers --------------------------------------------------------------------------------


def _run(tmp_path: Path, name: str, *, lang: str = "vi") -> tuple[int, dict[str, bytes], Path]:
    settings = load_settings(options={"data_dir": SAMPLE, "out_dir": tmp_path / name,
                                      "formats": "docx,html", "lang": lang,
                                      "archive": tmp_path / f"{name}.sqlite"},
                             env={}, cwd=tmp_path)
    result = export(settings, year=Y, today=DATE)
    folder = tmp_path / name / str(Y)
    files = {p.relative_to(folder).as_posix(): p.read_bytes()
             for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "manifest.json"}
    return result.status, files, folder


def _manifest_outputs(folder: Path) -> list[str]:
    return list(json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["outputs"])


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[ReportWorker]:
    """The workers started from now on (two CPUs, the worker switched on)."""
    started: list[ReportWorker] = []
    real = ReportWorker.start.__func__  # type: ignore[attr-defined]

    def spying(cls: Any, formats: Any) -> Any:
        worker = real(cls, formats)
        started.append(worker)
        return worker

    monkeypatch.setattr(ReportWorker, "start", classmethod(spying))
    monkeypatch.setattr("clubtool.report.worker._cpus", lambda: 2)
    monkeypatch.setenv("CLUBTOOL_REPORT_WORKER", "1")
    return started


@pytest.fixture
def written_here(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[Path], bool]]:
    """Each call of `write_side_files` in this process: (the paths, after a worker?)."""
    calls: list[tuple[list[Path], bool]] = []
    real = W.write_side_files

    def spying(files: Any, *, after_worker: bool = False) -> list[int]:
        calls.append(([f.path for f in files], after_worker))
        return real(files, after_worker=after_worker)

    monkeypatch.setattr(W, "write_side_files", spying)
    return calls


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, dict[str, bytes],
                                                                         list[str]]]:
    """The export without a worker, in Vietnamese and in English."""
    tmp = tmp_path_factory.mktemp("baseline")
    env = os.environ.get(W.SWITCH)
    os.environ[W.SWITCH] = "0"
    try:
        out = {}
        for lang in ("vi", "en"):
            status, files, folder = _run(tmp, f"no_worker_{lang}", lang=lang)
            out[lang] = (status, files, _manifest_outputs(folder))
    finally:
        if env is None:
            del os.environ[W.SWITCH]
        else:
            os.environ[W.SWITCH] = env
    return out


# --- the export -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_worker_writes_the_indicator_files_with_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[ReportWorker],
        written_here: list[Any], baseline: dict[str, Any], lang: str) -> None:
    checked: list[bool] = []
    real = ReportWorker.wrote

    def spying(self: ReportWorker) -> bool:
        checked.append(real(self))
        return checked[-1]

    monkeypatch.setattr(ReportWorker, "wrote", spying)
    status, files, folder = _run(tmp_path, "worker", lang=lang)
    assert len(workers) == 1 and workers[0]._proc.poll() is not None  # used, and ended
    assert checked == [True]  # the worker wrote the JSON: this process only checked it
    assert written_here == []  # and did not render it
    assert (status, files) == baseline[lang][:2]  # every file: the same bytes
    assert set(INDICATOR_FILES) <= set(files)
    assert _manifest_outputs(folder) == baseline[lang][2]  # listed as before, in that order
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name in INDICATOR_FILES:
        assert manifest["outputs"][name] == hashlib.sha256(files[name]).hexdigest()


def test_without_a_worker_this_process_writes_them_before_the_merge(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written_here: list[Any],
        baseline: dict[str, Any]) -> None:
    monkeypatch.setenv(W.SWITCH, "0")
    steps: list[str] = []
    real_merge = __import__("clubtool.merge", fromlist=["merge"]).merge
    real_write = ex._write

    def merge(*a: Any, **k: Any) -> Any:
        steps.append("merge")
        return real_merge(*a, **k)

    def write(path: Path, text: Any) -> Path:
        steps.append(path.name)
        return real_write(path, text)

    monkeypatch.setattr("clubtool.merge.merge", merge)
    monkeypatch.setattr(ex, "_write", write)
    status, files, folder = _run(tmp_path, "plain")
    assert steps == ["kiem_tra_2027.json", *INDICATOR_FILES, "merge"]  # as before
    assert written_here == []
    assert (status, files) == baseline["vi"][:2]
    assert _manifest_outputs(folder) == baseline["vi"][2]


def _leftovers(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.name.startswith(".") and not p.name.startswith(".clubtool"))


def test_a_worker_killed_before_it_replies_means_writing_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[ReportWorker],
        written_here: list[Any], baseline: dict[str, Any]) -> None:
    real = ReportWorker.submit

    def submit_then_kill(self: ReportWorker, *a: Any, **k: Any) -> None:
        real(self, *a, **k)
        self._proc.kill()

    monkeypatch.setattr(ReportWorker, "submit", submit_then_kill)
    status, files, folder = _run(tmp_path, "killed")
    assert len(workers) == 1 and workers[0]._proc.poll() is not None
    assert [([p.name for p in paths], after) for paths, after in written_here] == [
        ([JSON], True)]
    assert (status, files) == baseline["vi"][:2]
    assert _manifest_outputs(folder) == baseline["vi"][2]
    assert _leftovers(tmp_path / "killed") == []


class _Boom:
    """What a `_Fragile` is in the worker: any use raises there."""

    @property
    def communes(self) -> Any:
        raise RuntimeError("hỏng trong tiến trình phụ")


def _boom() -> _Boom:
    return _Boom()


class _Fragile(dict):
    """In this process the indicators' JSON object; pickled for the worker, a `_Boom`: its
    renderer raises in the worker, never here."""

    def __reduce__(self) -> Any:
        return (_boom, ())


def test_a_worker_whose_renderer_raises_means_writing_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[ReportWorker],
        written_here: list[Any], baseline: dict[str, Any]) -> None:
    real = ex._to_worker

    def fragile(*a: Any, **k: Any) -> list[SideFile]:
        return [SideFile(f.path, f.kind, f.fmt, _Fragile(f.data), f.opts) for f in real(*a, **k)]

    monkeypatch.setattr(ex, "_to_worker", fragile)
    replies: list[Any] = []
    real_result = ReportWorker.result

    def result(self: ReportWorker) -> Any:
        replies.append(real_result(self))
        return replies[-1]

    monkeypatch.setattr(ReportWorker, "result", result)
    status, files, folder = _run(tmp_path, "raising")
    assert replies == [None]  # the worker said it failed
    assert [after for _, after in written_here] == [True]
    assert (status, files) == baseline["vi"][:2]
    assert _manifest_outputs(folder) == baseline["vi"][2]
    assert _leftovers(tmp_path / "raising") == []


def test_an_export_that_fails_stops_the_worker_before_removing_its_staging_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[ReportWorker]) -> None:
    """The worker writes into the staging folder: it must not go on (and make the folder
    again) once the run has failed."""
    removed: list[bool] = []
    real_rmtree = ex.shutil.rmtree

    def rmtree(path: Any, *a: Any, **k: Any) -> None:
        if ".tmp-" in Path(path).name:
            removed.append(all(w._proc.poll() is not None for w in workers))
        real_rmtree(path, *a, **k)

    def broken_merge(*_a: object, **_k: object) -> None:
        raise RuntimeError("máy hỏng")

    monkeypatch.setattr(ex.shutil, "rmtree", rmtree)
    monkeypatch.setattr("clubtool.merge.merge", broken_merge)
    status, files, folder = _run(tmp_path, "failed")
    assert status == 2 and workers and removed == [True]
    assert [p.name for p in (tmp_path / "failed").iterdir()
            if p.name.startswith(f".{Y}.")] == []


# --- the pieces -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def result() -> Any:
    job = resolve([SAMPLE], options={"year": Y, "as_of": f"{Y}-12-31"}, env={}, cwd=ROOT)
    report = read(job)
    indicators = compute(job, report).communes[0].indicators
    _RESULT[:] = [indicators]
    return indicators, report


def _side(folder: Path, data: Any) -> list[SideFile]:
    """The JSON from `data`; the CSV from a `Computed` of the result (any renderer will do)."""
    computed = SimpleNamespace(communes=[SimpleNamespace(indicators=_RESULT[0])])
    return [SideFile(folder / "chi_tieu.json", "indicators", "json", data, Options()),
            SideFile(folder / "chi_tieu.csv", "indicators", "csv", computed, Options(bom=True))]


_RESULT: list[Any] = []


def _pending(result: Any, out: Path, worker: ReportWorker | None, files: list[SideFile]) -> Any:
    indicators, report = result
    return prepare_report(indicators, report.commune, year=Y, formats="html", out_dir=out,
                          date=DATE, validation=report, force=True, worker=worker, files=files)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_json_renderer_takes_the_object_itself(result: Any) -> None:
    from clubtool.render import renderer

    indicators, report = result
    computed = SimpleNamespace(communes=[SimpleNamespace(indicators=indicators)])
    json_of = renderer("indicators", "json")
    assert json_of(indicators.to_dict(), Options()) == json_of(computed, Options())


def test_a_file_gone_after_the_worker_wrote_it_is_written_here(
        result: Any, tmp_path: Path, written_here: list[Any]) -> None:
    _pending(result, tmp_path / "here", None, _side(tmp_path / "here", result[0].to_dict())).write()
    worker = ReportWorker.start(("html",))
    assert worker is not None
    files = _side(tmp_path / "worker", result[0].to_dict())
    pending = _pending(result, tmp_path / "worker", worker, files)
    real = worker.result
    gone: list[Any] = []

    def result_then_unlink() -> Any:
        reply = real()
        gone.append(worker.wrote())  # the worker wrote both
        files[1].path.unlink()
        return reply

    worker.result = result_then_unlink  # type: ignore[method-assign]
    pending.write()
    assert gone == [True]  # the worker wrote them; one gone: both written here
    assert written_here[-1] == ([f.path for f in files], True)
    assert _bytes(tmp_path / "worker") == _bytes(tmp_path / "here")


def test_a_value_that_cannot_be_pickled_is_rendered_here(result: Any, tmp_path: Path) -> None:
    _pending(result, tmp_path / "here", None, _side(tmp_path / "here", result[0].to_dict())).write()
    worker = ReportWorker.start(("html",))
    assert worker is not None
    unpicklable = SimpleNamespace(communes=[SimpleNamespace(indicators=result[0])],
                                  hook=lambda: None)
    pending = _pending(result, tmp_path / "worker", worker, _side(tmp_path / "worker",
                                                                  unpicklable))
    assert worker._proc.poll() is not None  # nothing sent: the worker is stopped at once
    pending.write()
    assert _bytes(tmp_path / "worker") == _bytes(tmp_path / "here")


def test_a_half_written_file_of_a_killed_worker_is_removed(result: Any, tmp_path: Path) -> None:
    files = _side(tmp_path, result[0].to_dict())
    half = atomic_path(files[0].path)
    tmp = half.__enter__()  # as a worker killed while writing leaves it (never exited)
    tmp.write_bytes(b'{"commune": ')
    other = tmp_path / ".ghi_chu.json.abc.tmp"  # not one of the files: kept
    other.write_text("x", encoding="utf-8")
    write_side_files(files, after_worker=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ghi_chu.json.abc.tmp",
                                                          "chi_tieu.csv", "chi_tieu.json"]
    assert files[0].path.read_text(encoding="utf-8").startswith("{\n")
