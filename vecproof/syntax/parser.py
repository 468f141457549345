"""Parse .vproof text with the Lark grammar (LALR) into the typed tree of `ast`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lark import Lark, Token, Transformer_NonRecursive, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from ..diagnostics import Span
from . import ast
from .grammar import build_parser
from .hints import habit_at


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return build_parser()


class ParseFailure(Exception):
    """A syntax error: a message, its position, and detail lines (e.g. what the grammar expected there)."""

    def __init__(self, message: str, span: Span, detail: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.span = span
        self.detail = detail


class AmbiguousPower(ParseFailure):
    """A power of a power without parentheses (`c^2^3`): the grammar admits it, the builder refuses it."""


class InputLimit(ParseFailure):
    """The text is beyond a limit (nesting depth, length of a number): VP901, not a syntax error."""


class TooDeep(InputLimit):
    """The text nests deeper than MAX_DEPTH: refused before anything recurses over it."""


MAX_DIGITS = 100


def _int(tok: Token) -> int:
    text = str(tok)
    if len(text) > MAX_DIGITS:
        raise InputLimit(f"this number has {len(text)} digits; vecproof reads numbers of at most {MAX_DIGITS} digits",
                         _tok_span(tok))
    return int(text)


MAX_DEPTH = 1500  # syntax-tree depth (a sum of k terms is k deep)
# Open brackets at once, counted on the text before the parser runs: parentheses alone do not nest the
# tree, but a text nested this deep is refused without spending seconds building a tree to measure.
MAX_BRACKETS = 10_000
_BRACKET_OR_COMMENT = re.compile(r"[(\[{]|[)\]}]|#[^\n]*")


def parse(text: str) -> ast.File:
    """Parse a whole file. Raises ParseFailure with a position on any syntax error."""
    return _parse_part(text, 0, text.split("\n"))


@dataclass
class Partial:
    """What `parse_recovering` read: the items of every part that parsed, in file order, and the
    failure of every part that did not (none when the whole file parsed)."""

    tree: ast.File
    failures: list[ParseFailure]


# A top-level item starts here: a theorem, lemma or declaration keyword first on its line.
_ITEM_START = re.compile(r"^[ \t]*(?:theorem|lemma|layout|dim|index|var|const|func|import)[ \t]+[A-Za-z_\"]", re.M)


def parse_recovering(text: str) -> Partial:
    """Parse a whole file; after a syntax error, parse each part of it that runs from one line
    starting a top-level item to the next on its own, so an error hides no other theorem or
    declaration. Positions are those of the whole text. ParseFailure is never raised."""
    try:
        return Partial(parse(text), [])
    except ParseFailure as err:
        whole = err
    lines = text.split("\n")
    bounds = [0] + [m.start() for m in _ITEM_START.finditer(text) if m.start() > 0] + [len(text)]
    items: list = []
    failures: list[ParseFailure] = []
    before = 0
    for a, b in zip(bounds, bounds[1:]):
        try:
            items.extend(_parse_part(text[a:b], before, lines, b == len(text)).items)
        except ParseFailure as err:
            failures.append(err)
        before += text.count("\n", a, b)
    # Parts that all parse make a whole that parses; `whole` only guarantees that a failed file fails.
    return Partial(ast.File(tuple(items)), failures or [whole])


def _parse_part(part: str, before: int, lines: list[str], final: bool = True) -> ast.File:
    """Parse `part`, a piece of the file starting at the beginning of line `before` + 1 (and ending
    where the file ends if `final`), with positions in the whole file (whose lines are `lines`)."""
    _check_brackets(part, before)
    try:
        tree = _parser().parse(part)
    except UnexpectedInput as err:
        raise _failure(err, part, before, final) from None
    if before:
        _move(tree, before)
    _check_depth(tree)
    try:
        return _Build(lines).transform(tree)
    except VisitError as err:
        inner = err.orig_exc
        if isinstance(inner, ParseFailure):
            raise inner from None
        raise


def _move(tree, lines: int) -> None:
    """Move every position in a Lark tree down by `lines` lines (without recursion)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        meta = node.meta
        if not getattr(meta, "empty", True):
            meta.line += lines
            meta.end_line += lines
        for child in node.children:
            if isinstance(child, Token):
                if child.line is not None:
                    child.line += lines
                    child.end_line += lines
            elif hasattr(child, "children"):
                stack.append(child)


