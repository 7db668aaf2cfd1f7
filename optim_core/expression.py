"""A loss the student types, ``f(x, y)``, turned into a :class:`Surface` without ever running their text.

The text is parsed with :func:`ast.parse` and every node is checked against an allowlist
(numbers, ``x``, ``y``, ``pi``, ``e``, ``+ - * / **``, unary ``±`` and a fixed set of
one-argument functions); the SymPy expression is then built node by node from the checked
tree. Nothing here calls ``eval``, ``exec``, ``compile``, ``sympify``, ``parse_expr`` or
``S(str)`` on user text, and no module object is ever handed to anything (see
STREAMLIT-NOTES.md, "Evaluating user expressions"); ``ast.parse`` only ever builds a tree.
SymPy differentiates twice and ``lambdify`` (which only ever sees code SymPy printed from
our own tree) gives NumPy functions for ``f``, ``∇f`` and ``∇²f``:

    ∇f = (∂f/∂x, ∂f/∂y),   ∇²f = [[∂²f/∂x², ∂²f/∂x∂y], [∂²f/∂y∂x, ∂²f/∂y²]].

Limits (all checked before SymPy sees anything): at most :data:`MAX_LENGTH` characters,
nesting depth :data:`MAX_DEPTH`, :data:`MAX_NODES` nodes, every number inside an exponent
at most :data:`MAX_EXPONENT` in size, no towers of constant powers, and exact integers that
could grow to at most about 10^:data:`MAX_DIGITS`. Differentiation and ``lambdify`` run
under a time limit of :data:`COMPILE_SECONDS`; a worker past it is stopped, not abandoned.
Results (refusals too) are cached, so each distinct f costs its compile once.

Where f is not a finite real number (``log`` of a negative number, ``1/0``, overflow)
the value, gradient and Hessian are NaN: the pictures leave those points out.

SymPy is imported on first use, so ``import optim_core`` stays NumPy-only.
"""

from __future__ import annotations

import ast
import ctypes
import functools
import io
import keyword
import math
import operator
import threading
import tokenize
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from .surfaces import CUSTOM_PREFIX, Bounds, Surface

MAX_LENGTH = 200  # characters, typed text and after NFKC
MAX_DEPTH = 30  # nested calls / powers / signs / brackets (a flat chain a + b + c … counts once)
MAX_NODES = 150  # numbers, names, operators and calls
MAX_EXPONENT = 100  # |number| anywhere inside an exponent, and |value| of a constant exponent
MAX_DIGITS = 300  # exact integers SymPy may fold the constants into stay below about 10^300
COMPILE_SECONDS = 2.0  # time limit for SymPy: build, differentiate twice, lambdify
CHECK_GRID = 41  # f is evaluated on a CHECK_GRID × CHECK_GRID grid to refuse constant / nowhere-finite f
MAX_WIDTH = 1e6  # the widest plotted box side
START_FRACTION = 0.7  # the demo start lies this far from the centre toward the upper-left corner
CACHE_SIZE = 64  # compiled expressions and built surfaces kept (each)
DEFAULT_BOUNDS: Bounds = ((-3.0, 3.0), (-3.0, 3.0))

VARIABLES = ("x", "y")
CONSTANTS = ("pi", "e")
# name the student may type -> the canonical name printed in the normalised text
FUNCTIONS: Mapping[str, str] = MappingProxyType({
    "sin": "sin", "cos": "cos", "tan": "tan",
    "arcsin": "arcsin", "asin": "arcsin", "arccos": "arccos", "acos": "arccos",
    "arctan": "arctan", "atan": "arctan",
    "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
    "arcsinh": "arcsinh", "asinh": "arcsinh", "arccosh": "arccosh", "acosh": "arccosh",
    "arctanh": "arctanh", "atanh": "arctanh",
    "exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt", "abs": "abs",
})

CODES = ("too_long", "nul", "not_ascii", "syntax", "unknown_name", "not_allowed", "too_deep", "too_many",
         "exponent", "number", "timeout", "unsupported", "constant", "no_finite")


