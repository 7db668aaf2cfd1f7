"""The Adaptive page's worked AdaGrad table: the deck's gradients, editable, and each parameter's step size t̃."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

import optim_core as oc
from ui.i18n import t

GRAD_COLUMNS = ("g₁ (∇₁L)", "g₂ (∇₂L)")

DECK_GRADS = ((3.0, 1.0), (-2.0, 1.0), (1.0, 1.0))  # the deck's worked example: g at c = 1, 2, 3
MAX_ROWS = 10
MAX_ABS_GRAD = 1e6  # a bigger cell is a typo, not a gradient worth squaring


TABLE_COLUMNS = ("c", "g₁", "g₂", "g₁²", "g₂²", "Σ g₁²", "Σ g₂²", "t̃₁", "t̃₂")


def gradients_table(grads=DECK_GRADS) -> dict[str, list[float]]:
    """The editable input, column by column: one row per step, one column per parameter."""
    g = np.asarray(grads, dtype=float).reshape(-1, 2)
    return {name: g[:, k].tolist() for k, name in enumerate(GRAD_COLUMNS)}


def parse_gradients(table: Mapping | Sequence, max_rows: int = MAX_ROWS,
                    max_abs: float = MAX_ABS_GRAD) -> np.ndarray:
    """The edited table as an (n, 2) float array, or ``ValueError`` naming the first bad cell.

    ``table`` is a dict of columns (what ``st.data_editor`` returns) or rows of two
    cells. Text is accepted if it reads as a number ("−2" with a typographic minus
    too); empty cells, text, inf/NaN and values beyond ``max_abs`` are rejected, as
    are 0 or more than ``max_rows`` rows.
    """
    rows = [list(r) for r in (zip(*table.values()) if isinstance(table, Mapping) else table)]
    if not rows:
        raise ValueError(t("adaptive.error_no_rows"))
    if len(rows) > max_rows:
        raise ValueError(t("adaptive.error_too_many_rows", max_rows=max_rows, rows=len(rows)))
    out = np.empty((len(rows), 2))
    for i, row in enumerate(rows):
        if len(row) != 2:
            raise ValueError(t("adaptive.error_two_cells", row=i + 1, cells=len(row)))
        for k, cell in enumerate(row):
            where = t("adaptive.cell", row=i + 1, g=f"g{'₁₂'[k]}")
            out[i, k] = _number(cell, where)
            if abs(out[i, k]) > max_abs:
                raise ValueError(t("adaptive.error_too_large", where=where, value=f"{out[i, k]:g}",
                                   limit=f"{max_abs:g}"))
    return out


def _number(cell, where: str) -> float:
    """One cell as a float. An emptied editor cell arrives as None (a NaN in a numeric column)."""
    if isinstance(cell, str) and not cell.strip():
        raise ValueError(t("adaptive.error_empty", where=where))
    if isinstance(cell, bool):
        raise ValueError(t("adaptive.error_not_a_number", where=where, cell=repr(cell)))
    if isinstance(cell, str):
        try:
            value = float(cell.strip().replace("−", "-").replace("–", "-"))
        except ValueError:
            raise ValueError(t("adaptive.error_not_a_number", where=where, cell=repr(cell.strip()))) from None
    else:
        try:
            value = math.nan if cell is None else float(cell)
        except (TypeError, ValueError):
            raise ValueError(t("adaptive.error_not_a_number", where=where, cell=repr(cell))) from None
    if math.isnan(value):
        raise ValueError(t("adaptive.error_nan", where=where))
    if math.isinf(value):
        raise ValueError(t("adaptive.error_infinite", where=where, value=value))
    return value


def adagrad_steps(grads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Running sums Σ_{q≤c} g_q² and step sizes 1/√(sum), by stepping optim_core's AdaGrad (lr=1, eps=0).

    A parameter whose gradients so far are all zero has no step size yet (1/0): NaN.
    """
    opt = oc.make_optimizer("adagrad", lr=1.0, eps=0.0)
    params = np.zeros(2)
    state = opt.init(params)
    sums, sizes = [], []
    with np.errstate(divide="ignore", invalid="ignore"):
        for g in np.asarray(grads, dtype=float):
            _, state = opt.update(g, state, params)
            sums.append(state.accumulator.copy())
            sizes.append(np.where(np.isfinite(state.step_size), state.step_size, np.nan))
    return np.array(sums).reshape(-1, 2), np.array(sizes).reshape(-1, 2)


