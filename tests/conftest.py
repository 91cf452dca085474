"""Shared test helpers: LibreOffice conversion (skipped cleanly when `soffice` is absent)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")


@pytest.fixture(scope="session")
def soffice_convert(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., list[Path]]:
    """`convert(files, to="pdf", out=DIR)` → the converted files, via headless LibreOffice.

    One private LibreOffice profile per test session, so that parallel runs (and a
    LibreOffice the developer has open) never share a profile.
    """
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) not installed")
    profile = tmp_path_factory.mktemp("lo_profile")

    def convert(files: list[Path], to: str, out: Path) -> list[Path]:
        out.mkdir(parents=True, exist_ok=True)
        cmd = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--convert-to", to, "--outdir", str(out), *map(str, files)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        ext = to.split(":")[0]
        results = [out / f"{Path(f).stem}.{ext}" for f in files]
        missing = [p for p in results if not p.is_file()]
        assert done.returncode == 0 and not missing, (done.returncode, done.stdout, done.stderr)
        return results

    return convert


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own CLUBTOOL_* variables never reach a test (each test sets its own)."""
    import os

    for name in list(os.environ):
        if name.startswith("CLUBTOOL_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True, scope="session")
def _private_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The cache of files already read lives in the user's cache folder outside a working
    folder: during the tests, in a folder of this session (never the developer's)."""
    import os

    folder = tmp_path_factory.mktemp("user_cache")
    os.environ["XDG_CACHE_HOME"] = str(folder)  # platformdirs on Linux and the BSDs
    os.environ["LOCALAPPDATA"] = str(folder)  # … on Windows