class ExpressionError(ValueError):
    """Why a typed expression was refused.

    ``code`` is one of :data:`CODES` (stable: the UI translates by it), ``message`` a short
    English sentence, ``position`` the 0-based column in the NFKC-normalised text (None when
    the problem has no single place), ``snippet`` the offending text, and ``details`` the
    values a translated message may fill in (always including ``position`` and ``snippet``).
    """

    def __init__(self, code: str, message: str, position: int | None = None, snippet: str = "",
                 **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position
        self.snippet = snippet
        self.details = {"position": position, "snippet": snippet, **details}

    def __reduce__(self):
        extra = {k: v for k, v in self.details.items() if k not in ("position", "snippet")}
        return _rebuild_error, (self.code, self.message, self.position, self.snippet, extra)

    def copy(self) -> ExpressionError:
        """A fresh error with the same fields (one cached refusal is raised in many threads)."""
        return _rebuild_error(*self.__reduce__()[1])


def _rebuild_error(code, message, position, snippet, details) -> ExpressionError:
    return ExpressionError(code, message, position, snippet, **details)


@dataclass(frozen=True)
class Parsed:
    """A checked expression: the text as typed, its canonical form and what it uses.

    ``normalised`` is printed from the checked tree (one space around ``+``/``-``, none
    around ``*``, ``/``, ``**``; the fewest brackets that keep the tree; aliases such as
    ``atan`` and ``ln`` printed as ``arctan`` and ``log``), so equal trees print equal and
    ``parse(p.normalised).normalised == p.normalised``.
    """

    text: str
    normalised: str
    variables: frozenset[str]
    functions: frozenset[str]
    nodes: int
    depth: int


# --- parsing --------------------------------------------------------------------------------------------------

_ADDITIVE = {ast.Add: "+", ast.Sub: "-"}
_MULTIPLICATIVE = {ast.Mult: "*", ast.Div: "/"}
_UNARY = {ast.USub: "-", ast.UAdd: "+"}
# the four operators both evaluators share; ** is each one's own (floats, or SymPy's Pow)
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_PREC_ADD, _PREC_MUL, _PREC_UNARY, _PREC_POW, _PREC_ATOM = 1, 2, 3, 4, 5
_WHITESPACE = "\t\n\r\x0b\x0c"
_TO_SPACE = {ord(c): " " for c in _WHITESPACE}

_NOT_ALLOWED = {
    ast.Attribute: "attribute access (a.b)", ast.Subscript: "indexing (a[b])", ast.Lambda: "lambda",
    ast.ListComp: "a comprehension", ast.SetComp: "a comprehension", ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension", ast.JoinedStr: "an f-string", ast.FormattedValue: "an f-string",
    ast.IfExp: "if/else", ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.Starred: "* unpacking",
    ast.Tuple: "a tuple", ast.List: "a list", ast.Set: "a set", ast.Dict: "a dict",
    ast.NamedExpr: "an assignment (:=)", ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield",
    ast.Slice: "a slice",
}
_OPERATOR_TEXT = {
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.Not: "not", ast.Invert: "~",
}


def parse(text: str) -> Parsed:
    """Check ``text`` against the allowlist and return its canonical form; raise :class:`ExpressionError`.

    The checks run in this order: type and length (before anything else), NUL bytes, NFKC
    normalisation then ASCII only, control characters, ``^``, ``\\`` and ``#``, bracket depth,
    a number written against a name (``2x``), :func:`ast.parse`, then every node of the tree
    (allowlist, depth, count), then the exponent and number-size limits. Nothing of the text
    is ever executed.
    """
    if not isinstance(text, str):
        raise ExpressionError("not_allowed", f"expected text, got {type(text).__name__}",
                              what=type(text).__name__)
    if len(text) > MAX_LENGTH:
        raise ExpressionError("too_long", f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}",
                              length=len(text), limit=MAX_LENGTH)
    if "\x00" in text:
        at = text.index("\x00")
        raise ExpressionError("nul", "the expression contains a NUL character", at, "\\x00")
    source = _ascii(text)
    _scan_characters(source)
    source = source.translate(_TO_SPACE)  # tabs and newlines: one column each, all on one line
    _scan_tokens(source)
    lead = len(source) - len(source.lstrip(" "))
    body = source[lead:]
    if not body.strip():
        raise ExpressionError("syntax", "the expression is empty: type a function of x and y", 0, "")
    tree = _ast_parse(body, lead)
    nodes, depth = _check_tree(tree.body, body, lead)
    _check_powers(tree.body, body, lead)
    _check_digits(tree.body)
    variables = frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in VARIABLES)
    functions = frozenset(FUNCTIONS[n.func.id] for n in ast.walk(tree) if isinstance(n, ast.Call))
    return Parsed(text, _unparse(tree.body), variables, functions, nodes, depth)


def _ascii(text: str) -> str:
    """NFKC, then ASCII only (full-width ``ｘ`` becomes ``x``; Cyrillic ``х`` stays and is refused)."""
    source = unicodedata.normalize("NFKC", text)
    if source.isascii():
        if len(source) > MAX_LENGTH:
            raise ExpressionError("too_long", f"the expression is {len(source)} characters long once normalised; "
                                  f"the limit is {MAX_LENGTH}", length=len(source), limit=MAX_LENGTH)
        return source
    # report the first typed character whose normal form is not ASCII, at its place in the typed text
    at = next((i for i, c in enumerate(text) if not unicodedata.normalize("NFKC", c).isascii()), None)
    char = text[at] if at is not None else ""
    if at is None:  # only a combination of characters normalises to non-ASCII: point into the normalised text
        at = next(i for i, c in enumerate(source) if not c.isascii())
        char = source[at]
    name = unicodedata.name(char, "unnamed character")
    raise ExpressionError("not_ascii", f"character {char!r} ({name}, U+{ord(char):04X}) at column {at + 1} is not "
                          "allowed: use plain ASCII letters, digits and + - * / ** ( )", at, char,
                          char=char, codepoint=f"U+{ord(char):04X}", unicode_name=name)


def _scan_characters(source: str) -> None:
    """Refuse what the tree cannot show (control characters, comments) or would misread (``^``), and deep brackets."""
    depth = 0
    for at, char in enumerate(source):
        if char in _WHITESPACE:
            continue
        if char < " " or char == "\x7f":
            raise ExpressionError("not_allowed",
                                  f"control character U+{ord(char):04X} at column {at + 1} is not allowed",
                                  at, char, what=f"U+{ord(char):04X}")
        if char == "^":
            raise ExpressionError("not_allowed",
                                  f"'^' at column {at + 1} is not a power here: write x**2 for x squared",
                                  at, "^", what="^", suggestion="**")
        if char == "\\":
            raise ExpressionError("not_allowed", f"a backslash at column {at + 1} is not allowed", at, char, what=char)
        if char == "#":
            raise ExpressionError("not_allowed", f"'#' (a comment) at column {at + 1} is not allowed", at, "#",
                                  what="#")
        if char in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError("too_deep", f"brackets nest more than {MAX_DEPTH} deep (column {at + 1})",
                                      at, char, limit=MAX_DEPTH)
        elif char in ")]}":
            depth -= 1


