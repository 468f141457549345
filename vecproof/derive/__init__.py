"""derive: write the step-by-step proof of a theorem, checked by the same kernel before it is shown.

Untrusted, like every front end: `generate` writes proofs as text, and `derive_text` hands the whole
file to the unchanged checker; a proof that does not check is never shown as one.
"""

from .generate import CannotDerive, Deriver, Plan  # noqa: F401
