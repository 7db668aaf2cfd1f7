"""Benchmark optim_core.run against torch.optim.Adam stepping the same gradients.

    python -m bench.core            # prints a markdown table

1000 Adam steps on Rosenbrock at B = 1 start and at B = 4096 starts, plus
Lookahead(Adam) against plain Adam. Each repeat times ours and the reference
back to back, and the table gives the median of the per-repeat ratios, so a
noisy, shared machine moves both sides together. torch is a benchmark-only
dependency (requirements-dev.txt).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

import optim_core as oc

STEPS = 1000
REPEATS = 5
LR = 0.01


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _starts(batch: int) -> np.ndarray:
    s = oc.get_surface("rosenbrock")
    return s.start.copy() if batch == 1 else np.tile(s.start, (batch, 1))


def ours(batch: int, record: bool, lookahead: bool = False):
    surface = oc.get_surface("rosenbrock")
    start = _starts(batch)

    def go():
        opt = oc.make_optimizer("adam", lr=LR)
        if lookahead:
            opt = oc.make_optimizer("lookahead", inner=opt, k=5, alpha=0.5)
        oc.run(opt, surface, start, STEPS, record=record)

    return go


def torch_adam(batch: int):
    import torch

    start = _starts(batch).reshape(batch, 2)

    def go():
        w = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.Adam([w], lr=LR)
        for _ in range(STEPS):
            with torch.no_grad():
                x, y = w[:, 0], w[:, 1]
                r = y - x * x
                w.grad = torch.stack([-2 * (1 - x) - 400 * x * r, 200 * r], dim=1)
            opt.step()

    return go


def ratio_rows() -> list[tuple[str, float, float, float, str]]:
    """(what, ours ms, reference ms, median ratio, target) for each comparison."""
    cases = [
        ("Adam, B = 1, all records", ours(1, True), torch_adam(1), "≤ 0.2 × torch"),
        ("Adam, B = 1, no records", ours(1, False), torch_adam(1), "—"),
        ("Adam, B = 4096, loss only (as sweeps run)", ours(4096, False), torch_adam(4096), "≤ 0.8 × torch"),
        ("Adam, B = 4096, all records", ours(4096, True), torch_adam(4096), "—"),
        ("Lookahead(Adam) vs Adam, B = 1, no records", ours(1, False, True), ours(1, False), "≤ 1.10 × Adam"),
        ("Lookahead(Adam) vs Adam, B = 1, all records (+ slow, fast, synced)", ours(1, True, True), ours(1, True),
         "—"),
        ("Lookahead(Adam) vs Adam, B = 4096, loss only", ours(4096, False, True), ours(4096, False),
         "≤ 1.10 × Adam"),
    ]
    rows = []
    for what, mine, ref, target in cases:
        mine(), ref()  # warm up caches and imports
        pairs = [(_time(mine), _time(ref)) for _ in range(REPEATS)]
        ratio = statistics.median(a / b for a, b in pairs)
        rows.append((what, statistics.median(a for a, _ in pairs) * 1e3,
                     statistics.median(b for _, b in pairs) * 1e3, ratio, target))
    return rows


def markdown(rows) -> str:
    lines = ["| run (1000 steps, Rosenbrock) | ours (ms) | reference (ms) | median ratio | target |",
             "|---|---:|---:|---:|---|"]
    lines += [f"| {w} | {a:.1f} | {b:.1f} | {r:.2f} | {t} |" for w, a, b, r, t in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(ratio_rows()))