def _scan_tokens(source: str) -> None:
    """Refuse a product written without ``*`` (``2x``, ``3 sin(x)``, ``x y``, ``(x+1)y``), saying how to write it.

    Also keeps from Python's parser a number written against a keyword (``1if x else 2``),
    for which it would print a SyntaxWarning to the server's log.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):  # unbalanced brackets and the like: ast.parse says where
        return
    for first, second in zip(tokens, tokens[1:]):
        if second.type not in (tokenize.NUMBER, tokenize.NAME):
            continue
        at, snippet = first.start[1], source[first.start[1]:second.end[1]]
        if first.type == tokenize.NUMBER and first.end == second.start and keyword.iskeyword(second.string):
            raise ExpressionError("syntax", f"put a space between {first.string} and {second.string} "
                                  f"(column {at + 1})", at, snippet)
        product = first.type in (tokenize.NUMBER, tokenize.NAME) or first.string == ")"
        if product and first.string not in FUNCTIONS and not any(keyword.iskeyword(t.string) for t in (first, second)):
            left = "(...)" if first.string == ")" else first.string
            right = f"{second.string}(...)" if second.string in FUNCTIONS else second.string
            suggestion = f"{left}*{right}"
            raise ExpressionError("syntax", f"a product needs *: write {suggestion} (column {at + 1})", at, snippet,
                                  suggestion=suggestion)


def _ast_parse(body: str, lead: int) -> ast.Expression:
    try:
        return ast.parse(body, mode="eval")
    except (RecursionError, MemoryError):
        raise ExpressionError("too_deep", "the expression nests too deeply to read", None, "",
                              limit=MAX_DEPTH) from None
    except SyntaxError as err:
        # Python gives offset 0 (or none) when the text simply ended too early: point at its end
        at_end = not err.offset or err.offset < 1 or (err.lineno or 1) != 1
        col = len(body.rstrip()) if at_end else min(err.offset - 1, len(body))
        reason = (err.msg or "invalid syntax").split(" (")[0]
        raise ExpressionError("syntax", f"{reason} at column {lead + col + 1}", lead + col, body[col:col + 1],
                              reason=reason) from None
    except ValueError as err:  # e.g. "source code string cannot contain null bytes" (refused above)
        raise ExpressionError("syntax", str(err), None, "", reason=str(err)) from None


def _segment(node: ast.AST, body: str) -> str:
    return body[node.col_offset:node.end_col_offset]


def _refuse(code: str, message: str, node: ast.AST, body: str, lead: int, **details) -> ExpressionError:
    snippet = _segment(node, body)
    at = lead + node.col_offset
    return ExpressionError(code, f"{message}: {snippet!r} at column {at + 1}", at, snippet, **details)


def _depth_step(parent: ast.AST, child: ast.AST) -> int:
    """0 when ``child`` continues ``parent``'s left-associative chain (a + b - c, a * b / c), else 1."""
    if isinstance(parent, ast.BinOp) and isinstance(child, ast.BinOp) and child is parent.left:
        for group in (_ADDITIVE, _MULTIPLICATIVE):
            if type(parent.op) in group and type(child.op) in group:
                return 0
    return 1


def _check_tree(root: ast.AST, body: str, lead: int) -> tuple[int, int]:
    """Walk every node (iteratively, left to right) against the allowlist; return (node count, depth)."""
    stack: list[tuple[ast.AST, int]] = [(root, 1)]
    count = deepest = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH:
            raise _refuse("too_deep", f"the expression nests more than {MAX_DEPTH} deep", node, body, lead,
                          limit=MAX_DEPTH)
        if count > MAX_NODES:
            raise _refuse("too_many", f"the expression has more than {MAX_NODES} parts", node, body, lead,
                          limit=MAX_NODES)
        children = _allowed_children(node, body, lead)
        stack.extend((child, depth + _depth_step(node, child)) for child in reversed(children))
    return count, deepest


def _allowed_children(node: ast.AST, body: str, lead: int) -> list[ast.AST]:
    """The node's sub-expressions if the node is allowed; otherwise raise naming it."""
    if isinstance(node, ast.BinOp):
        if type(node.op) in _ADDITIVE or type(node.op) in _MULTIPLICATIVE or isinstance(node.op, ast.Pow):
            return [node.left, node.right]
        op = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
        hint = " (write x**2 for a power)" if op == "^" else ""
        raise _refuse("not_allowed", f"the operator {op} is not allowed{hint}", node, body, lead, what=op)
    if isinstance(node, ast.UnaryOp):
        if type(node.op) in _UNARY:
            return [node.operand]
        op = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
        raise _refuse("not_allowed", f"the operator {op} is not allowed", node, body, lead, what=op)
    if isinstance(node, ast.Constant):
        _check_constant(node, body, lead)
        return []
    if isinstance(node, ast.Name):
        if node.id in VARIABLES or node.id in CONSTANTS:
            return []
        if node.id in FUNCTIONS:
            raise _refuse("not_allowed", f"{node.id} is a function: write {node.id}(...)", node, body, lead,
                          what=node.id)
        hint = f" (names are case-sensitive: did you mean {node.id.lower()}?)" if node.id.lower() in VARIABLES \
            + CONSTANTS else ""
        raise _refuse("unknown_name", f"unknown name {node.id}{hint}; allowed: x, y, pi, e and the functions "
                      f"{', '.join(sorted(set(FUNCTIONS.values())))}", node, body, lead, name=node.id)
    if isinstance(node, ast.Call):
        return [_check_call(node, body, lead)]
    what = _NOT_ALLOWED.get(type(node), type(node).__name__)
    raise _refuse("not_allowed", f"{what} is not allowed", node, body, lead, what=what)


