"""Spark Connect clients other than pyspark 4: each drives the real server
binary through its own smoke run.

- `adbc-driver-spark` (PyPI, installed with the test requirements): queries,
  commands sent as root `Sql` relations, errors and catalog discovery
  through `adbc_get_objects`.
- the pyspark 3.5 client, in its own venv (`SCS_PYSPARK35_PYTHON`, made by
  tests/run.sh): tests/clients/pyspark35_smoke.py.
- the Rust client `spark-connect-rs` from crates.io, built by tests/run.sh
  (`SCS_SPARK_CONNECT_RS`): tests/clients/spark-connect-rs.
"""

import os
import subprocess

import pyarrow as pa
import pytest

from conftest import ROOT


def test_adbc_driver_queries_commands_and_errors(server):
    import adbc_driver_spark.dbapi as dbapi

    with dbapi.connect(server.url) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT id, id * 2 AS d FROM range(5) WHERE id > 2")
            table = cur.fetch_arrow_table()
            assert table.column_names == ["id", "d"]
            assert table.to_pylist() == [{"id": 3, "d": 6}, {"id": 4, "d": 8}]
            assert table.schema.field("id").type == pa.int64()

            cur.execute("CREATE OR REPLACE TEMP VIEW adbc_v AS SELECT 1 AS a, 'x' AS b")
            assert cur.fetch_arrow_table().num_rows == 0
            cur.execute("SELECT * FROM adbc_v")
            assert cur.fetch_arrow_table().to_pylist() == [{"a": 1, "b": "x"}]
            cur.execute("SET spark.sql.ansi.enabled")
            assert cur.fetch_arrow_table().to_pylist() == [{"key": "spark.sql.ansi.enabled", "value": "true"}]

            cur.execute("SELECT CAST(NULL AS INT) AS n, DATE'2024-01-02' AS d, 1.5BD AS dec")
            row = cur.fetch_arrow_table().to_pylist()[0]
            assert row["n"] is None and str(row["d"]) == "2024-01-02" and str(row["dec"]) == "1.5"

            with pytest.raises(Exception) as e:
                cur.execute("SELECT * FROM no_such_table")
                cur.fetch_arrow_table()
            assert "TABLE_OR_VIEW_NOT_FOUND" in str(e.value)

        objects = conn.adbc_get_objects().read_all().to_pylist()
        assert objects[0]["catalog_name"] == "spark_catalog"
        schemas = {s["db_schema_name"]: s for s in objects[0]["catalog_db_schemas"]}
        assert "adbc_v" in [t["table_name"] for t in schemas["default"]["db_schema_tables"]]
        assert conn.adbc_get_table_schema("adbc_v").names == ["a", "b"]
        assert conn.adbc_get_info()["vendor_version"] == "4.3.0"


def _run_client(command, server):
    done = subprocess.run(command + [server.url], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return [line.split(" ", 1)[1] for line in done.stdout.splitlines() if line.startswith("ok ")]


def test_pyspark_35_client(server):
    python = os.environ.get("SCS_PYSPARK35_PYTHON")
    if not python:
        pytest.skip("SCS_PYSPARK35_PYTHON is not set (tests/run.sh makes the pyspark 3.5 venv)")
    passed = _run_client([python, str(ROOT / "tests" / "clients" / "pyspark35_smoke.py")], server)
    assert passed == ["connect", "dataframe", "sql types", "pandas", "aggregate", "window", "temp view", "catalog", "conf", "errors", "python udfs", "show"]


def test_spark_connect_rs_client(server):
    binary = os.environ.get("SCS_SPARK_CONNECT_RS")
    if not binary:
        pytest.skip("SCS_SPARK_CONNECT_RS is not set (tests/run.sh builds tests/clients/spark-connect-rs)")
    passed = _run_client([binary], server)
    assert passed == ["version", "range filter select", "sql", "count", "conf", "error"]
