"""Runs every differential case against our server and compares the outcome
with the gold answer recorded from real Apache Spark."""

import json
import sys
from pathlib import Path

import pytest

DIFF = Path(__file__).resolve().parents[1] / "differential"
sys.path.insert(0, str(DIFF))

from cases import GROUPS  # noqa: E402
from compare import outcomes_match  # noqa: E402
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


@pytest.mark.parametrize("case,expected", load_cases())
def test_matches_spark(spark, case, expected):
    actual = evaluate(spark, case.code)
    assert outcomes_match(expected, actual, ordered=case.ordered), f"\nexpected: {json.dumps(expected)}\nactual:   {json.dumps(actual)}"