def _check_constant(node: ast.Constant, body: str, lead: int) -> None:
    value = node.value
    if type(value) is int or type(value) is float:
        if not math.isfinite(value):
            raise _refuse("number", "this number is too large", node, body, lead, limit=MAX_DIGITS)
        return
    what = {bool: "True/False", complex: "an imaginary number", str: "text (a string)", bytes: "bytes"}.get(
        type(value), repr(value))
    raise _refuse("not_allowed", f"{what} is not allowed: only real numbers", node, body, lead, what=what)


def _check_call(node: ast.Call, body: str, lead: int) -> ast.AST:
    func = node.func
    if not isinstance(func, ast.Name):
        if isinstance(func, (ast.Constant, ast.BinOp, ast.UnaryOp, ast.Call)):  # 2(x + 1), (x + 1)(x - 1)
            factor = _segment(func, body) if isinstance(func, ast.Constant) else f"({_segment(func, body)})"
            raise _refuse("not_allowed", f"{factor} is not a function: write {factor}*(...) to multiply", node,
                          body, lead, what="call")
        raise _refuse("not_allowed", "only calls of the named functions are allowed", node, body, lead,
                      what="call")
    name = func.id
    if name not in FUNCTIONS:
        if name in VARIABLES or name in CONSTANTS:
            raise _refuse("not_allowed", f"{name} is not a function (write {name}*(...) to multiply)", node, body,
                          lead, what=name)
        raise _refuse("unknown_name", f"unknown function {name}; allowed: "
                      f"{', '.join(sorted(set(FUNCTIONS.values())))}", func, body, lead, name=name)
    if node.keywords:
        raise _refuse("not_allowed", f"{name} takes no keyword arguments", node.keywords[0], body, lead,
                      what="keyword")
    starred = [a for a in node.args if isinstance(a, ast.Starred)]
    if starred:
        raise _refuse("not_allowed", "* unpacking is not allowed", starred[0], body, lead, what="* unpacking")
    if len(node.args) != 1:
        raise _refuse("not_allowed", f"{name} takes exactly one argument, got {len(node.args)}", node, body, lead,
                      what="arguments", function=name, count=len(node.args))
    return node.args[0]


def _is_constant(node: ast.AST) -> bool:
    return not any(isinstance(n, ast.Name) and n.id in VARIABLES for n in ast.walk(node))


def _has_power(node: ast.AST) -> bool:
    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node))


_MATH = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "arcsin": math.asin, "arccos": math.acos,
    "arctan": math.atan, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh, "arcsinh": math.asinh,
    "arccosh": math.acosh, "arctanh": math.atanh, "exp": math.exp, "log": math.log, "sqrt": math.sqrt,
    "abs": abs,
}


def _float_value(node: ast.AST) -> float:
    """The value of a checked constant sub-tree in floats (NaN where undefined, inf on overflow); never raises."""
    try:
        return float(_float_eval(node))
    except OverflowError:
        return math.inf
    except (ArithmeticError, ValueError, TypeError):
        return math.nan


def _float_eval(node: ast.AST) -> float:
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return {"pi": math.pi, "e": math.e}[node.id]
    if isinstance(node, ast.UnaryOp):
        v = _float_eval(node.operand)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Call):
        return _MATH[FUNCTIONS[node.func.id]](_float_eval(node.args[0]))
    # math.pow: only reached for exponents already bounded by MAX_EXPONENT
    return _BINARY.get(type(node.op), math.pow)(_float_eval(node.left), _float_eval(node.right))


def _check_powers(root: ast.AST, body: str, lead: int) -> None:
    """Exponents stay small: every number in one ≤ MAX_EXPONENT, constant ones evaluated and bounded, no towers."""
    for node in ast.walk(root):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow)):
            continue
        for n in ast.walk(node.right):
            if isinstance(n, ast.Constant) and abs(n.value) > MAX_EXPONENT:
                raise _refuse("exponent", f"numbers in an exponent must be at most {MAX_EXPONENT} in size", n, body,
                              lead, limit=MAX_EXPONENT)
        if _is_constant(node.right):
            if _has_power(node.right) or (_is_constant(node.left) and _has_power(node.left)):
                raise _refuse("exponent", "a power of a power of numbers is not allowed", node, body, lead,
                              limit=MAX_EXPONENT)
            value = _float_value(node.right)
            if not (math.isfinite(value) and abs(value) <= MAX_EXPONENT):
                raise _refuse("exponent", f"this exponent must be a finite number at most {MAX_EXPONENT} in size",
                              node.right, body, lead, limit=MAX_EXPONENT)


