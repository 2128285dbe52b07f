"""dermalase: open, physics-based planning for laser skin resurfacing.

Pure physics functions on SI floats live in :mod:`dermalase.physics`, the skin
and its parameter sets in :mod:`dermalase.tissue`, and clinical units are
converted only at the edges (:mod:`dermalase.units`, :mod:`dermalase.cli`).
"""

from dermalase.exceptions import DermalaseError, InputError, RefusalError

__version__ = "0.1.0"

__all__ = ["DermalaseError", "InputError", "RefusalError", "__version__"]
