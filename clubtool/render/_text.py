"""Rich text rendered into a string, as wide and as coloured as the terminal it is for."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console, RenderableType
from rich.table import Table

from . import Options


def capture(draw: Callable[[Console], None], opts: Options) -> str:
    """What `draw` prints on a console of the options' width (with colours when asked)."""
    buf = io.StringIO()
    out = Console(file=buf, width=opts.width, force_terminal=opts.color,
                  no_color=not opts.color, highlight=False, soft_wrap=False,
                  color_system="standard" if opts.color else None, legacy_windows=False)
    draw(out)
    return buf.getvalue()


def titled(table: Table) -> RenderableType:
    """`table` under its title, the title wrapped on word boundaries at the console's width.

    Rich wraps a table's own title at the table's width and crops what passes the console:
    a table a few columns wider than an 80-column terminal lost the end of its title
    mid-word ("số liệu đến n"). A word longer than the line (a path) is folded, never cut.
    """
    from rich.console import Group
    from rich.text import Text

    title = table.title
    if title is None:
        return table
    table.title = None
    text = (Text.from_markup(title, style="table.title") if isinstance(title, str)
            else title.copy())
    text.justify = table.title_justify
    text.overflow = "fold"
    return Group(text, table)