def _check_digits(root: ast.AST) -> None:
    """Bound the exact integers SymPy can fold the constants into: Σ digits × enclosing constant exponents.

    ``9**99`` has about 95 digits and ``(x*9**99)**99`` about 9,400: SymPy computes such
    integers exactly (and square roots of them by trial factoring), so their size is capped.
    """
    total = 0.0
    stack: list[tuple[ast.AST, float]] = [(root, 1.0)]
    while stack:
        node, weight = stack.pop()
        if isinstance(node, ast.Constant):
            v = abs(node.value)
            if float(v).is_integer() and v > 1:
                total += weight * math.log10(v)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            grow = max(1.0, abs(_float_value(node.right))) if _is_constant(node.right) else 1.0
            stack += [(node.left, weight * grow), (node.right, weight)]
        elif isinstance(node, ast.BinOp):
            stack += [(node.left, weight), (node.right, weight)]
        elif isinstance(node, ast.UnaryOp):
            stack.append((node.operand, weight))
        elif isinstance(node, ast.Call):
            stack.append((node.args[0], weight))
    if total > MAX_DIGITS:
        raise ExpressionError("number", f"the numbers in this expression would grow to about 10^{total:.0f}; "
                              f"the limit is 10^{MAX_DIGITS}", None, "", digits=round(total), limit=MAX_DIGITS)


def _precedence(node: ast.AST) -> int:
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Pow):
            return _PREC_POW
        return _PREC_ADD if type(node.op) in _ADDITIVE else _PREC_MUL
    if isinstance(node, ast.UnaryOp):
        return _PREC_UNARY
    return _PREC_ATOM


def _wrap(node: ast.AST, needs: bool) -> str:
    text = _unparse(node)
    return f"({text})" if needs else text


def _unparse(node: ast.AST) -> str:
    """Canonical text of a checked tree, with just the brackets Python needs to read the same tree back."""
    if isinstance(node, ast.Constant):
        return repr(node.value)  # int: decimal digits; float: the shortest text that reads back exactly
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return f"{FUNCTIONS[node.func.id]}({_unparse(node.args[0])})"
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)] + _wrap(node.operand, _precedence(node.operand) < _PREC_UNARY)
    prec = _precedence(node)
    if prec == _PREC_POW:  # right-associative; its right operand may be a signed factor (x**-2)
        return f"{_wrap(node.left, _precedence(node.left) <= _PREC_POW)}**" \
               f"{_wrap(node.right, _precedence(node.right) < _PREC_UNARY)}"
    op = _ADDITIVE.get(type(node.op)) or _MULTIPLICATIVE[type(node.op)]
    op = f" {op} " if prec == _PREC_ADD else op
    return f"{_wrap(node.left, _precedence(node.left) < prec)}{op}{_wrap(node.right, _precedence(node.right) <= prec)}"


# --- SymPy: build, differentiate, lambdify --------------------------------------------------------------------


def _sympy():
    import sympy  # noqa: PLC0415 - first use only: importing optim_core stays NumPy-only

    return sympy


@dataclass(frozen=True)
class _Compiled:
    """The SymPy results for one normalised expression: LaTeX and NumPy functions of (x, y)."""

    latex: str
    gradient_latex: tuple[str, str]
    constant: bool
    undefined: bool = False  # a constant that is not a finite real number (1/0 + x simplifies to ∞̃)
    value: Callable = None
    grad: Callable = None
    hessian: Callable = None


def _to_sympy(node: ast.AST, sp, symbols: dict):
    """The SymPy expression of a checked tree, built node by node (no text ever reaches SymPy)."""
    if isinstance(node, ast.Constant):
        v = node.value
        if type(v) is int:
            return sp.Integer(v)
        return sp.Integer(int(v)) if v.is_integer() else sp.Float(v)
    if isinstance(node, ast.Name):
        return symbols[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _to_sympy(node.operand, sp, symbols)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call):
        return _sympy_function(sp, FUNCTIONS[node.func.id])(_to_sympy(node.args[0], sp, symbols))
    return _BINARY.get(type(node.op), sp.Pow)(_to_sympy(node.left, sp, symbols), _to_sympy(node.right, sp, symbols))


def _sympy_function(sp, name: str):
    return {
        "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan,
        "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "arcsinh": sp.asinh, "arccosh": sp.acosh,
        "arctanh": sp.atanh, "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "abs": _real_abs(sp),
    }[name]


@functools.cache
def _real_abs(sp):
    """``|u|`` as it is on the real line, where f is defined: d|u|/du = sign(u), and d sign(u)/du = 0 a.e.

    SymPy's Abs assumes nothing about u: for an argument it cannot prove real (``acos(x)``,
    ``sqrt(x)``) it differentiates the complex modulus, with ``re``, ``im`` and derivatives
    left unevaluated that NumPy cannot print. Where u is known to be real this is just Abs.
    """

    class RealSign(sp.Function):
        nargs = 1

        @classmethod
        def eval(cls, arg):
            if arg.is_extended_real:
                return sp.sign(arg)
            return None

        def fdiff(self, argindex=1):
            return sp.S.Zero

        def _latex(self, printer):
            return rf"\operatorname{{sign}}{{\left({printer._print(self.args[0])} \right)}}"

        def _numpycode(self, printer):
            return f"numpy.sign({printer._print(self.args[0])})"

    class RealAbs(sp.Function):
        nargs = 1

        @classmethod
        def eval(cls, arg):
            if arg.is_extended_real:
                return sp.Abs(arg)
            if arg.could_extract_minus_sign():
                return cls(-arg)
            return None

        def fdiff(self, argindex=1):
            return RealSign(self.args[0])

        def _latex(self, printer):
            return rf"\left|{{{printer._print(self.args[0])}}}\right|"

        def _numpycode(self, printer):
            return f"numpy.abs({printer._print(self.args[0])})"

    return RealAbs


