"""The algorithm table: one step's numbers in the rule's lines, the executed line marked."""

from ui.figures.algorithm import HIGHLIGHT, MARK, algorithm_table, tex_number, tex_vector


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
