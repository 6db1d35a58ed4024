"""Runs every differential case against our server and compares the outcome
with the gold answer recorded from real Apache Spark."""

import json
import math
import sys
from pathlib import Path

import pytest

DIFF = Path(__file__).resolve().parents[1] / "differential"
sys.path.insert(0, str(DIFF))

from cases import GROUPS  # noqa: E402
from evaluate import evaluate  # noqa: E402


def load_cases():
    out = []
    for group, cases in sorted(GROUPS.items()):
        gold_file = DIFF / "gold" / f"{group}.json"
        gold = json.loads(gold_file.read_text())["cases"] if gold_file.exists() else {}
        for case in cases:
            if case.name in gold:
                out.append(pytest.param(case, gold[case.name]["outcome"], id=f"{group}/{case.name}"))
    return out


def floats_close(a, b):
    if isinstance(a, dict) and isinstance(b, dict) and set(a) == {"float"} == set(b):
        try:
            x, y = float(a["float"]), float(b["float"])
        except ValueError:
            return a == b
        return x == y or math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-300)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(floats_close(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(floats_close(a[k], b[k]) for k in a)
    return a == b


@pytest.mark.parametrize("case,expected", load_cases())
def test_matches_spark(spark, case, expected):
    actual = evaluate(spark, case.code)
    if "rows" in expected and "rows" in actual and not case.ordered:
        expected = dict(expected, rows=sorted(expected["rows"], key=json.dumps))
        actual = dict(actual, rows=sorted(actual["rows"], key=json.dumps))
    assert floats_close(actual, expected), f"\nexpected: {json.dumps(expected)}\nactual:   {json.dumps(actual)}"