def _check_brackets(part: str, before: int) -> None:
    """Refuse a text with more than MAX_BRACKETS brackets open at once (comments skipped), at the
    bracket that goes past the limit, before the parser spends time on it."""
    depth = 0
    for m in _BRACKET_OR_COMMENT.finditer(part):
        c = m.group()
        if c in "([{":
            depth += 1
            if depth > MAX_BRACKETS:
                line = part.count("\n", 0, m.start())
                col = m.start() - (part.rfind("\n", 0, m.start()) + 1) + 1
                raise TooDeep(f"this expression has more than {MAX_BRACKETS} brackets open at once; split it "
                              f"into smaller steps", Span(before + line + 1, col, before + line + 1, col + 1))
        elif c in ")]}":
            depth -= 1


def _check_depth(tree) -> None:
    """Measure the parse tree's depth without recursion; refuse trees deeper than MAX_DEPTH."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            meta = getattr(node, "meta", None)
            line = getattr(meta, "line", 1) if meta is not None and not getattr(meta, "empty", True) else 1
            col = getattr(meta, "column", 1) if meta is not None and not getattr(meta, "empty", True) else 1
            raise TooDeep(f"this expression is nested more than {MAX_DEPTH} levels deep (brackets, or terms "
                          f"of one long sum or product); split it into smaller steps", Span(line, col, line, col + 1))
        for child in getattr(node, "children", ()):
            if hasattr(child, "children"):
                stack.append((child, depth + 1))


# ---- building the typed tree ----------------------------------------------------------------------


def _span(meta) -> Span:
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _tok_span(tok: Token) -> Span:
    return Span(tok.line, tok.column, tok.end_line, tok.end_column)


def _ident(tok: Token) -> ast.Ident:
    return ast.Ident(str(tok), _tok_span(tok))


_WRT = re.compile(r"^[d∂]([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$")


@v_args(meta=True)
class _Build(Transformer_NonRecursive):
    """Only builds nodes; all checking happens in elaboration (except for what only the text shows:
    whether a power's base was written in parentheses)."""

    def __init__(self, lines: list[str]):
        super().__init__()
        self._lines = lines

    # -- file and declarations
    def start(self, meta, items):
        return ast.File(tuple(items))

    def layout_decl(self, meta, c):
        return ast.LayoutDecl(str(c[0]), _span(meta))

    def dim_decl(self, meta, c):
        return list(c)

    def dim_item(self, meta, c):
        size = _int(c[1]) if len(c) > 1 else None
        return ast.DimDecl(_ident(c[0]), size, _span(meta))

    def index_decl(self, meta, c):
        return ast.IndexDecl(tuple(_ident(t) for t in c[:-1]), _ident(c[-1]), _span(meta))

    def object_decl(self, meta, c):
        """`var x : …` is one declaration; `const A, B : …` and `func u(x), v(x) : …` declare each name
        alike (a list of declarations, as `dim m, n` is)."""
        kind, rest = str(c[0]), list(c[1:])
        names = []
        while rest and isinstance(rest[0], tuple):
            names.append(rest.pop(0))
        shape = rest.pop(0)
        result = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "ARROW":
            result = rest[1]
            rest = rest[2:]
        symmetric = any(t.type == "SYMMETRIC" for t in rest)
        invertible = any(t.type == "INVERTIBLE" for t in rest)
        decls = [ast.ObjectDecl(kind, name, depends, shape, symmetric, _span(meta), invertible, result)
                 for name, depends in names]
        return decls[0] if len(decls) == 1 else decls

    def object_name(self, meta, c):
        return _ident(c[0]), (c[1] if len(c) > 1 else None)

    def depends(self, meta, c):
        return _ident(c[0])

    def scalar_shape(self, meta, c):
        return ast.ShapeSpec("scalar", (), _span(meta))

    def vector_shape(self, meta, c):
        return ast.ShapeSpec("vector", (_ident(c[0]),), _span(meta))

    def matrix_shape(self, meta, c):
        return ast.ShapeSpec("matrix", (_ident(c[0]), _ident(c[1])), _span(meta))

    # -- theorems
    def theorem(self, meta, c):
        if len(c) == 4:  # no proof: the checker says so (VP110); `vecproof derive` can write one
            end = _span(meta)
            mark = Span(end.end_line, end.end_col, end.end_line, end.end_col)
            proof = ast.Proof(None, c[2], (), mark, mark, missing=True)
            return ast.Theorem(str(c[0]), _ident(c[1]), c[2], c[3], proof, end)
        return ast.Theorem(str(c[0]), _ident(c[1]), c[2], c[3], c[4], _span(meta))

    def proof(self, meta, c):
        rest = list(c)
        component = rest.pop(0) if rest and isinstance(rest[0], tuple) else None
        first = rest.pop(0)
        steps = tuple(rest)
        end = _span(meta)
        qed = Span(end.end_line, max(1, end.end_col - 3), end.end_line, end.end_col)
        return ast.Proof(component, first, steps, end, qed)

    def component_vector(self, meta, c):
        return (_ident(c[0]),)

    def component_matrix(self, meta, c):
        return (_ident(c[0]), _ident(c[1]))

    def step(self, meta, c):
        cites = c[1] if len(c) > 1 else ()
        return ast.Step(c[0], tuple(ct.name for ct in cites), _span(meta), cites)

    def citation(self, meta, c):
        return tuple(c)

    def cite(self, meta, c):
        return ast.Cite(c[0], c[1] if len(c) > 1 else (), _span(meta))

    def dotted(self, meta, c):
        return ast.Ident(".".join(str(t) for t in c), Span(c[0].line, c[0].column, c[-1].end_line, c[-1].end_column))

    def instantiation(self, meta, c):
        return tuple(c)

    def binding(self, meta, c):
        return ast.Binding(_ident(c[0]), c[1], _span(meta))

    def import_decl(self, meta, c):
        what = c[0]
        if isinstance(what, Token):
            return ast.Import(str(what)[1:-1], None, _span(meta))
        return ast.Import(None, what.name, _span(meta))

    # -- expressions
    def add(self, meta, c):
        return ast.BinOp(_span(meta), "+", c[0], c[1])

    def sub(self, meta, c):
        return ast.BinOp(_span(meta), "-", c[0], c[1])

    def mul(self, meta, c):
        return ast.BinOp(_span(meta), "*", c[0], c[1])

    def div(self, meta, c):
        return ast.BinOp(_span(meta), "/", c[0], c[1])

    def neg(self, meta, c):
        return ast.Neg(_span(meta), c[0])

    def transpose(self, meta, c):
        return ast.Transpose(_span(meta), c[0])

    def power(self, meta, c):
        return self._power(meta, c[0], _int(c[1]))

    def square(self, meta, c):
        return self._power(meta, c[0], 2)

    def _power(self, meta, base, exponent: int) -> ast.Power:
        """A power; a power of a power written without parentheses (`c^2^3`, `c²^3`) is refused:
        readers differ on whether it means (c^2)^3 or c^(2^3)."""
        span = _span(meta)
        if isinstance(base, ast.Power) and (base.span.line, base.span.col) == (span.line, span.col):
            inner, whole, root = self._text(base.span), self._text(span), self._text(base.operand.span)
            if inner is None or whole is None or root is None:
                raise AmbiguousPower("a power of a power is ambiguous: it could mean (a^b)^c or a^(b^c); put the "
                                   "inner power in parentheses", span)
            a, b = base.exponent, exponent
            left, right = f"({inner}){whole[len(inner):].lstrip()}", f"{root}^({a}^{b})"
            if not (isinstance(base.operand, ast.Call) and base.operand.callee.name in ("norm", "normF")):
                left += f" = {root}^{a * b}"
                right += f" = {root}^{a ** b}" if a.bit_length() * b <= 64 else ""
            raise AmbiguousPower(f"'{whole}' is ambiguous: it could mean {left} or {right}; write the parentheses "
                               "(or the single power) you mean", span)
        return ast.Power(span, base, exponent)

    def _text(self, span: Span) -> str | None:
        """The source text of a one-line span, or None."""
        if span.line != span.end_line or not 1 <= span.line <= len(self._lines):
            return None
        return self._lines[span.line - 1][span.col - 1:span.end_col - 1]

    def indexed(self, meta, c):
        return ast.Indexed(_span(meta), c[0], c[1])

    def index_list(self, meta, c):
        return tuple(c)

    def index_name(self, meta, c):
        return ast.IndexItem("name", str(c[0]), _tok_span(c[0]))

    def index_number(self, meta, c):
        return ast.IndexItem("number", _int(c[0]), _tok_span(c[0]))

    def index_all(self, meta, c):
        return ast.IndexItem("all", None, _span(meta))

    def norm(self, meta, c):
        frob = any(isinstance(t, Token) and t.type == "FROBENIUS" for t in c)
        exp_tok = c[-1]
        if isinstance(exp_tok, Token) and exp_tok.type in ("NORM_BAR", "DNORM_BAR", "FROBENIUS"):
            exponent = 1  # ‖x‖ alone
        else:
            exponent = 2 if str(exp_tok) == "²" else _int(exp_tok)
        return ast.NormSquared(_span(meta), c[1], frob, exponent)

    def name(self, meta, c):
        return ast.Name(_span(meta), str(c[0]))

    def number(self, meta, c):
        return ast.Number(_span(meta), _int(c[0]))

    def call(self, meta, c):
        args = c[1] if len(c) > 1 else ()
        return ast.Call(_span(meta), _ident(c[0]), tuple(args))

    def arguments(self, meta, c):
        return list(c)

    def bounded_index(self, meta, c):
        return ast.BoundedIndex(_span(meta), _ident(c[0]), c[1], c[2])

    def partial(self, meta, c):
        return ast.Partial(_span(meta), c[1], _wrt(c[-1]))

    def partial_op(self, meta, c):
        return ast.Partial(_span(meta), c[-1], _wrt(c[1]))

    def grad_op(self, meta, c):
        return ast.GradOp(_span(meta), c[1])

    def hess_op(self, meta, c):
        return ast.GradOp(_span(meta), c[2], order=2)

    def inverse_power(self, meta, c):
        return ast.Unsupported(_span(meta), f"^-{c[1]}", (c[0],))

    def inverse_mark(self, meta, c):
        return ast.Unsupported(_span(meta), "⁻¹", (c[0],))

    def hadamard(self, meta, c):
        return ast.BinOp(_span(meta), "⊙", c[0], c[2])

    def literal(self, meta, c):
        return ast.Literal(_span(meta), c[0])

    def matrix_rows(self, meta, c):
        return tuple(c)

    def matrix_row(self, meta, c):
        return tuple(c)


def _wrt(tok: Token) -> ast.Wrt:
    text = str(tok)
    m = _WRT.match(text)
    if m is None:  # pragma: no cover - the terminal's pattern guarantees the match
        raise ParseFailure(f"cannot read '{text}' as dx or dx[i]", _tok_span(tok))
    var = ast.Ident(m.group(1), Span(tok.line, tok.column + 1, tok.line, tok.column + 1 + len(m.group(1))))
    indices = None
    if m.group(2) is not None:
        items = []
        offset = tok.column + 1 + len(m.group(1)) + 1
        for part in m.group(2).split(","):
            stripped = part.strip()
            lead = len(part) - len(part.lstrip())
            sp = Span(tok.line, offset + lead, tok.line, offset + lead + max(1, len(stripped)))
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", stripped):
                items.append(ast.IndexItem("name", stripped, sp))
            elif re.fullmatch(r"[0-9]{1,100}", stripped):
                items.append(ast.IndexItem("number", int(stripped), sp))
            else:
                raise ParseFailure(
                    f"'{stripped or part}' is not an index: write a declared index or a number, as in d{m.group(1)}[k]",
                    sp,
                )
            offset += len(part) + 1
        indices = tuple(items)
    return ast.Wrt(var.__class__(var.name, var.span), indices, _tok_span(tok))


# ---- syntax error messages ------------------------------------------------------------------------

_FRIENDLY = {
    "NAME": "a name",
    "CALLEE": "a function call such as grad(…)",
    "INT": "a number",
    "WRT": "what to differentiate by, such as dx or dx[k]",
    "DIFF": "d(…)",
    "NABLA": "∇",
    "LAYOUT_KIND": "numerator or denominator",
    "SYMMETRIC": "symmetric",
    "INVERTIBLE": "invertible",
    "NORM_BAR": "‖",
    "DNORM_BAR": "||",
    "TRANSPOSE_MARK": "ᵀ",
    "SQUARED": "²",
    "INVERSE_MARK": "⁻¹",
    "HADAMARD": "⊙",
    "FROBENIUS": "_F",
    "$END": "the end of the file",
}


def _terminal_text(name: str) -> str:
    if name in _FRIENDLY:
        return _FRIENDLY[name]
    for t in _parser().terminals:
        if t.name == name:
            if t.pattern.type == "str":
                return f"'{t.pattern.value}'"
            break
    return name.lower()


def _failure(err: UnexpectedInput, part: str, before: int, final: bool = True) -> ParseFailure:
    """The ParseFailure for a Lark error in `part` (which starts after line `before`; `final`: it
    ends where the file ends). A missing `qed` is placed where the proof ends, as is an item cut
    short by the next one; a habit from another notation gets its vecproof spelling (hints.HABITS),
    with what the grammar expected there as a detail line."""
    at = _error_span(err, part)
    part_lines = part.split("\n")
    ends = isinstance(err, UnexpectedEOF) or isinstance(err, UnexpectedToken) and err.token.type == "$END"
    cut = ends and not final
    said = ("this is unfinished where the next theorem or declaration begins" + _expected(err.expected) if cut
            else _describe(err, part))
    line, col = _content_end(part_lines, *((len(part_lines), len(part_lines[-1]) + 1) if ends else (at.line, at.col)))
    where = Span(line + before, col, line + before, col + 1)
    if _missing_qed(err) and not re.search(r"\bqed$", part_lines[line - 1][:col - 1]):  # not `= qed`
        return ParseFailure("this proof has no `qed`: add it after the last step", where, (said,))
    if cut:
        return ParseFailure(said, where)
    span = Span(at.line + before, at.col, at.end_line + before, at.end_col)
    if isinstance(err, UnexpectedToken) and err.token.type == "WRT" and _before(part, err.token).endswith("/"):
        return ParseFailure("a derivative divides by one ∂x only; for a second derivative write "
                            "∂(∂(E)/∂x[l])/∂x[k]", span, (said,))
    habit = habit_at(part_lines[at.line - 1], at.col - 1) if at.line <= len(part_lines) else None
    if habit is not None:
        return ParseFailure(habit.message(), span, (said,))
    return ParseFailure(said, span)


def _before(part: str, tok: Token) -> str:
    """The code before `tok` on its line, without trailing spaces."""
    return part[:tok.start_pos].rsplit("\n", 1)[-1].rstrip()


def _missing_qed(err: UnexpectedInput) -> bool:
    """Whether a proof could have ended with `qed` where the text ends or the next theorem begins."""
    if isinstance(err, UnexpectedEOF):
        return "QED" in err.expected
    if isinstance(err, UnexpectedToken):
        return "QED" in err.expected and (err.token.type == "$END" or str(err.token) in ("theorem", "lemma"))
    return False


def _content_end(lines: list[str], line: int, col: int) -> tuple[int, int]:
    """The position just after the last character of code (not a comment) before (line, col)."""
    text = lines[line - 1][:col - 1] if line <= len(lines) else ""
    while True:
        code = text.split("#", 1)[0].rstrip()
        if code or line == 1:
            return line, len(code) + 1
        line -= 1
        text = lines[line - 1]


def _describe(err: UnexpectedInput, text: str) -> str:
    if isinstance(err, UnexpectedCharacters):
        ch = text[err.pos_in_stream] if err.pos_in_stream < len(text) else "?"
        return f"unexpected character {ch!r}" + _expected(getattr(err, "allowed", None))
    if isinstance(err, UnexpectedEOF):
        return "the file ends in the middle of a declaration or proof" + _expected(err.expected)
    if isinstance(err, UnexpectedToken):
        tok = err.token
        if tok.type == "$END":
            return "the file ends too early" + _expected(err.expected)
        what = f"'{tok}'" if str(tok) else tok.type
        return f"unexpected {what}" + _expected(err.expected)
    return str(err).splitlines()[0]


def _expected(names) -> str:
    if not names:
        return ""
    texts = sorted({_terminal_text(n) for n in names if not n.startswith("__")})
    if not texts:
        return ""
    if len(texts) > 8:
        texts = texts[:8] + ["…"]
    return "; expected " + ", ".join(texts)


def _error_span(err: UnexpectedInput, text: str) -> Span:
    line = getattr(err, "line", None)
    col = getattr(err, "column", None)
    if not isinstance(line, int) or line < 1 or not isinstance(col, int) or col < 1:
        lines = text.split("\n")
        line = len(lines)
        col = len(lines[-1]) + 1
    tok = getattr(err, "token", None)
    if isinstance(tok, Token) and tok.type != "$END" and tok.end_column is not None and tok.end_line == line:
        return Span(line, col, line, tok.end_column)
    return Span(line, col, line, col + 1)
