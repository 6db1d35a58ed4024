"""Differential test cases: each is Python code evaluated with `spark`, `F`
(pyspark.sql.functions), `T` (pyspark.sql.types) and `Row` in scope.

A case evaluates to a DataFrame (its columns, schema and rows are compared),
or starts with "show:" (the show() text is compared), or raises (the
exception class, error class and SQLSTATE are compared). Rows are compared
in order only when the case is marked ordered.

Gold answers come from real Apache Spark 4.3 (record.py) and live in gold/.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    ordered: bool = False


def c(name, code, ordered=False):
    return Case(name, code, ordered)


def q(name, sql, ordered=False):
    return c(name, f"spark.sql({sql!r})", ordered)


def sql_script(name, *statements, ordered=False):
    return c(name, "script(" + ", ".join(repr(s) for s in statements) + ")", ordered)


from .foundation import FOUNDATION  # noqa: E402
from .read import READ  # noqa: E402
from .function_edges import FUNCTION_EDGES  # noqa: E402
from .dataframe import DATAFRAME  # noqa: E402
from .function_families import FUNCTION_FAMILIES  # noqa: E402
from .sql import SQL  # noqa: E402
from .dataframe_more import DATAFRAME_MORE  # noqa: E402
from .sql_clauses import SQL_CLAUSES  # noqa: E402
from .function_table import FUNCTION_TABLE  # noqa: E402
from .semantics import SEMANTICS  # noqa: E402
from .catalog import CATALOG  # noqa: E402
from .intervals import INTERVALS  # noqa: E402
from .collections import COLLECTIONS  # noqa: E402
from .sequences import SEQUENCES  # noqa: E402
from .csv_functions import CSV_FUNCTIONS  # noqa: E402
from .writers import WRITERS  # noqa: E402
from .tables import TABLES  # noqa: E402
from .variant import VARIANT  # noqa: E402
from .xml import XML  # noqa: E402
from .udf import UDF  # noqa: E402

GROUPS = {"foundation": FOUNDATION, "read": READ, "function_edges": FUNCTION_EDGES, "dataframe": DATAFRAME, "sql_clauses": SQL_CLAUSES, "function_families": FUNCTION_FAMILIES, "sql": SQL, "dataframe_more": DATAFRAME_MORE, "function_table": FUNCTION_TABLE, "semantics": SEMANTICS, "catalog": CATALOG, "intervals": INTERVALS, "collections": COLLECTIONS, "sequences": SEQUENCES, "csv_functions": CSV_FUNCTIONS, "writers": WRITERS, "tables": TABLES, "udf": UDF, "variant": VARIANT, "xml": XML}
