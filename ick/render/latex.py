"""LaTeX math → readable Unicode text, laid out in two dimensions.

Kernels send ``text/latex`` for formulas (``IPython.display.Math``, sympy
without a pretty ``text/plain``).  A terminal cannot typeset, but most
formulas read well as Unicode: Greek letters and operators become their
characters, sub- and superscripts become ``x²``/``aᵢ`` where Unicode has the
glyphs, fractions are stacked over a rule, sums carry their limits above and
below, and matrices get tall brackets.  This covers the constructs notebooks
actually use; an unknown command is shown by its name (``\\log`` → ``log``),
never as raw markup.  No dependency: the only candidates (pylatexenc,
flatlatex) give one-line output and either drop fractions to ``a/b`` or
leave unknown commands raw.

Each piece is a :class:`Box`: lines of text plus the index of the line the
surrounding text sits on (its baseline), which is how a fraction in the
middle of an expression lines up with what is around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len

__all__ = ["latex_to_text"]


@dataclass(frozen=True)
class Box:
    lines: tuple[str, ...]
    baseline: int = 0

    @property
    def width(self) -> int:
        return max((cell_len(line) for line in self.lines), default=0)

    @property
    def height(self) -> int:
        return len(self.lines)

    def padded(self, width: int, centre: bool = False) -> Box:
        lines = []
        for line in self.lines:
            gap = width - cell_len(line)
            left = gap // 2 if centre else 0
            lines.append(" " * left + line + " " * (gap - left))
        return Box(tuple(lines), self.baseline)

    def text(self) -> str:
        """The one-line form, when the box is one line (scripts need it)."""
        return self.lines[0] if self.height == 1 else ""


EMPTY = Box(("",), 0)
SPACE = Box((" ",), 0)


def text_box(text: str) -> Box:
    return Box((text,), 0)


def hcat(boxes: list[Box]) -> Box:
    """Boxes side by side, their baselines on one line."""
    boxes = [box for box in boxes if box.width or box.height > 1]
    if not boxes:
        return EMPTY
    above = max(box.baseline for box in boxes)
    below = max(box.height - box.baseline - 1 for box in boxes)
    rows = [""] * (above + below + 1)
    for box in boxes:
        width = box.width
        top = above - box.baseline
        for row in range(len(rows)):
            index = row - top
            line = box.lines[index] if 0 <= index < box.height else ""
            rows[row] += line + " " * (width - cell_len(line))
    return Box(tuple(row.rstrip() if i != above else row for i, row in enumerate(rows)), above)


def vstack(boxes: list[Box], baseline_of: int, centre: bool = True) -> Box:
    """Boxes one above another; the result sits on the baseline of ``boxes[baseline_of]``."""
    width = max(box.width for box in boxes)
    lines: list[str] = []
    baseline = 0
    for index, box in enumerate(boxes):
        if index == baseline_of:
            baseline = len(lines) + box.baseline
        lines.extend(box.padded(width, centre).lines)
    return Box(tuple(lines), baseline)


def fraction(numerator: Box, denominator: Box) -> Box:
    width = max(numerator.width, denominator.width) + 2
    rule = text_box("─" * width)
    return vstack([numerator, rule, denominator], 1)


# Tall delimiters: (top, middle, bottom) pieces for boxes more than one line high.
TALL_DELIMITERS: dict[str, tuple[str, str, str]] = {
    "(": ("⎛", "⎜", "⎝"),
    ")": ("⎞", "⎟", "⎠"),
    "[": ("⎡", "⎢", "⎣"),
    "]": ("⎤", "⎥", "⎦"),
    "{": ("⎧", "⎨", "⎩"),
    "}": ("⎫", "⎬", "⎭"),
    "|": ("│", "│", "│"),
    "‖": ("‖", "‖", "‖"),
}


def delimiter(char: str, height: int, baseline: int) -> Box:
    if not char:
        return Box(("",) * height, baseline)
    if height == 1 or char not in TALL_DELIMITERS:
        return Box(tuple([char] * height), baseline)
    top, middle, bottom = TALL_DELIMITERS[char]
    if char in "{}":
        # A curly brace has its point in the middle.
        lines = [top] + [middle if row == height // 2 else "⎪" for row in range(1, height - 1)]
        return Box((*lines, bottom), baseline)
    return Box((top, *[middle] * (height - 2), bottom), baseline)


def fenced(box: Box, left: str, right: str) -> Box:
    return hcat(
        [delimiter(left, box.height, box.baseline), box, delimiter(right, box.height, box.baseline)]
    )


SUPERSCRIPTS = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ∘′",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ°′",
        strict=True,
    )
)
SUBSCRIPTS = dict(
    zip(
        "0123456789+-=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)


def scripted(text: str, table: dict[str, str]) -> str | None:
    """``text`` in Unicode super/subscript characters, or None when one has no such glyph."""
    text = text.replace(" ", "")
    if not text or any(char not in table for char in text):
        return None
    return "".join(table[char] for char in text)


SYMBOLS: dict[str, str] = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "omicron": "ο", "pi": "π", "varpi": "ϖ",
    "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ",
    "phi": "ϕ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # Operators and relations
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "ast": "∗", "star": "⋆",
    "circ": "∘", "bullet": "∙", "oplus": "⊕", "otimes": "⊗", "wedge": "∧", "land": "∧",
    "vee": "∨", "lor": "∨", "neg": "¬", "lnot": "¬", "cap": "∩", "cup": "∪",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈",
    "equiv": "≡", "sim": "∼", "simeq": "≃", "cong": "≅", "propto": "∝", "ll": "≪", "gg": "≫",
    "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "supset": "⊃", "subseteq": "⊆",
    "supseteq": "⊇", "forall": "∀", "exists": "∃", "nexists": "∄", "emptyset": "∅",
    "varnothing": "∅", "infty": "∞", "partial": "∂", "nabla": "∇", "hbar": "ℏ", "ell": "ℓ",
    "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "prime": "′", "angle": "∠", "perp": "⊥",
    "parallel": "∥", "mid": "∣", "top": "⊤", "bot": "⊥", "degree": "°",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "leftrightarrow": "↔",
    "Rightarrow": "⇒", "implies": "⇒", "Leftarrow": "⇐", "Leftrightarrow": "⇔", "iff": "⇔",
    "mapsto": "↦", "uparrow": "↑", "downarrow": "↓", "longrightarrow": "⟶",
    "ldots": "…", "cdots": "⋯", "vdots": "⋮", "ddots": "⋱", "dots": "…",
    "langle": "⟨", "rangle": "⟩", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋",
    "lvert": "|", "rvert": "|", "vert": "|", "Vert": "‖", "lVert": "‖", "rVert": "‖",
    "{": "{", "}": "}", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_",
    "|": "‖", "backslash": "\\",
    # Spacing
    ",": " ", ";": " ", ":": " ", ">": " ", "!": "", " ": " ", "quad": "  ", "qquad": "    ",
    "enspace": " ", "thinspace": " ",
}  # fmt: skip

# Big operators: limits go above and below (sum, product) or to the side (integrals).
BIG_OPERATORS: dict[str, str] = {
    "sum": "∑", "prod": "∏", "coprod": "∐", "bigcup": "⋃", "bigcap": "⋂",
    "bigoplus": "⨁", "bigotimes": "⨂",
}  # fmt: skip
INTEGRALS: dict[str, str] = {"int": "∫", "iint": "∬", "iiint": "∭", "oint": "∮"}
# Limits under the name: lim, max, …  Other named functions (sin, log…) are written as is.
NAMED_WITH_LIMITS = {"lim", "max", "min", "sup", "inf", "limsup", "liminf", "argmax", "argmin"}

# Commands that only change the font: the content is shown as it is.
FONT_COMMANDS = {
    "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathbb", "mathfrak",
    "boldsymbol", "bm", "textbf", "textit", "textrm", "emph", "operatorname", "displaystyle",
    "textstyle", "scriptstyle", "rm", "bf", "it", "cal", "limits", "nolimits",
}  # fmt: skip
TEXT_COMMANDS = {"text", "textrm", "mbox", "textnormal", "mathrm", "operatorname"}

ACCENTS: dict[str, str] = {
    "hat": "\u0302", "bar": "\u0304", "overline": "\u0305", "vec": "\u20d7", "dot": "\u0307",
    "ddot": "\u0308", "tilde": "\u0303", "widehat": "\u0302", "widetilde": "\u0303",
    "underline": "\u0332",
}  # fmt: skip

# Matrix-like environments and their delimiters; the aligned ones have none.
ENVIRONMENTS: dict[str, tuple[str, str]] = {
    "matrix": ("", ""), "smallmatrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"),
    "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"), "cases": ("{", ""),
    "array": ("", ""), "aligned": ("", ""), "align": ("", ""), "align*": ("", ""),
    "gather": ("", ""), "gather*": ("", ""), "equation": ("", ""), "equation*": ("", ""),
    "eqnarray": ("", ""), "split": ("", ""), "alignat": ("", ""), "multline": ("", ""),
}  # fmt: skip
ALIGNED = {"aligned", "align", "align*", "split", "eqnarray", "alignat", "equation", "equation*"}

_TOKEN = re.compile(r"\\([A-Za-z]+\*?|.)|(\s+)|(.)", re.DOTALL)

Token = tuple[str, str]  # ("cmd", name) | ("space", " ") | ("char", c)


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(source):
        command, space, char = match.groups()
        if command is not None:
            tokens.append(("cmd", command))
        elif space is not None:
            tokens.append(("space", " "))
        else:
            tokens.append(("char", char))
    return tokens


class _Parser:
    """Recursive descent over the tokens, building boxes as it goes."""

    # Tokens that end an expression, for whoever is waiting for them.
    STOPS: ClassVar[set[Token]] = {
        ("char", "}"),
        ("char", "&"),
        ("cmd", "\\"),
        ("cmd", "cr"),
        ("cmd", "right"),
    }

    def __init__(self, source: str) -> None:
        self.tokens = tokenize(source)
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token | None:
        token = self.peek()
        self.pos += 1
        return token

    def skip_spaces(self) -> None:
        while self.peek() == ("space", " "):
            self.pos += 1

    def expression(self, stop_at_end: bool = True) -> Box:
        """Atoms up to the end, a stop token or ``\\end``."""
        items: list[Box] = []
        while True:
            token = self.peek()
            if token is None or token in self.STOPS:
                break
            if stop_at_end and token == ("cmd", "end"):
                break
            atom = self.atom()
            if atom is None or (atom == SPACE and items and items[-1] == SPACE):
                continue
            items.append(self.scripts(atom))
        # TeX ignores spaces in math; the ones inside are kept because they help reading.
        while items and items[0] == SPACE:
            items.pop(0)
        while items and items[-1] == SPACE:
            items.pop()
        return hcat(items)

    def group(self) -> Box:
        """The argument of a command: a braced group or a single token."""
        self.skip_spaces()
        token = self.peek()
        if token == ("char", "{"):
            self.pos += 1
            box = self.expression()
            if self.peek() == ("char", "}"):
                self.pos += 1
            return box
        atom = self.atom()
        return atom if atom is not None else EMPTY

    def raw_group(self) -> str:
        """A braced argument taken as plain text (``\\text{…}``, environment names)."""
        self.skip_spaces()
        if self.peek() != ("char", "{"):
            token = self.take()
            return "" if token is None else token[1]
        self.pos += 1
        depth, parts = 1, []
        while (token := self.take()) is not None:
            if token == ("char", "{"):
                depth += 1
            elif token == ("char", "}"):
                depth -= 1
                if depth == 0:
                    break
            parts.append(SYMBOLS.get(token[1], token[1]) if token[0] == "cmd" else token[1])
        return "".join(parts)

    def optional_argument(self) -> Box | None:
        if self.peek() != ("char", "["):
            return None
        self.pos += 1
        items = []
        while (token := self.peek()) is not None and token != ("char", "]"):
            atom = self.atom()
            if atom is not None:
                items.append(self.scripts(atom))
        self.pos += 1
        return hcat(items)

    def scripts(self, base: Box, limits: bool = False) -> Box:
        """``base`` with the ``^`` and ``_`` that follow it."""
        sup: Box | None = None
        sub: Box | None = None
        while True:
            token = self.peek()
            if token in (("cmd", "limits"), ("cmd", "nolimits")):
                self.pos += 1  # where the limits go is decided here, by the operator
            elif token == ("char", "^") and sup is None:
                self.pos += 1
                sup = self.group()
            elif token == ("char", "_") and sub is None:
                self.pos += 1
                sub = self.group()
            elif token == ("char", "'"):
                self.pos += 1
                base = hcat([base, text_box("′")])
            else:
                break
        if sup is None and sub is None:
            return base
        if limits:
            parts = [box for box in (sup, base, sub) if box is not None]
            return vstack(parts, parts.index(base))
        return attach(base, sup, sub)

    def atom(self) -> Box | None:
        token = self.take()
        if token is None:
            return None
        kind, value = token
        if kind == "space":
            return text_box(" ")
        if kind == "char":
            if value == "{":
                box = self.expression()
                if self.peek() == ("char", "}"):
                    self.pos += 1
                return box
            if value in "^_":  # a script with no base: attach it to nothing
                self.pos -= 1
                return self.scripts(EMPTY)
            if value == "~":
                return text_box(" ")
            return text_box(value)
        return self.command(value)

    def command(self, name: str) -> Box | None:
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            return fraction(self.group(), self.group())
        if name == "binom":
            top, bottom = self.group(), self.group()
            return fenced(vstack([top, bottom], 0), "(", ")")
        if name == "sqrt":
            index = self.optional_argument()
            return root(self.group(), index)
        if name in BIG_OPERATORS:
            return self.scripts(text_box(BIG_OPERATORS[name]), limits=True)
        if name in INTEGRALS:
            return self.scripts(text_box(INTEGRALS[name]))
        if name in NAMED_WITH_LIMITS:
            # A word: keep it apart from what follows, as TeX does.
            return hcat([self.scripts(text_box(name), limits=True), text_box(" ")])
        if name == "left":
            return self.left_right()
        if name in ("right", "middle"):
            return text_box(self.delimiter_token())
        if name == "begin":
            return self.environment(self.raw_group())
        if name in ("big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr"):
            return None  # the delimiter that follows is drawn at its normal size
        if name in TEXT_COMMANDS:
            return text_box(self.raw_group())
        if name in FONT_COMMANDS:
            return None if self.peek() != ("char", "{") else self.group()
        if name in ACCENTS:
            body = self.group()
            if body.height == 1 and cell_len(body.text()) == 1:
                return text_box(body.text() + ACCENTS[name])
            return body
        if name in SYMBOLS:
            return text_box(SYMBOLS[name])
        if name in ("\\", "cr"):
            return None
        # Named functions (\sin, \log, \det…) and anything unknown: its name, never raw markup,
        # with the space TeX puts between ``\sin\theta``.
        word = name.rstrip("*")
        following = self.peek()
        if following is not None and (
            following[0] == "cmd" or (following[0] == "char" and following[1].isalnum())
        ):
            word += " "
        return text_box(word)

    def delimiter_token(self) -> str:
        self.skip_spaces()
        token = self.take()
        if token is None:
            return ""
        kind, value = token
        if kind == "cmd":
            return SYMBOLS.get(value, "") if value != "." else ""
        return "" if value == "." else value

    def left_right(self) -> Box:
        left = self.delimiter_token()
        body = self.expression(stop_at_end=False)
        right = ""
        if self.peek() == ("cmd", "right"):
            self.pos += 1
            right = self.delimiter_token()
        return fenced(body, left, right)

    def environment(self, name: str) -> Box:
        if name in ("array", "alignat"):
            self.raw_group()  # column spec / count: the layout below needs neither
        rows: list[list[Box]] = [[]]
        while True:
            cell = self.expression()
            rows[-1].append(cell)
            token = self.take()
            if token is None:
                break
            if token == ("char", "&"):
                continue
            if token in (("cmd", "\\"), ("cmd", "cr")):
                rows.append([])
                continue
            if token == ("cmd", "end"):
                self.raw_group()
                break
            # A stray "}" or "\right" inside an environment: show it rather than lose it.
            rows[-1].append(text_box(token[1]))
        rows = [row for row in rows if any(cell.width for cell in row)]
        if not rows:
            return EMPTY
        left, right = ENVIRONMENTS.get(name, ("", ""))
        separator = " " if name in ALIGNED else "  "
        return fenced(grid(rows, separator, centre=name not in ALIGNED and name != "cases"),
                      left, right)  # fmt: skip


def attach(base: Box, sup: Box | None, sub: Box | None) -> Box:
    """Scripts in Unicode when every character has a script form; raised or lowered otherwise."""
    sup_text = scripted(sup.text(), SUPERSCRIPTS) if sup is not None else ""
    sub_text = scripted(sub.text(), SUBSCRIPTS) if sub is not None else ""
    if sup_text is not None and sub_text is not None and base.height == 1:
        return text_box(base.text() + sub_text + sup_text)
    if base.height == 1:
        # On lines of their own the scripts are raised and lowered by where they stand: a
        # script glyph there would be raised or lowered twice (the 0 of \int_0^\infty).
        sup_text = sub_text = ""
    # Beside a taller base a script stands on its top or bottom line, where the glyph is
    # what shows it is a script.
    upper = (sup_text,) if sup_text else sup.lines if sup is not None else ()
    lower = (sub_text,) if sub_text else sub.lines if sub is not None else ()
    # The empty line is the base's own line: scripts sit wholly above and below it.
    scripts = Box((*upper, "", *lower), len(upper))
    return hcat([base, scripts])


def root(body: Box, index: Box | None) -> Box:
    if index is not None and index.text() in ("3", "4") and body.height == 1:
        sign = "∛" if index.text() == "3" else "∜"
    elif index is not None and index.height == 1:
        sign = (scripted(index.text(), SUPERSCRIPTS) or index.text()) + "√"
    else:
        sign = "√"
    if body.height == 1 and cell_len(body.text()) == 1:
        return text_box(sign + body.text())
    return hcat([Box(tuple([""] * body.baseline + [sign]), body.baseline), fenced(body, "(", ")")])


def grid(rows: list[list[Box]], separator: str, centre: bool) -> Box:
    columns = max(len(row) for row in rows)
    widths = [
        max((row[col].width for row in rows if col < len(row)), default=0) for col in range(columns)
    ]
    lines: list[Box] = []
    for row in rows:
        cells = [
            (row[col] if col < len(row) else EMPTY).padded(widths[col], centre)
            for col in range(columns)
        ]
        pieces: list[Box] = []
        for index, cell in enumerate(cells):
            if index:
                pieces.append(text_box(separator))
            pieces.append(cell)
        line = hcat(pieces)
        lines.append(line.padded(sum(widths) + len(separator) * (columns - 1)))
    joined: list[str] = []
    for line in lines:
        joined.extend(line.lines)
    return Box(tuple(joined), (len(joined) - 1) // 2)


# Math delimiters around (or inside) the text: $…$, $$…$$, \(…\), \[…\].
_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)


def latex_to_text(source: str) -> str:
    """Readable Unicode for a LaTeX formula, or text with ``$…$`` formulas in it."""
    source = source.strip()
    pieces: list[Box] = []
    position = 0
    for match in _MATH.finditer(source):
        prose = source[position : match.start()]
        if prose.strip():
            pieces.append(text_box(prose))
        formula = next(group for group in match.groups() if group is not None)
        pieces.append(_Parser(formula).expression(stop_at_end=False))
        position = match.end()
    rest = source[position:]
    if not pieces:
        pieces.append(_whole(rest))
    elif rest.strip():
        pieces.append(text_box(rest))
    box = hcat(pieces)
    return "\n".join(line.rstrip() for line in box.lines).strip("\n")


def _whole(source: str) -> Box:
    """A formula with no delimiters, or a bare environment, parsed to the end."""
    parser = _Parser(source)
    boxes = []
    while parser.peek() is not None:
        boxes.append(parser.expression(stop_at_end=False))
        token = parser.take()  # a stray "}" "&" or "\\" at the top level
        if token in (("cmd", "\\"), ("cmd", "cr")):
            boxes.append(text_box("\n"))
    lines: list[Box] = [EMPTY]
    for box in boxes:
        if box == text_box("\n"):
            lines.append(EMPTY)
        else:
            lines[-1] = hcat([lines[-1], box])
    return vstack(lines, 0, centre=False) if len(lines) > 1 else lines[0]
