"""The algorithm table: one step's numbers in the rule's lines, the executed line marked."""

import numpy as np

from ui.figures.algorithm import HIGHLIGHT, MARK, algorithm_table, compact_table, tex_number, tex_vector


def test_numbers_are_written_with_four_significant_digits():
    assert [tex_number(x) for x in (-215.6, 0.35, 3.16227766e-5, 1e-8, 0.0, float("nan"), float("-inf"))] == [
        "-215.6", "0.35", r"3.162\times10^{-5}", "10^{-8}", "0", r"\text{NaN}", r"-\infty"]
    assert tex_vector([3, -1.5]) == r"\left(3,\ -1.5\right)"


def test_the_highlighted_row_alone_carries_the_mark_and_the_box():
    rows = [("W_c", [-5.0, 1.5]), (r"\nabla L(W_c)", [-5.0, 37.5]), ("W_{c+1}", [-4.65, -1.125]), (r"\text{end}", None)]
    table = algorithm_table(rows, 2, header=r"\text{step } 1")
    lines = table.split("\n")
    assert lines[0].startswith(r"\small\begin{array}{cl|rr}& \text{step } 1 & W_1 & W_2")
    assert lines[1] == r" & W_c & -5 & 1.5 \\"
    assert lines[3] == MARK + r" & \colorbox{" + HIGHLIGHT + r"}{$\displaystyle W_{c+1}$} & -4.65 & -1.125 \\"
    assert lines[4].startswith(r" & \text{end} &  & ")
    assert table.count(MARK) == 1 and table.count("colorbox") == 1
    assert algorithm_table(rows, None).count(MARK) == 0


def test_the_compact_table_keeps_each_lines_name_and_every_number():
    """Presenter mode's narrow column: ``m_t`` instead of ``m_t = 0.9 m_{t-1} + 0.1 g_t``, the same numbers."""
    full = algorithm_table([(r"\theta_{t-1}", [-1.2, 1.0]), (r"m_t = 0.9\,m_{t-1} + 0.1\,g_t", [-21.56, -8.8]),
                            (r"\theta_t = \theta_{t-1} + \Delta\theta_t", [-1.15, 1.05])], 2,
                           header=r"\text{Adam, step } t = 1")
    short = compact_table(full)
    lines = short.split("\n")
    assert lines[0] == r"\small\begin{array}{cl|rr}& \text{step } t = 1 & W_1 & W_2 \\ \hline"  # the method goes
    assert lines[1] == r" & \theta_{t-1} & -1.2 & 1 \\"
    assert lines[2] == r" & m_t & -21.56 & -8.8 \\"
    assert lines[3] == rf"{MARK} & \colorbox{{{HIGHLIGHT}}}{{$\displaystyle \theta_t$}} & -1.15 & 1.05 \\\end{{array}}"
    assert compact_table(r"\nabla L(W_c) = 3") == r"\nabla L(W_c) = 3"  # not a table: as it was
    one = algorithm_table([(r"W_0 = \text{start},\ v_{-1} = 0", [-5.0, 1.5])], 0, header=r"\text{step } 0")
    boxed = rf"\colorbox{{{HIGHLIGHT}}}{{$\displaystyle W_0$}}"
    assert compact_table(one).split("\n")[1] == rf"{MARK} & {boxed} & -5 & 1.5 \\\end{{array}}"
    small = algorithm_table([(r"W_0", [1.0, 2.0])], 0, size=r"\footnotesize")
    assert compact_table(small).startswith(r"\small\begin{array}")  # read from the back row: never smaller


def test_compact_table_keeps_a_line_whose_numbers_are_in_the_line_itself():
    """Taylor's loss line has no number cells: cut to its name it would lose L(W_c) = 24.2 on a phone and
    beside the presenter's picture."""
    tex = algorithm_table([(r"W_c", np.array([-1.2, 1.0])), (r"L(W_c) = 24.2,\ \ L(W_{c+1}) = 5.353", None)], 0)
    compact = compact_table(tex)
    assert r"L(W_c) = 24.2,\ \ L(W_{c+1}) = 5.353" in compact
    assert r"W_c$} & -1.2 & 1" in compact  # a line with number cells is still cut to its name
