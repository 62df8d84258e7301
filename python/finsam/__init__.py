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
    BoardReport,
    Chart,
    ClosedError,
    DatabaseError,
    FileError,
    FileFormatError,
    FinsamError,
    InternalError,
    InUseError,
    InvalidArgumentError,
    Model,
    NotADatabaseError,
    Output,
    PluginError,
    RenderError,
    SchemaVersionError,
    Table,
    UnknownNameError,
    ValidationError,
    __version__,
    options,
    plugins,
    schema_version,
)
from finsam._finsam import demo as _demo
from finsam._finsam import open as _open

__all__ = [
    "BoardReport",
    "Chart",
    "Cohort",
    "ClosedError",
    "DatabaseError",
    "FileError",
    "FileFormatError",
    "FinsamError",
    "InternalError",
    "InUseError",
    "InvalidArgumentError",
    "Model",
    "NotADatabaseError",
    "Output",
    "PluginError",
    "RenderError",
    "SchemaVersionError",
    "Table",
    "UnknownNameError",
    "ValidationError",
    "__version__",
    "current",
    "demo",
    "load_ipython_extension",
    "open",
    "options",
    "plugins",
    "schema_version",
]

_current = None


def open(path, read_only=False, create=False):  # noqa: A001 - mirrors the builtin on purpose: finsam.open(path)
    """Opens a finsam database file (create=True creates it when missing); it becomes the model `%%finsam`
    cells query. With read_only=True nothing is written and SQL reads and writes no file but the database.

    >>> m = finsam.open("federation.duckdb")
    """
    global _current
    _current = _open(path, read_only=read_only, create=create)
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


class Cohort:
    """A cohort of a model: the filters once, then every analysis of it.

    >>> c = finsam.demo().cohort(intervention="comung", period="2022-2023")
    >>> c.report(); c.outcomes(); c.survival(event="self-support"); c.costs(); c.chart("pyramid")
    >>> c.compare(vs="2020-2021")

    Filters: federation, intervention, period, membership ("start" or "overlap"), sex, age, target_group,
    support_before, follow_up (a fixed follow-up window in months). Every method takes lang="sv"|"en", raw=False|True and protection=
    "perturbation"|"suppression"|"raw" like the model's.
    """

    def __init__(self, model, **filters):
        self.model = model
        self.filters = {k: v for k, v in filters.items() if v is not None}

    def __repr__(self):
        described = ", ".join(f"{k}={v!r}" for k, v in self.filters.items()) or "all enrolments"
        return f"<finsam.Cohort {described}>"

    def report(self, **options):
        """The standard participant report."""
        return self.model.report(**options, **self.filters)

    def report_sql(self):
        """The report's one SQL statement, parameters written in (runs as is in DuckDB itself)."""
        return self.model.report_sql(**self.filters)

    def outcomes(self, **options):
        """The outcome shares with n, k and 95 % Wilson intervals (a table of the report)."""
        return self.model.report(**options, **self.filters)["outcomes"]

    def compare(self, **options):
        """This cohort against another period (vs=), intervention(s) or federation(s)."""
        return self.model.compare(**options, **self.filters)

    def survival(self, **options):
        """Kaplan–Meier: time on the list (event="exit") or to self-support (event="self-support")."""
        return self.model.survival(**options, **self.filters)

    def costs(self, **options):
        """Budget against actual, unit costs, funding shares and administration."""
        return self.model.costs(**options, **self.filters)

    def chart(self, kind, **options):
        """A chart of this cohort."""
        return self.model.chart(kind, **options, **self.filters)

    def run(self, name, **options):
        """A plugin analysis of this cohort (see `finsam.plugins()`)."""
        return self.model.run(name, **options, **self.filters)


def _cohort(self, **filters):
    """The cohort of this model that the filters select (see `finsam.Cohort`)."""
    return Cohort(self, **filters)


Model.cohort = _cohort


def load_ipython_extension(ipython):
    """`%load_ext finsam` registers the `%%finsam` cell magic (SQL against the current model)."""
    from finsam.magic import register

    register(ipython)
