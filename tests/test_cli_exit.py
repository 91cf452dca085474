"""The console entry point: exit codes kept, and the objects alive at exit frozen so the
interpreter's last collection does not walk a whole run's records."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import gc, sys
sys.argv = ["clubtool"] + sys.argv[1:]
from clubtool.cli import main
try:
    main()
except SystemExit as exc:
    print("frozen" if gc.get_freeze_count() > 0 else "not frozen", exc.code, file=sys.stderr)
    raise
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def test_exit_codes_are_kept_and_objects_frozen(tmp_path):
    ok = _run("--version")
    assert ok.returncode == 0 and ok.stderr.strip().endswith("frozen 0")
    assert "not frozen" not in ok.stderr
    bad = _run("validate", str(tmp_path / "khong_co"), "--year", "2027")
    assert bad.returncode == 2 and bad.stderr.strip().endswith("frozen 2")
    assert "Traceback" not in bad.stderr


def test_machine_output_does_not_load_rich(tmp_path):
    """json/csv for cron or a pipe: no progress bar, so rich is never imported (~20 ms)."""
    from clubtool_sample import write_many

    write_many(tmp_path, 2)
    code = ("import sys\n"
            "sys.argv = ['clubtool'] + sys.argv[1:]\n"
            "from clubtool.cli import main\n"
            "try:\n"
            "    main()\n"
            "except SystemExit:\n"
            "    print(sorted(m for m in ('rich', 'openpyxl', 'pandas') if m in sys.modules),"
            " file=sys.stderr)\n")
    for args in (["indicators", str(tmp_path), "--year", "2027", "--format", "json"],
                 ["indicators", str(tmp_path), "--year", "2027", "--format", "csv"],
                 ["validate", str(tmp_path), "--year", "2027", "--format", "json"]):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                             text=True, encoding="utf-8", timeout=120)
        assert out.returncode == 0, out.stderr
        assert out.stderr.strip().splitlines()[-1] == "[]", (args, out.stderr)
    table = subprocess.run([sys.executable, "-c", code, "indicators", str(tmp_path), "--year", "2027"],
                           capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "'rich'" in table.stderr.strip().splitlines()[-1]


def test_no_console_stream_means_no_progress_bar(monkeypatch):
    """Under pythonw (the Windows Task Scheduler can run it) sys.stderr is None."""
    from clubtool import cli

    monkeypatch.setattr(sys, "stderr", None)
    assert cli._bar_console() is None

    class Closed:
        def isatty(self) -> bool:
            raise ValueError("I/O operation on closed file")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert cli._bar_console(stderr=False) is None
