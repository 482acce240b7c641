"""text/latex → Unicode: each construct notebooks use, as the exact text a terminal shows."""

from __future__ import annotations

import pytest

from ick.render.latex import latex_to_text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"x^2 + y_i", "x² + yᵢ"),
        (r"a_{n+1} = a_n^2", "aₙ₊₁ = aₙ²"),
        (r"\alpha + \beta = \Gamma", "α + β = Γ"),
        (r"\sqrt{2}", "√2"),
        (r"\sqrt{x^2+1}", "√(x²+1)"),
        (r"\sqrt[3]{x}", "∛x"),
        (r"\int_0^1 f(x)\,dx", "∫₀¹ f(x) dx"),
        (r"x \to \infty, \; a \leq b \neq c", "x → ∞, a ≤ b ≠ c"),
        (r"\mathbf{v} \cdot \hat{n}", "v · n̂"),
        (r"\text{if } x > 0", "if  x > 0"),
        (r"\log x + \sin\theta", "log x + sin θ"),
        (r"The value $x^2$ is positive", "The value x² is positive"),
    ],
)
def test_one_line_constructs(source: str, expected: str) -> None:
    assert latex_to_text(source) == expected


def test_a_fraction_is_stacked_over_a_rule() -> None:
    assert latex_to_text(r"\frac{a}{b}") == " a\n───\n b"


def test_math_delimiters_are_removed() -> None:
    for wrapped in (r"$\frac{a}{b}$", r"$$\frac{a}{b}$$", r"\[\frac{a}{b}\]", r"\(\frac{a}{b}\)"):
        assert latex_to_text(wrapped) == " a\n───\n b"


def test_a_fraction_in_an_expression_lines_up_with_its_baseline() -> None:
    assert latex_to_text(r"y = \frac{1}{2} x") == "     1\ny = ─── x\n     2"


def test_a_sum_has_its_limits_above_and_below() -> None:
    assert latex_to_text(r"\sum_{i=1}^{n} i") == " n\n ∑  i\ni=1"


def test_a_matrix_gets_tall_brackets() -> None:
    assert latex_to_text(r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}") == "⎛1  2⎞\n⎝3  4⎠"
    assert latex_to_text(r"\begin{bmatrix} a & b \\ c & d \\ e & f \end{bmatrix}") == (
        "⎡a  b⎤\n⎢c  d⎥\n⎣e  f⎦"
    )


def test_scripts_without_unicode_forms_are_raised_and_lowered() -> None:
    # There is no superscript q in Unicode.
    assert latex_to_text(r"x^{q}") == " q\nx"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\int_0^\infty f", " ∞\n∫  f\n 0"),  # ∞ has no superscript form, 0 a subscript one
        (r"x_1^{q}", " q\nx\n 1"),
        (r"x_{q}^2", " 2\nx\n q"),
    ],
)
def test_a_script_on_a_line_of_its_own_is_not_lowered_or_raised_twice(
    source: str, expected: str
) -> None:
    # When only one of the two scripts has Unicode glyphs, both stand on lines of their own,
    # written plainly: a ₀ below the line would sit lower still.
    assert latex_to_text(source) == expected


def test_left_right_delimiters_grow_with_their_content() -> None:
    assert latex_to_text(r"\left(\frac{a}{b}\right)^2") == "⎛ a ⎞²\n⎜───⎟\n⎝ b ⎠"


def test_unknown_commands_show_their_name_never_markup() -> None:
    out = latex_to_text(r"\operatorname{tr} A + \weird{x}")
    assert "\\" not in out and "{" not in out
    assert out == "tr A + weirdx"


@pytest.mark.parametrize(
    "broken", [r"\frac{1}{", r"}{{", "\\", r"x^", r"\begin{pmatrix} 1 &", "{" * 50]
)
def test_broken_latex_never_raises(broken: str) -> None:
    assert isinstance(latex_to_text(broken), str)


def test_what_sympy_sends() -> None:
    matrix = r"$\displaystyle \left[\begin{matrix}1 & 2\\3 & 4\end{matrix}\right]$"
    assert latex_to_text(matrix) == "⎡1  2⎤\n⎣3  4⎦"
    assert latex_to_text(r"$\displaystyle \int\limits_{0}^{\infty} e^{- x}\, dx$") == (
        " ∞\n∫  e⁻ˣ dx\n 0"
    )
    assert latex_to_text(r"$\mathcal{O}\left(n^{2}\right)$") == "O(n²)"
