"""Citable theorems: what a step may cite besides the rules, and the instance a citation names.

A theorem is citable when the kernel made its `Theorem` value (it was proved) before the step that
cites it: earlier in the same file, or in an imported file. Everything else a step might name
(a theorem stated later, one that failed or was only checked for some sizes) is remembered so that
citing it is an error naming why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import kernel
from ..diagnostics import Span
from ..elaboration import ElabError, Elaborator, same_dim
from ..kernel import Add, Index, Obj
from ..rules import lemma as match
from ..syntax import ast


@dataclass(frozen=True)
class Lemma:
    """A proved theorem, as a citation sees it: its kernel-made `Theorem`, the scope its names are
    declared in, and where it is stated (`origin`: the file, or "" for this one)."""

    name: str
    theorem: object  # kernel.Theorem
    scope: object
    span: Span
    origin: str = ""

    @property
    def sides(self):
        return self.theorem.lhs, self.theorem.rhs


@dataclass
class Citable:
    """The names a step may cite: `proved` lemmas by name (bare and qualified), and for every other
    theorem name a sentence saying why it cannot be cited yet or at all."""

    proved: dict[str, Lemma] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, lemma: Lemma) -> None:
        self.refused.pop(name, None)
        self.proved[name] = lemma

    def add_imported(self, qualifier: str, lemma: Lemma) -> None:
        """An imported lemma: `qualifier.name` always, the bare name while no other import uses it."""
        self.proved[f"{qualifier}.{lemma.name}"] = lemma
        if lemma.name in self.ambiguous:
            self.ambiguous[lemma.name].append(f"{qualifier}.{lemma.name}")
        elif lemma.name in self.proved and self.proved[lemma.name].origin:
            other = self.proved.pop(lemma.name)
            self.ambiguous[lemma.name] = [next(k for k, v in self.proved.items() if v is other and "." in k),
                                          f"{qualifier}.{lemma.name}"]
        else:
            self.proved.setdefault(lemma.name, lemma)

    def why_not(self, name: str) -> str | None:
        if name in self.ambiguous:
            return (f"{name} is stated in more than one imported file: cite it qualified, as "
                    f"{' or '.join(self.ambiguous[name])}")
        return self.refused.get(name)


def theorem_names(items) -> dict[str, ast.Theorem]:
    return {i.name.name: i for i in items if isinstance(i, ast.Theorem)}


def statement(lem: Lemma):
    lhs, rhs = lem.sides
    return Add((lhs, rhs))


def show_value(obj: Obj, value) -> str:
    """`A[i, j] := …` for an object's instance, as a sentence shows it."""
    from ..printer import show  # the printer reads the checker's slot names

    if isinstance(value, Obj):
        return value.name
    params, body = value
    names = "ijkl"
    sub = {p: Index(names[n], p.dim) for n, p in enumerate(params)}
    entry = f"{obj.name}[{', '.join(names[n] for n in range(len(params)))}]" if params else obj.name
    return f"{entry} := {show(match.substitute_fresh(body, sub))}"


class Refused(Exception):
    """An explicit instantiation that is refused: the sentence and where."""

    def __init__(self, message: str, span: Span):
        super().__init__(message)
        self.message = message
        self.span = span


def preset(lem: Lemma, cite: ast.Cite, elaborator: Elaborator, symmetric_test, text_of) -> match.Instance:
    """The instance a citation's `[name := value, …]` gives, checked for soundness; Refused when a
    binding is unknown, ill-shaped or unsound. `text_of(node)` is the source text of a value."""
    inst = match.Instance()
    stmt = statement(lem)
    objs = {o.name: o for o in kernel.objects_in(stmt)}
    free = {i.name: i for i in kernel.free_slots(stmt)}
    for b in cite.bindings:
        name, value = b.name.name, b.value
        decl = lem.scope.names.get(name)
        words = text_of(value)
        if name in objs:
            obj = objs[name]
            if obj.kind == "var":
                got = elaborator.scope.names.get(value.name) if isinstance(value, ast.Name) else None
                if got is None or got.what != "var":
                    raise Refused(f"{name} is a variable of differentiation of {lem.name}: it can be "
                                  f"instantiated only by a declared variable, not by {words}", b.span)
                target = got.obj
                if len(target.dims) != len(obj.dims) or not all(_bind_dim(inst, d, t) for d, t in
                                                                 zip(obj.dims, target.dims)):
                    raise Refused(_shape_words(name, obj, inst, words, target.dims), b.span)
                other = next((o.name for o, v in inst.objects.items() if v == target), None)
                if other is not None:
                    raise Refused(f"{other} and {name} are different variables of {lem.name}: they cannot both "
                                  f"be instantiated by {words}", b.span)
                inst.objects[obj] = target
                continue
            try:
                typed = elaborator.expr(value)
            except ElabError as err:
                raise Refused(err.diagnostic.message, err.diagnostic.span) from None
            got_dims = [d for d in (typed.rows, typed.cols) if d is not None]
            if len(got_dims) != len(obj.dims) or not all(_bind_dim(inst, d, t) for d, t in zip(obj.dims, got_dims)):
                raise Refused(_shape_words(name, obj, inst, words, got_dims), b.span)
            params = match.params_for(obj, inst)
            it = iter(params)
            body = typed.comp(next(it) if typed.rows is not None else None, next(it) if typed.cols is not None else None)
            why = match.refusal(obj, (params, body), inst, stmt, symmetric_test, lambda _: words)
            if why is not None:
                raise Refused(why, b.span)
            inst.objects[obj] = (params, body)
        elif decl is not None and decl.what == "dim":
            got = elaborator.scope.names.get(value.name) if isinstance(value, ast.Name) else None
            if got is None or got.what != "dim":
                raise Refused(f"{name} is a size of {lem.name}: it can be instantiated only by a declared "
                              f"dimension, not by {words}", b.span)
            if not _bind_dim(inst, decl.dim, got.dim):
                raise Refused(f"{name} is already instantiated as {inst.dims[decl.dim].name}, not {words}: the "
                              "index ranges must match", b.span)
        elif name in free:
            got = elaborator.scope.names.get(value.name) if isinstance(value, ast.Name) else None
            if got is None or got.what != "index":
                raise Refused(f"{name} is a free index of {lem.name}: it can be instantiated only by an index "
                              f"variable, not by {words}", b.span)
            if not _bind_dim(inst, free[name].dim, got.index.dim):
                raise Refused(f"index {name} ranges over {free[name].dim.name}, but {words} ranges over "
                              f"{got.index.dim.name}: the index ranges must match", b.span)
            inst.indices[free[name]] = got.index
        else:
            raise Refused(f"{lem.name} has no object, size or free index named {name} in its statement", b.name.span)
    return inst


def _bind_dim(inst: match.Instance, d, t) -> bool:
    if d in inst.dims:
        return same_dim(inst.dims[d], t)
    if not d.symbolic:
        return same_dim(d, t)
    inst.dims[d] = t
    return True


def _shape_words(name: str, obj: Obj, inst, words: str, dims) -> str:
    want = ", ".join(inst.dim(d).name for d in obj.dims)
    got = ", ".join(d.name for d in dims)
    kind = {0: "scalar", 1: f"vector({want})", 2: f"matrix({want})"}[len(obj.dims)]
    have = {0: "scalar", 1: f"vector({got})", 2: f"matrix({got})"}.get(len(dims), got)
    return f"{name} is {kind}, but {words} is {have}: the shapes must match"