def _numeric(expr, sp):
    """Make a SymPy expression safe for NumPy code: δ(x) → 0 (a.e.), ∞̃ → NaN, huge exact numbers → floats."""
    expr = expr.replace(sp.DiracDelta, lambda *args: sp.S.Zero)
    expr = expr.xreplace({sp.zoo: sp.nan})
    big = {a: sp.Float(a, 17) for a in expr.atoms(sp.Rational) if abs(a.p) > 2 ** 53 or a.q > 2 ** 53}
    return expr.xreplace(big) if big else expr


def _latex(expr, sp) -> str:
    return sp.latex(expr, inv_trig_style="full")


def _compile(normalised: str) -> _Compiled:
    """Build f from the checked tree, differentiate it twice and lambdify, all under the time limit."""
    sp = _sympy()  # imported here, not in the worker: the first import must not count against the limit
    tree = ast.parse(parse(normalised).normalised, mode="eval")  # checked again: never trust a caller's text

    def work() -> _Compiled:
        x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
        expr = _to_sympy(tree.body, sp, {"x": x, "y": y, "pi": sp.pi, "e": sp.E})
        gx, gy = sp.diff(expr, x), sp.diff(expr, y)
        hxx, hxy, hyy = sp.diff(gx, x), sp.diff(gx, y), sp.diff(gy, y)
        latex, grad_latex = _latex(expr, sp), (_latex(gx, sp), _latex(gy, sp))
        if not expr.free_symbols:
            return _Compiled(latex, grad_latex, True, undefined=expr.is_finite is not True or expr.is_real is False)
        # f comes along with its derivatives (one call gives the mask); cse computes shared parts once
        f, gx, gy, hxx, hxy, hyy = (_numeric(e, sp) for e in (expr, gx, gy, hxx, hxy, hyy))
        value = sp.lambdify((x, y), f, modules="numpy", cse=True)
        grad = sp.lambdify((x, y), [f, gx, gy], modules="numpy", cse=True)
        hessian = sp.lambdify((x, y), [f, hxx, hxy, hyy], modules="numpy", cse=True)
        return _Compiled(latex, grad_latex, False, False, *_numpy_functions(value, grad, hessian))

    try:
        return _with_time_limit(work, COMPILE_SECONDS)
    except ExpressionError:
        raise
    except Exception as err:  # SymPy failed on an allowed expression: refuse it rather than crash the page
        raise ExpressionError("unsupported", f"could not differentiate this expression ({type(err).__name__})",
                              None, "", reason=type(err).__name__) from None


class _OutOfTime(BaseException):
    """Raised inside a compile worker that ran past its time limit.

    A BaseException, so that SymPy's own ``except Exception`` clauses let it through.
    """


def _with_time_limit(work: Callable[[], Any], seconds: float):
    """``work()`` on a worker thread; ExpressionError("timeout") if it takes longer than ``seconds``.

    A worker past its time is stopped by raising :class:`_OutOfTime` inside it (CPython's
    ``PyThreadState_SetAsyncExc``: SymPy is pure Python, so it lands within a few bytecodes)
    rather than left to burn CPU; the thread is a daemon, so it never holds up exit either.
    A lock makes sure the interrupt is sent only while the worker has not finished.
    """
    future: Future = Future()
    guard = threading.Lock()
    state = {"done": False}

    def run() -> None:
        try:
            try:
                outcome = (True, work())
            except BaseException as err:  # noqa: BLE001 - handed to the waiting thread
                outcome = (False, err)
            with guard:
                state["done"] = True
        except _OutOfTime as err:  # the one interrupt landed just outside work(): no other can come
            outcome = (False, err)
            with guard:
                state["done"] = True
        if outcome[0]:
            future.set_result(outcome[1])
        else:
            future.set_exception(outcome[1])

    worker = threading.Thread(target=run, name="optim_core.expression", daemon=True)
    worker.start()
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        with guard:
            finished = state["done"]
            if not finished:
                _interrupt(worker)
        if finished:  # it finished in the moment between: use what it made
            return future.result()
        raise ExpressionError("timeout", f"differentiating this expression took longer than {seconds:g} s",
                              None, "", seconds=seconds) from None


def _interrupt(thread: threading.Thread) -> None:
    try:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(_OutOfTime))
    except (AttributeError, OSError):  # not CPython: the daemon thread finishes on its own
        pass


