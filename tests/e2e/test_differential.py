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


# Cases where this server is known to differ from Spark, and how. They run
# (and must keep running without crashing) but are expected to fail until fixed.
KNOWN_DIFFERENCES = {
}


def load_cases():
    out = []
    for group, cases in sorted(GROUPS.items()):
        gold_file = DIFF / "gold" / f"{group}.json"
        gold = json.loads(gold_file.read_text())["cases"] if gold_file.exists() else {}
        for case in cases:
            if case.name in gold:
                case_id = f"{group}/{case.name}"
                marks = [pytest.mark.xfail(reason=KNOWN_DIFFERENCES[case_id], strict=True)] if case_id in KNOWN_DIFFERENCES else []
                out.append(pytest.param(case, gold[case.name]["outcome"], id=case_id, marks=marks))
    return out


@pytest.mark.parametrize("case,expected", load_cases())
def test_matches_spark(spark, case, expected):
    actual = evaluate(spark, case.code)
    assert outcomes_match(expected, actual, ordered=case.ordered), f"\nexpected: {json.dumps(expected)}\nactual:   {json.dumps(actual)}"
