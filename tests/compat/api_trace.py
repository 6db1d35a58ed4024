"""A pytest plugin that records which public PySpark API methods each
end-to-end test calls, and whether the test passed. The record
(tests/.logs/api-coverage.json) is what tests/compat/report.py turns into
docs/compatibility.md, so that page states what the tests show.

The plugin wraps the methods and properties of the client's classes once,
at the start of the session; each wrapper notes (method, current test)."""

import functools
import inspect
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def api_classes():
    """The public API classes, by the name the docs use."""
    from pyspark.sql.connect.catalog import Catalog
    from pyspark.sql.connect.column import Column
    from pyspark.sql.connect.dataframe import DataFrame, DataFrameNaFunctions, DataFrameStatFunctions
    from pyspark.sql.connect.group import GroupedData
    from pyspark.sql.connect.session import SparkSession
    from pyspark.sql.window import Window

    return {
        "DataFrame": DataFrame,
        "Column": Column,
        "GroupedData": GroupedData,
        "DataFrameNaFunctions": DataFrameNaFunctions,
        "DataFrameStatFunctions": DataFrameStatFunctions,
        # Window's builders; the specs they return are the client's own class.
        "Window": Window,
        "SparkSession": SparkSession,
        "Catalog": Catalog,
    }


# Operators that are part of a class's public API (`col + 1`, `df["a"]`, `df.a`).
OPERATORS = {
    "Column": {
        "__add__", "__sub__", "__mul__", "__truediv__", "__mod__", "__pow__", "__neg__", "__invert__",
        "__and__", "__or__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__getitem__",
        "__getattr__",
    },
    "DataFrame": {"__getitem__", "__getattr__"},
}


def public_members(cls_name, cls):
    """(name, raw attribute) of the public methods and properties of a class."""
    out = []
    for name in sorted(dir(cls)):
        if name.startswith("_") and name not in OPERATORS.get(cls_name, ()):
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, (staticmethod, classmethod, property)) or inspect.isfunction(raw):
            out.append((name, raw))
    return out


class ApiTracer:
    def __init__(self):
        self.current = None
        self.calls = defaultdict(set)
        self.outcomes = {}

    def note(self, key):
        if self.current is not None:
            self.calls[key].add(self.current)

    def wrap(self, key, fn):
        tracer = self

        @functools.wraps(fn)
        def traced(*args, **kwargs):
            tracer.note(key)
            return fn(*args, **kwargs)

        return traced

    def install(self):
        for cls_name, cls in api_classes().items():
            for name, raw in public_members(cls_name, cls):
                key = f"{cls_name}.{name}"
                if isinstance(raw, staticmethod):
                    setattr(cls, name, staticmethod(self.wrap(key, raw.__func__)))
                elif isinstance(raw, classmethod):
                    setattr(cls, name, classmethod(self.wrap(key, raw.__func__)))
                elif isinstance(raw, property):
                    fget = self.wrap(key, raw.fget) if raw.fget else None
                    setattr(cls, name, property(fget, raw.fset, raw.fdel, raw.__doc__))
                else:
                    setattr(cls, name, self.wrap(key, raw))

    # pytest hooks
    def pytest_runtest_setup(self, item):
        self.current = item.nodeid

    def pytest_runtest_teardown(self, item):
        self.current = None

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            xfail = hasattr(report, "wasxfail")
            self.outcomes[report.nodeid] = "xfail" if xfail else report.outcome

    def pytest_sessionfinish(self, session):
        logs = ROOT / "tests" / ".logs"
        logs.mkdir(exist_ok=True)
        record = {
            "methods": {k: sorted(v) for k, v in sorted(self.calls.items())},
            "outcomes": self.outcomes,
        }
        (logs / "api-coverage.json").write_text(json.dumps(record, indent=1, sort_keys=True))