def _call(fn, x, y, count: int) -> np.ndarray:
    """A lambdified function's ``count`` outputs stacked as floats of the input shape.

    Constants broadcast; complex or non-finite entries, and any arithmetic failure, become NaN;
    NumPy's warnings are off (``log`` of a negative number is simply NaN).
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    out = np.empty((count,) + np.broadcast_shapes(x.shape, y.shape))
    with np.errstate(all="ignore"):
        try:
            raw = fn(x, y)
            for i, part in enumerate(raw if count > 1 else (raw,)):
                if np.iscomplexobj(part):
                    part = np.where(np.imag(part) == 0, np.real(part), np.nan)
                out[i] = part
        except (ArithmeticError, TypeError, ValueError):
            out.fill(np.nan)
        out[~np.isfinite(out)] = np.nan
    return out


def _numpy_functions(f, g, h) -> tuple[Callable, Callable, Callable]:
    """Value, gradient and Hessian functions of (x, y).

    ``g`` and ``h`` return f first: the derivatives are NaN wherever f itself is not finite
    (``log(x)`` has a gradient formula at x < 0, but no value there).
    """

    def value(x, y):
        return _call(f, x, y, 1)[0][()]

    def masked(fn, count, x, y):
        out = _call(fn, x, y, count)
        np.copyto(out[1:], np.nan, where=np.isnan(out[0]))
        return tuple(part[()] for part in out[1:])

    return value, lambda x, y: masked(g, 3, x, y), lambda x, y: masked(h, 4, x, y)


# --- caches ---------------------------------------------------------------------------------------------------


class _OnceCache:
    """A small LRU that builds each key once, however many threads ask for it at the same time.

    Refusals (ExpressionError, timeouts included) are cached too, so a slow or hostile text
    costs its time limit once, not once per session. Builds of different keys run in
    parallel unless their keys share one of the lock stripes.
    """

    def __init__(self, maxsize: int, stripes: int = 16) -> None:
        self._maxsize = maxsize
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._stripes = [threading.Lock() for _ in range(stripes)]

    def get(self, key, build: Callable[[], Any]):
        found = self._lookup(key)
        if found is _MISSING:
            with self._stripes[hash(key) % len(self._stripes)]:
                found = self._lookup(key)
                if found is _MISSING:
                    try:
                        found = build()
                    except ExpressionError as err:
                        found = _Refused(err)
                    with self._lock:
                        self._data[key] = found
                        while len(self._data) > self._maxsize:
                            self._data.popitem(last=False)
        if isinstance(found, _Refused):
            raise found.error.copy()
        return found

    def _lookup(self, key):
        with self._lock:
            found = self._data.get(key, _MISSING)
            if found is not _MISSING:
                self._data.move_to_end(key)
            return found

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


_MISSING = object()


@dataclass(frozen=True)
class _Refused:
    error: ExpressionError


_COMPILED = _OnceCache(CACHE_SIZE)
_SURFACES = _OnceCache(CACHE_SIZE)


def clear_cache() -> None:
    """Forget every compiled expression and built surface (tests; a long-running server never needs it)."""
    _COMPILED.clear()
    _SURFACES.clear()


def _compiled(normalised: str) -> _Compiled:
    return _COMPILED.get(normalised, lambda: _compile(normalised))


# --- surfaces -------------------------------------------------------------------------------------------------


def check_bounds(bounds) -> Bounds:
    """``((xmin, xmax), (ymin, ymax))`` as floats: finite, min < max, each side at most MAX_WIDTH wide."""
    try:
        (x0, x1), (y0, y1) = bounds
        if any(isinstance(v, (bool, np.bool_, str, bytes)) for v in (x0, x1, y0, y1)):
            raise TypeError
        box = ((float(x0) + 0.0, float(x1) + 0.0), (float(y0) + 0.0, float(y1) + 0.0))
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be ((xmin, xmax), (ymin, ymax)) of numbers, got {bounds!r}") from None
    for axis, (lo, hi) in zip("xy", box):
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError(f"bounds for {axis} must be finite, got ({lo!r}, {hi!r})")
        if not lo < hi:
            raise ValueError(f"bounds for {axis} must have min < max, got ({lo!r}, {hi!r})")
        if hi - lo > MAX_WIDTH:
            raise ValueError(f"bounds for {axis} must be at most {MAX_WIDTH:g} wide, got {hi - lo!r}")
    return box


def custom_name(text: str, bounds: Bounds = DEFAULT_BOUNDS) -> str:
    """The surface name of ``text`` on ``bounds``: ``custom:xmin,xmax,ymin,ymax:<normalised text>``.

    Unambiguous (the bounds are float reprs, which hold neither ``,`` nor ``:``; the text is
    everything after the second ``:``) and the same for any spacing of the same expression.
    It is an internal key: links carry the text and the bounds as separate parameters.
    """
    return _name(parse(text).normalised, check_bounds(bounds))


def _name(normalised: str, box: Bounds) -> str:
    (x0, x1), (y0, y1) = box
    return f"{CUSTOM_PREFIX}{x0!r},{x1!r},{y0!r},{y1!r}:{normalised}"


def parse_custom_name(name: str) -> tuple[str, Bounds]:
    """The inverse of :func:`custom_name`: ``(text, bounds)``; ValueError if ``name`` is not one."""
    if not isinstance(name, str) or not name.startswith(CUSTOM_PREFIX):
        raise ValueError(f"not a custom surface name: {name!r}")
    box, sep, text = name[len(CUSTOM_PREFIX):].partition(":")
    parts = box.split(",")
    if not sep or len(parts) != 4:
        raise ValueError(f"not a custom surface name: {name!r}")
    try:
        x0, x1, y0, y1 = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"not a custom surface name: {name!r}") from None
    return text, check_bounds(((x0, x1), (y0, y1)))


def custom_surface(text: str, bounds: Bounds = DEFAULT_BOUNDS) -> Surface:
    """The :class:`Surface` of a typed ``f(x, y)`` over ``bounds``; ExpressionError if refused.

    ``minima`` is empty (shape (0, 2): nothing is known about them). ``start``, the demo's
    start point, is the first of these interior points where f and ∇f are finite: 70 % of
    the way from the centre toward the upper-left corner, then toward the upper-right,
    lower-left and lower-right corners, the same at 40 %, the centre; failing all, the
    interior point of the 41 × 41 check grid nearest the first. f is refused when it is
    constant on the box ("constant") or has fewer than two finite values on that grid
    ("no_finite"). Surfaces are cached by (normalised text, bounds) and shared: they are
    frozen and their arrays read-only.
    """
    normalised = parse(text).normalised
    box = check_bounds(bounds)
    return _SURFACES.get((normalised, box), lambda: _build_surface(normalised, box))


def _build_surface(normalised: str, box: Bounds) -> Surface:
    compiled = _compiled(normalised)
    if compiled.undefined:
        raise ExpressionError("no_finite", "f is not a finite real number anywhere "
                              "(a 1/0, or the log or square root of a negative number?)", None, "")
    if compiled.constant:
        raise ExpressionError("constant", "f does not depend on x or y: there is nothing to minimise", None, "")
    xs, ys = np.linspace(*box[0], CHECK_GRID), np.linspace(*box[1], CHECK_GRID)
    gx, gy = np.meshgrid(xs, ys)
    z = compiled.value(gx, gy)
    finite = np.isfinite(z)
    if finite.sum() < 2:
        raise ExpressionError("no_finite", "f has no finite real values on the plotted box", None, "",
                              bounds=box)
    values = z[finite]
    if np.ptp(values) <= 1e-12 * max(1.0, np.abs(values).max()):
        raise ExpressionError("constant", "f is constant on the plotted box: there is nothing to minimise", None,
                              "", bounds=box)
    start = _demo_start(compiled, box, gx, gy)
    if start is None:
        raise ExpressionError("no_finite", "f and its gradient are nowhere finite inside the plotted box", None, "",
                              bounds=box)
    minima, start = np.empty((0, 2)), np.asarray(start, dtype=float)
    minima.flags.writeable = start.flags.writeable = False
    return Surface(_name(normalised, box), f"f(x, y) = {normalised}", compiled.latex,
                   compiled.value, compiled.grad, compiled.hessian, box, minima, start)


def _demo_start(compiled: _Compiled, box: Bounds, gx: np.ndarray, gy: np.ndarray):
    center = np.array([sum(box[0]) / 2, sum(box[1]) / 2])
    half = np.array([(box[0][1] - box[0][0]) / 2, (box[1][1] - box[1][0]) / 2])
    corners = np.array([[-1.0, 1.0], [1.0, 1.0], [-1.0, -1.0], [1.0, -1.0]])
    # rounded to 1e-9: 0.7 · 3 is 2.0999999999999996 in binary, which would travel in every link
    candidates = np.round(np.concatenate([center + START_FRACTION * corners * half, center + 0.4 * corners * half,
                                          center[None, :]]), 9)
    ok = _usable(compiled, candidates[:, 0], candidates[:, 1])
    if ok.any():
        return candidates[np.argmax(ok)]
    inner_x, inner_y = gx[1:-1, 1:-1].ravel(), gy[1:-1, 1:-1].ravel()
    ok = _usable(compiled, inner_x, inner_y)
    if not ok.any():
        return None
    d = np.hypot(inner_x - candidates[0, 0], inner_y - candidates[0, 1])
    best = np.argmin(np.where(ok, d, np.inf))
    return np.array([inner_x[best], inner_y[best]])


def _usable(compiled: _Compiled, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    gx, gy = compiled.grad(x, y)
    return np.isfinite(compiled.value(x, y)) & np.isfinite(gx) & np.isfinite(gy)


def surface_from_name(name: str) -> Surface:
    """The surface a :func:`custom_name` stands for (what ``get_surface("custom:…")`` returns)."""
    text, box = parse_custom_name(name)
    return custom_surface(text, box)


def derivative_latex(surface_or_text: Surface | str) -> tuple[str, str]:
    """``(∂f/∂x, ∂f/∂y)`` in LaTeX: the derivatives the engine uses, exactly as SymPy formed them.

    Takes a custom surface, a ``custom:`` name or the typed text. Built-in surfaces have no
    symbolic form here: ValueError.
    """
    item = surface_or_text
    if isinstance(item, Surface):
        if not item.name.startswith(CUSTOM_PREFIX):
            raise ValueError(f"derivatives in LaTeX need a typed surface; {item.name!r} is built in")
        item = item.name
    if isinstance(item, str) and item.startswith(CUSTOM_PREFIX):
        item = parse_custom_name(item)[0]
    return _compiled(parse(item).normalised).gradient_latex


def gradient_latex(surface_or_text: Surface | str) -> str:
    r"""The gradient the engine uses as one LaTeX line for display (``st.latex``):

    ``\frac{\partial f}{\partial x} = <∂f/∂x>, \qquad \frac{\partial f}{\partial y} = <∂f/∂y>``,
    the two parts being :func:`derivative_latex`. Same arguments and errors.
    """
    dx, dy = derivative_latex(surface_or_text)
    return rf"\frac{{\partial f}}{{\partial x}} = {dx}, \qquad \frac{{\partial f}}{{\partial y}} = {dy}"
