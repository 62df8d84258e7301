"""finsam: open analytics for Swedish Finsam federations (samordningsförbund).

The computations live in the Rust core; this package is a thin face over it.

>>> import finsam
>>> m = finsam.demo()                                   # the synthetic demo federations
>>> m.report(intervention="comung", period="2022-2023")  # SUS's standard participant report
>>> m.compare(intervention="comung", period="2020-2021", vs="2022-2023")
>>> m.chart("periods", period="2020-2021", vs="2022-2023")   # drawn inline in Jupyter
>>> import polars; polars.DataFrame(m.sql("SELECT * FROM intervention"))  # zero-copy via Arrow
"""

from finsam._finsam import (
    Chart,
    ClosedError,
    DatabaseError,
    FinsamError,
    InUseError,
    InvalidArgumentError,
    Model,
    NotADatabaseError,
    Output,
    SchemaVersionError,
    Table,
    UnknownNameError,
    __version__,
    schema_version,
)
from finsam._finsam import demo as _demo
from finsam._finsam import open as _open

__all__ = [
    "Chart",
    "ClosedError",
    "DatabaseError",
    "FinsamError",
    "InUseError",
    "InvalidArgumentError",
    "Model",
    "NotADatabaseError",
    "Output",
    "SchemaVersionError",
    "Table",
    "UnknownNameError",
    "__version__",
    "current",
    "demo",
    "load_ipython_extension",
    "open",
    "schema_version",
]

_current = None


def open(path, read_only=False):  # noqa: A001 - mirrors the builtin on purpose: finsam.open(path)
    """Opens (or creates) a finsam database file; it becomes the model `%%finsam` cells query.

    >>> m = finsam.open("federation.duckdb")
    """
    global _current
    _current = _open(path, read_only=read_only)
    return _current


def demo():
    """The synthetic demo federations of the founding documents, in memory; it becomes the current model.

    >>> m = finsam.demo()
    >>> m.sql("SELECT count(*) AS n FROM participant")
    """
    global _current
    _current = _demo()
    return _current


def current():
    """The model most recently opened with `finsam.open` or `finsam.demo` (None before)."""
    return _current


def load_ipython_extension(ipython):
    """`%load_ext finsam` registers the `%%finsam` cell magic (SQL against the current model)."""
    from finsam.magic import register

    register(ipython)
