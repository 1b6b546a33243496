"""Type stubs of the native module ``ezla._ezla`` (hand-written; checked by mypy.stubtest)."""

from typing import List, Tuple

__all__ = ["__version__", "_error_codes", "_raise_for_code"]

__version__: str

def _error_codes() -> List[Tuple[int, str, str]]: ...
def _raise_for_code(code: int) -> None: ...
