"""The terminal: rich consoles and progress bars (`clubtool.render` lays outputs out; their
words are in the catalogue, `clubtool.i18n`; only `cli.py` and the renderers import this
module)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from rich.console import Console

#: Files from which on a progress bar is worth drawing.
PROGRESS_FROM = 20


def console(stderr: bool = False) -> Console:
    """A console that draws colours only on a terminal (never in cron or a pipe)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


@contextlib.contextmanager
def progress(total_hint: int, label: str, out: Console) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress callback drawing a bar, or None when not on a terminal or few files."""
    if not out.is_terminal or total_hint < PROGRESS_FROM:
        yield None
        return
    # (imported here: cron's and pipes' runs draw no bar and need not import it)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=out, transient=True) as bar:
        task = bar.add_task(label, total=total_hint)

        def advance(done: int, total: int, _path: str) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
