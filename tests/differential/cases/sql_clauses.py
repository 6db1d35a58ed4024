"""Differential cases: the `sql_clauses` group."""

from . import c, q

SALES_SQL = "VALUES (2023, 'Q1', 'A', 10), (2023, 'Q2', 'A', 20), (2023, 'Q1', 'B', 5), (2024, 'Q1', 'A', 7) AS t(year, quarter, product, amount)"


SQL_CLAUSES = [
    q("pivot_single_agg", f"SELECT * FROM {SALES_SQL} PIVOT (sum(amount) FOR product IN ('A', 'B'))"),
    q("pivot_aliases", f"SELECT * FROM {SALES_SQL} PIVOT (sum(amount) AS s, count(amount) AS c FOR product IN ('A' AS a, 'B' AS b))"),
    q("pivot_implicit_groups", f"SELECT * FROM {SALES_SQL} PIVOT (max(amount) FOR quarter IN ('Q1', 'Q2'))"),
    q("pivot_then_filter", f"SELECT year, A FROM (SELECT year, product, amount FROM {SALES_SQL}) PIVOT (sum(amount) FOR product IN ('A', 'B')) WHERE A > 8"),
    q("pivot_unaliased_multi", f"SELECT * FROM (SELECT year, product, amount FROM {SALES_SQL}) PIVOT (sum(amount), avg(amount) FOR product IN ('A'))"),
    q("unpivot_default", "SELECT * FROM VALUES (1, 10, 20), (2, NULL, 40) AS t(id, q1, q2) UNPIVOT (amount FOR quarter IN (q1, q2))"),
    q("unpivot_include_nulls", "SELECT * FROM VALUES (1, 10, 20), (2, NULL, 40) AS t(id, q1, q2) UNPIVOT INCLUDE NULLS (amount FOR quarter IN (q1 AS first, q2 AS second))"),
    q("unpivot_then_aggregate", "SELECT quarter, sum(amount) FROM VALUES (1, 10, 20), (2, 5, 40) AS t(id, q1, q2) UNPIVOT (amount FOR quarter IN (q1, q2)) GROUP BY quarter"),
    q("unpivot_type_error", "SELECT * FROM VALUES (1, 10, 'x') AS t(id, q1, q2) UNPIVOT (amount FOR quarter IN (q1, q2))"),
    q("lateral_view_explode", "SELECT id, x FROM VALUES (1, array(1, 2)), (2, array()) AS t(id, arr) LATERAL VIEW explode(arr) e AS x"),
    q("lateral_view_outer_posexplode", "SELECT * FROM VALUES (1, array(1, 2)), (2, array()) AS t(id, arr) LATERAL VIEW OUTER posexplode(arr) e AS p, v"),
    q("lateral_view_chained", "SELECT id, k, v, z FROM VALUES (1, map('a', 1)) AS t(id, m) LATERAL VIEW explode(m) e AS k, v LATERAL VIEW explode(array(10, 20)) f AS z"),
    q("lateral_view_default_names", "SELECT * FROM VALUES (1, array(5)) AS t(id, arr) LATERAL VIEW explode(arr) e"),
    q("lateral_view_then_group", "SELECT x, count(*) FROM VALUES (1, array(1, 2)), (2, array(2)) AS t(id, arr) LATERAL VIEW explode(arr) e AS x GROUP BY x"),
    q("pivot_non_literal_error", f"SELECT * FROM {SALES_SQL} PIVOT (sum(amount) FOR product IN (year))"),
    # ORDER BY ALL: every output column, or a column named `all`.
    q("order_by_all", "SELECT a, b FROM VALUES (3, 1), (1, 2), (NULL, 3), (1, 1) AS t(a, b) ORDER BY ALL", ordered=True),
    q("order_by_all_desc_nulls_first", "SELECT a, b FROM VALUES (3, 1), (1, 2), (NULL, 3) AS t(a, b) ORDER BY ALL DESC NULLS FIRST", ordered=True),
    q("order_by_all_column_named_all", "SELECT b AS `all`, a FROM VALUES (3, 1), (1, 2) AS t(a, b) ORDER BY ALL", ordered=True),
    q("order_by_all_with_group_by_all", "SELECT a, count(*) FROM VALUES (1), (1), (2) AS t(a) GROUP BY ALL ORDER BY ALL DESC", ordered=True),
    q("order_by_all_with_other_keys", "SELECT a, b FROM VALUES (3, 1) AS t(a, b) ORDER BY ALL, a"),
    # Rows come back in partition order: a union lists its left input first.
    q("union_all_keeps_input_order", "SELECT * FROM range(3) UNION ALL SELECT * FROM range(5, 7)", ordered=True),
]
