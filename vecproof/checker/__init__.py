"""The checker: walks files, theorems and proof chains; collects diagnostics and verdicts."""

from ..results import FileResult, StepResult, TheoremResult
from .check import check_bytes, check_path, check_text

__all__ = ["FileResult", "StepResult", "TheoremResult", "check_bytes", "check_path", "check_text"]
