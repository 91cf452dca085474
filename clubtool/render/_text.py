"""Rich text rendered into a string, as wide and as coloured as the terminal it is for."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console

from . import Options


def capture(draw: Callable[[Console], None], opts: Options) -> str:
    """What `draw` prints on a console of the options' width (with colours when asked)."""
    buf = io.StringIO()
    out = Console(file=buf, width=opts.width, force_terminal=opts.color,
                  no_color=not opts.color, highlight=False, soft_wrap=False,
                  color_system="standard" if opts.color else None, legacy_windows=False)
    draw(out)
    return buf.getvalue()
