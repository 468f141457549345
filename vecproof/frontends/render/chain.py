"""The proof chain as one aligned block: `first &= step && \\text{(rule)}`, a mark on every step the
checker did not prove, `\\square` after a proved chain."""

from __future__ import annotations

from .document import STATUS_WORDS, Theorem


def rule_words(rules: tuple[str, ...], bindings: tuple[str, ...] = ()) -> str:
    """`(product rule)` for `product_rule`, `(quadratic form gradient with A := S)` for a citation
    `quadratic_form_gradient[A := S]` (`bindings`: the TeX of each name's instantiation, or "").
    Cited names are identifiers, so no TeX can hide in them."""
    words = []
    for n, rule in enumerate(rules):
        with_ = bindings[n] if n < len(bindings) else ""
        words.append(rule.replace("_", " ") + (r" with }" + with_ + r"\text{" if with_ else ""))
    return r"\text{(" + ", ".join(words) + ")}" if rules else ""


def rows(th: Theorem, ticks: bool = False, color: bool = False) -> list[str]:
    """The rows of the chain, without the environment. `ticks` marks proved steps with ✓ too."""
    out = []
    for n, step in enumerate(th.steps):
        column = rule_words(step.rules, step.bindings)
        if step.status != "proved":
            mark = (r"\times" if step.status == "false" else "?") + r"\ \text{" + STATUS_WORDS[step.status] + "}"
            column += r"\quad " + (rf"\textcolor{{#c62828}}{{{mark}}}" if color else mark)
        elif ticks:
            column += r"\quad " + (r"\textcolor{#2e7d32}{\checkmark}" if color else r"\checkmark")
        if n == len(th.steps) - 1 and th.status == "proved":
            column += r"\quad\square"
        head = th.first if n == 0 else ""
        out.append(f"{head} &= {step.tex}" + (f" && {column}" if column else ""))
    if not th.steps:
        out.append(th.first)
    return out


def aligned(th: Theorem, env: str = "aligned", ticks: bool = False, color: bool = False) -> str:
    body = " \\\\\n".join(rows(th, ticks, color))
    return f"\\begin{{{env}}}\n{body}\n\\end{{{env}}}"
