"""The 22 TPC-H queries at scale factor 0.1 (data from tpchgen-cli, temp views
over parquet) give exactly the answers recorded from Apache Spark."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "tpch"))
sys.path.insert(0, str(ROOT / "tests" / "differential"))

import tpch  # noqa: E402
from compare import outcomes_match  # noqa: E402
from evaluate import run_sql  # noqa: E402

GOLD = json.loads((ROOT / "tests" / "tpch" / "gold" / "sf0.1.json").read_text())


@pytest.fixture(scope="module")
def tpch_spark(spark):
    tpch.register(spark, GOLD["scale"])
    return spark


@pytest.mark.parametrize("n", range(1, 23))
def test_tpch_query(tpch_spark, n):
    expected = GOLD["queries"][str(n)]
    actual = run_sql(tpch_spark, tpch.query(n))
    assert outcomes_match(expected, actual, ordered=True), (
        f"\nexpected: {json.dumps(expected)[:3000]}\nactual:   {json.dumps(actual)[:3000]}"
    )
