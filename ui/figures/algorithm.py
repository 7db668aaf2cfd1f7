"""An algorithm's lines with one step's numbers in them, the line being executed marked.

Every stepping page writes its update rule as rows ``(line, values)``: the
line in LaTeX, and that line's result at this step, one number per parameter
(W₁, W₂), or None for a line that has no number (a loop header, a condition).
``algorithm_table`` lays the rows out as a KaTeX array and marks one row with
a ▶ and a tinted box, so it reads in grey-scale and from the back row alike.
Pure: no Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

HIGHLIGHT = "#FFE08A"  # a pale amber box: black text on it keeps a contrast above 15:1
MARK = r"\blacktriangleright"


def tex_number(x: float, digits: int = 4) -> str:
    """``x`` with ``digits`` significant digits as LaTeX: ``-215.6``, ``3.162\\times10^{-5}``."""
    x = float(x)
    if not np.isfinite(x):
        return r"\text{NaN}" if np.isnan(x) else ("-" if x < 0 else "") + r"\infty"
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa}\times{power}"


def tex_vector(v, digits: int = 4) -> str:
    """``(v₁,\\ v₂)`` in LaTeX."""
    return r"\left(" + r",\ ".join(tex_number(x, digits) for x in np.ravel(v)) + r"\right)"


Row = tuple[str, "Sequence[float] | np.ndarray | None"]


def algorithm_table(rows: Sequence[Row], highlight: int | None, *, header: str = "",
                    columns: Sequence[str] = ("W_1", "W_2"), size: str = r"\small") -> str:
    """The rows as ``line | value per column``; row ``highlight`` (an index into ``rows``) is marked.

    ``header`` (LaTeX) heads the first column, e.g. ``\\text{step } c = 3``.
    """
    width = len(columns)
    lines = [rf"& {header} & " + " & ".join(columns) + r" \\ \hline"]
    for i, (line, values) in enumerate(rows):
        cells = [""] * width if values is None else [tex_number(v) for v in np.ravel(values)[:width]]
        if i == highlight:
            mark, line = MARK, rf"\colorbox{{{HIGHLIGHT}}}{{$\displaystyle {line}$}}"
        else:
            mark = ""
        lines.append(rf"{mark} & {line} & " + " & ".join(cells) + r" \\")
    return rf"{size}\begin{{array}}{{cl|{'r' * width}}}" + "\n".join(lines) + r"\end{array}"


_COLORBOX = rf"\colorbox{{{HIGHLIGHT}}}{{$\displaystyle "


def compact_table(tex: str) -> str:
    """An ``algorithm_table`` with each line cut to its left-hand side (``m_t``, not ``m_t = 0.9 m_{t-1} + …``).

    For a narrow column (presenter mode beside the picture): the numbers stay, the rule is written once
    elsewhere, and the type is no smaller than ``\\small``. Any other LaTeX is returned as it was.
    """
    head, sep, rest = tex.partition(r"\begin{array}{cl|")
    if not sep:
        return tex
    head = re.sub(r"\\(footnotesize|scriptsize|tiny)\b", r"\\small", head)  # a column read from afar: no smaller
    spec, _, body = rest.partition("}")
    body, end, tail = body.rpartition(r"\end{array}")
    header, rule, body = body.partition(r" \\ \hline" + "\n")
    # the header row: the step and the columns' names; the method before the step is named elsewhere
    header = re.sub(r"\\text\{[^{}]*, ", r"\\text{", header, count=1)
    out = []
    for row in body.split(r" \\" + "\n"):
        mark, line, *cells = row.split(" & ")
        boxed = line.startswith(_COLORBOX) and line.endswith("$}")
        inner = line[len(_COLORBOX):-2] if boxed else line
        # a line with no number cells carries its numbers in itself (L(W_c) = 24.2): it stays whole
        lhs = inner.split(" = ")[0].strip() if any(cell.strip(" \\") for cell in cells) else inner
        out.append(" & ".join([mark, f"{_COLORBOX}{lhs}$}}" if boxed else lhs, *cells]))
    return head + sep + spec + "}" + header + rule + (r" \\" + "\n").join(out) + end + tail
