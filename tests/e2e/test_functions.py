"""Spark's documented function examples against our server.

Every example query of every built-in function (recorded from real Apache
Spark into tests/functions/gold/examples.json) runs here. A function passes
when all of its examples give Spark's columns, types and values (or Spark's
error). Functions listed in tests/functions/passing.txt must keep passing:
the list only grows. The outcome of every function is written to
tests/.logs/function-results.json, from which tests/functions/report.py
renders docs/functions.md.
"""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUNCS = ROOT / "tests" / "functions"
sys.path.insert(0, str(FUNCS))
sys.path.insert(0, str(ROOT / "tests" / "differential"))

from compare import outcomes_match  # noqa: E402
from examples import depends_on_clock, run_example  # noqa: E402

GOLD = json.loads((FUNCS / "gold" / "examples.json").read_text())["functions"]
PASSING = [
    line.strip()
    for line in (FUNCS / "passing.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]


def check_function(spark, name):
    """Runs one function's examples; returns a list of mismatches."""
    problems = []
    for ex in GOLD[name]:
        actual = run_example(spark, ex["query"])
        ordered = "order by" in ex["query"].lower()
        if not outcomes_match(ex["outcome"], actual, ordered=ordered, values=ex["deterministic"] and not depends_on_clock(ex["query"])):
            problems.append({"query": ex["query"], "expected": ex["outcome"], "actual": actual})
    return problems


@pytest.mark.parametrize("name", PASSING)
def test_function_still_passes(spark, name):
    problems = check_function(spark, name)
    assert not problems, json.dumps(problems, indent=1)[:4000]


def test_all_function_examples(spark):
    results = {}
    for name in sorted(GOLD):
        try:
            problems = check_function(spark, name)
        except Exception as e:  # noqa: BLE001 - a crash is a failure of this function
            problems = [{"query": "", "expected": None, "actual": {"crash": repr(e)}}]
        results[name] = {"pass": not problems, "examples": len(GOLD[name]), "problems": problems}
    logs = ROOT / "tests" / ".logs"
    logs.mkdir(exist_ok=True)
    (logs / "function-results.json").write_text(json.dumps(results, indent=1, sort_keys=True))
    passed = sorted(n for n, r in results.items() if r["pass"])
    print(f"\n{len(passed)} of {len(results)} functions pass all their documented examples")
    missing = [n for n in PASSING if n not in passed]
    assert not missing, f"functions that used to pass: {missing}"
