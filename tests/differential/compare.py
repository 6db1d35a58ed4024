"""How an outcome from our server is judged against Spark's gold outcome.
Shared by the differential and function-example tests."""

import json
import math


def values_close(a, b):
    """Equal, except that floats may differ in the last few bits."""
    if isinstance(a, dict) and isinstance(b, dict) and set(a) == {"float"} == set(b):
        try:
            x, y = float(a["float"]), float(b["float"])
        except ValueError:
            return a == b
        # NaN is equal to NaN in Spark's comparisons, and here.
        return x == y or (math.isnan(x) and math.isnan(y)) or math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-300)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(values_close(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(values_close(a[k], b[k]) for k in a)
    return a == b


def outcomes_match(expected, actual, ordered=True, values=True):
    """Whether `actual` is Spark's `expected` outcome. Unordered results are
    compared as multisets of rows; with `values` false (non-deterministic
    functions) only the columns and schema are compared."""
    if "rows" in expected and "rows" in actual:
        if not values:
            return expected.get("columns") == actual.get("columns") and expected.get("schema") == actual.get("schema")
        if not ordered:
            expected = dict(expected, rows=sorted(expected["rows"], key=json.dumps))
            actual = dict(actual, rows=sorted(actual["rows"], key=json.dumps))
    return values_close(expected, actual)
