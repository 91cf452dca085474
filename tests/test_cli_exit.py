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
