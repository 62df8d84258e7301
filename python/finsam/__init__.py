"""finsam: open analytics for Swedish Finsam federations (samordningsförbund).

The computations live in the Rust core; this package is a thin face over it.
"""

from finsam._finsam import __version__, schema_version

__all__ = ["__version__", "schema_version"]