def adagrad_table(grads) -> dict[str, list]:
    """The deck's table, column by column: step c, gradients, their squares, running sums, AdaGrad's step sizes."""
    g = np.asarray(grads, dtype=float).reshape(-1, 2)
    sums, sizes = adagrad_steps(g)
    data = np.column_stack([g, g * g, sums, sizes])
    return {TABLE_COLUMNS[0]: list(range(1, len(g) + 1)),
            **{name: data[:, k].tolist() for k, name in enumerate(TABLE_COLUMNS[1:])}}


def table_summary(table: Mapping[str, list]) -> str:
    """The sentence under the table: each parameter's step size after the last step, exact and decimal."""
    last = {name: column[-1] for name, column in table.items()}
    moves = [f"**{exact_step_size(last[f'Σ g{k}²'])}**" + (f" ≈ {last[f't̃{k}']:.3f}" if last[f"Σ g{k}²"] > 0 else "")
             for k in "₁₂"]
    return t("adaptive.table_summary", n=len(table["c"]), w1=moves[0], w2=moves[1])


def lecturer_notes(grads=DECK_GRADS) -> list[str]:
    """Where the deck is loose about its AdaGrad example, with the exact statement and the example's numbers,
    stepped by the engine's AdaGrad (t = 1, ε = 0): 1/t̃ ∝ √Σg², what √14 and √3 are, and what the arrows mean."""
    g = np.asarray(grads, dtype=float).reshape(-1, 2)
    sums, sizes = adagrad_steps(g)
    moves = -sizes * g  # each update of each parameter, t̃ · (−g)
    history = [exact_step_size(total).removeprefix("1/") for total in sums[-1]]  # "√14", "√3": norms of the g's
    first, last = sizes[0], sizes[-1]
    return [t("lecturer_notes.adaptive.proportional"),
            t("lecturer_notes.adaptive.history", w1=history[0], w2=history[1],
              moved1=f"{abs(moves[:, 0].sum()):.2f}", path1=f"{np.abs(moves[:, 0]).sum():.2f}",
              moved2=f"{abs(moves[:, 1].sum()):.2f}", path2=f"{np.abs(moves[:, 1]).sum():.2f}"),
            t("lecturer_notes.adaptive.arrows", first1=f"{first[0]:.3f}", last1=f"{last[0]:.3f}",
              first2=f"{first[1]:.3f}", last2=f"{last[1]:.3f}")]


NO_STEP_YET = "—"  # t̃ = 1/√0: no gradient yet, so no step size either


def step_size_cell(total: float) -> str:
    """One t̃ cell of the shown table: ``1/√14 ≈ 0.2673``, ``1``, ``0.4472`` or ``—`` (sum 0: no gradient yet)."""
    if not total > 0:
        return NO_STEP_YET
    exact, value = exact_step_size(total), f"{1 / math.sqrt(total):.4f}"
    return exact if exact == "1" else f"{exact} ≈ {value}" if exact.startswith("1/√") else value


def parameter_table(table: Mapping[str, list], k: int) -> dict[str, list]:
    """The columns of parameter W_k (k = 0, 1) as shown: c, g, g², Σ g², t̃ (text, so "—" can stand for 1/0).

    One narrow table per parameter fits a phone; two of them sit side by side on a wide screen."""
    sub = "₁₂"[k]
    return {"c": list(table["c"]), **{f"{name}{sub}{tail}": list(table[f"{name}{sub}{tail}"])
                                      for name, tail in (("g", ""), ("g", "²"), ("Σ g", "²"))},
            f"t̃{sub}": [step_size_cell(total) for total in table[f"Σ g{sub}²"]]}


def exact_step_size(total: float) -> str:
    """``1/√14`` for a whole-number sum (``1`` for a sum of 1), else the decimal."""
    if not total > 0:
        return t("adaptive.no_step_size_yet")
    if float(total).is_integer():
        return "1" if total == 1 else f"1/√{int(total)}"
    return f"{1 / math.sqrt(total):.4g}"
