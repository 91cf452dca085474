"""The `clubtool` command's entry point: the export's report worker first (`_prestart`), then
the command line (`cli.main`)."""

from __future__ import annotations

import sys


def main() -> None:
    from ._prestart import early

    early(sys.argv)
    from .cli import main as cli_main

    cli_main()
