//! The resolver against Apache Spark 4.3, relation by relation: output
//! names, types and nullability (or the error class) of small queries, each
//! expectation recorded from Spark's own answer to the same query.

mod common;

use common::{sql, sql_error};

#[test]
fn range_project() {
    let o = sql("SELECT id, id + 1 AS next FROM range(3)");
    assert_eq!(o.names, ["id", "next"]);
    assert_eq!(o.types, ["bigint", "bigint"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn values_nullability() {
    let o = sql("SELECT * FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b))");
    assert_eq!(o.names, ["a", "b"]);
    assert_eq!(o.types, ["int", "string"]);
    assert_eq!(o.nullable, [true, true]);
}

#[test]
fn filter_keeps_columns() {
    let o = sql("SELECT a, b FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b)) WHERE a > 1");
    assert_eq!(o.names, ["a", "b"]);
    assert_eq!(o.types, ["int", "string"]);
    assert_eq!(o.nullable, [true, true]);
}

#[test]
fn sort_limit_offset() {
    let o = sql("SELECT a FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b)) ORDER BY a DESC LIMIT 2 OFFSET 1");
    assert_eq!(o.names, ["a"]);
    assert_eq!(o.types, ["int"]);
    assert_eq!(o.nullable, [true]);
}

#[test]
fn order_by_ordinal() {
    let o = sql("SELECT b, a FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b)) ORDER BY 2");
    assert_eq!(o.names, ["b", "a"]);
    assert_eq!(o.types, ["string", "int"]);
    assert_eq!(o.nullable, [true, true]);
}

#[test]
fn order_by_ordinal_out_of_range() {
    assert_eq!(sql_error("SELECT a FROM (VALUES (1, 'x')) AS t(a, b) ORDER BY 3"), "ORDER_BY_POS_OUT_OF_RANGE");
}

#[test]
fn group_by_names() {
    let o = sql("SELECT b, count(*), sum(a), avg(a), max(a) FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b)) GROUP BY b");
    assert_eq!(o.names, ["b", "count(1)", "sum(a)", "avg(a)", "max(a)"]);
    assert_eq!(o.types, ["string", "bigint", "bigint", "double", "int"]);
    assert_eq!(o.nullable, [true, false, true, true, true]);
}

#[test]
fn group_by_ordinal() {
    let o = sql("SELECT b, count(a) FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b)) GROUP BY 1");
    assert_eq!(o.names, ["b", "count(a)"]);
    assert_eq!(o.types, ["string", "bigint"]);
    assert_eq!(o.nullable, [true, false]);
}

#[test]
fn group_by_all() {
    let o = sql("SELECT b, a + 1, count(*) FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b)) GROUP BY ALL");
    assert_eq!(o.names, ["b", "(a + 1)", "count(1)"]);
    assert_eq!(o.types, ["string", "int", "bigint"]);
    assert_eq!(o.nullable, [true, true, false]);
}

#[test]
fn global_aggregate() {
    let o = sql("SELECT count(a), sum(a), min(b) FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b))");
    assert_eq!(o.names, ["count(a)", "sum(a)", "min(b)"]);
    assert_eq!(o.types, ["bigint", "bigint", "string"]);
    assert_eq!(o.nullable, [false, true, true]);
}

#[test]
fn having() {
    let o = sql("SELECT b FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b)) GROUP BY b HAVING count(*) > 0");
    assert_eq!(o.names, ["b"]);
    assert_eq!(o.types, ["string"]);
    assert_eq!(o.nullable, [true]);
}

#[test]
fn rollup_nullability() {
    let o = sql("SELECT a, b, count(*) FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b)) GROUP BY ROLLUP(a, b)");
    assert_eq!(o.names, ["a", "b", "count(1)"]);
    assert_eq!(o.types, ["int", "string", "bigint"]);
    assert_eq!(o.nullable, [true, true, false]);
}

#[test]
fn grouping_id() {
    let o = sql("SELECT a, grouping(a), grouping_id(a, b) FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b)) GROUP BY CUBE(a, b)");
    assert_eq!(o.names, ["a", "grouping(a)", "grouping_id(a, b)"]);
    assert_eq!(o.types, ["int", "tinyint", "bigint"]);
    assert_eq!(o.nullable, [true, false, false]);
}

#[test]
fn inner_join_using() {
    let o = sql("SELECT * FROM (VALUES (1, 'x') AS l(k, v)) JOIN (VALUES (1, 2.5) AS r(k, w)) USING (k)");
    assert_eq!(o.names, ["k", "v", "w"]);
    assert_eq!(o.types, ["int", "string", "decimal(2,1)"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn natural_join() {
    let o = sql("SELECT * FROM (VALUES (1, 'x') AS l(k, v)) NATURAL JOIN (VALUES (1, 2.5) AS r(k, w))");
    assert_eq!(o.names, ["k", "v", "w"]);
    assert_eq!(o.types, ["int", "string", "decimal(2,1)"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn full_join_using_nullability() {
    let o = sql("SELECT * FROM (VALUES (1, 'x') AS l(k, v)) FULL JOIN (VALUES (1, 2.5) AS r(k, w)) USING (k)");
    assert_eq!(o.names, ["k", "v", "w"]);
    assert_eq!(o.types, ["int", "string", "decimal(2,1)"]);
    assert_eq!(o.nullable, [true, true, true]);
}

#[test]
fn cross_join() {
    let o = sql("SELECT * FROM (VALUES (1) AS l(a)) CROSS JOIN (VALUES ('y') AS r(b))");
    assert_eq!(o.names, ["a", "b"]);
    assert_eq!(o.types, ["int", "string"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn union_widens() {
    let o = sql("SELECT 1 AS a UNION ALL SELECT 2.5");
    assert_eq!(o.names, ["a"]);
    assert_eq!(o.types, ["decimal(11,1)"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn union_names_from_left() {
    let o = sql("SELECT 1 AS a, 'x' AS b UNION SELECT 2 AS c, NULL AS d");
    assert_eq!(o.names, ["a", "b"]);
    assert_eq!(o.types, ["int", "string"]);
    assert_eq!(o.nullable, [false, true]);
}

#[test]
fn union_column_count() {
    assert_eq!(sql_error("SELECT 1, 2 UNION SELECT 3"), "NUM_COLUMNS_MISMATCH");
}

#[test]
fn intersect_except() {
    let o = sql("SELECT a FROM (VALUES (1), (2) AS t(a)) EXCEPT SELECT 2");
    assert_eq!(o.names, ["a"]);
    assert_eq!(o.types, ["int"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn distinct() {
    let o = sql("SELECT DISTINCT b FROM (VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b))");
    assert_eq!(o.names, ["b"]);
    assert_eq!(o.types, ["string"]);
    assert_eq!(o.nullable, [true]);
}

#[test]
fn cte() {
    let o = sql("WITH c AS (SELECT 1 AS x) SELECT x + 1 FROM c");
    assert_eq!(o.names, ["(x + 1)"]);
    assert_eq!(o.types, ["int"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn subquery_alias_columns() {
    let o = sql("SELECT q.y FROM (SELECT 1 AS x) AS q(y)");
    assert_eq!(o.names, ["y"]);
    assert_eq!(o.types, ["int"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn scalar_subquery() {
    let o = sql("SELECT (SELECT max(id) FROM range(3)) AS m");
    assert_eq!(o.names, ["m"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [true]);
}

#[test]
fn exists_subquery() {
    let o = sql("SELECT id FROM range(3) WHERE EXISTS (SELECT 1)");
    assert_eq!(o.names, ["id"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn in_subquery() {
    let o = sql("SELECT id FROM range(5) WHERE id IN (SELECT id * 2 FROM range(2))");
    assert_eq!(o.names, ["id"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn star_except() {
    let o = sql("SELECT * EXCEPT (b) FROM (VALUES (1, 'x', true) AS t(a, b, c))");
    assert_eq!(o.names, ["a", "c"]);
    assert_eq!(o.types, ["int", "boolean"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn lateral_view() {
    let o = sql("SELECT a, e FROM (VALUES (1, array(1, 2)) AS t(a, arr)) LATERAL VIEW explode(arr) x AS e");
    assert_eq!(o.names, ["a", "e"]);
    assert_eq!(o.types, ["int", "int"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn lateral_view_outer() {
    let o = sql("SELECT a, x.e FROM (VALUES (1, array(1, 2)) AS t(a, arr)) LATERAL VIEW OUTER explode(arr) x AS e");
    assert_eq!(o.names, ["a", "e"]);
    assert_eq!(o.types, ["int", "int"]);
    assert_eq!(o.nullable, [false, true]);
}

#[test]
fn lateral_view_posexplode_default_names() {
    let o = sql("SELECT * FROM (VALUES (1, array('p')) AS t(a, arr)) LATERAL VIEW posexplode(arr) x");
    assert_eq!(o.names, ["a", "arr", "pos", "col"]);
    assert_eq!(o.types, ["int", "array<string>", "int", "string"]);
    assert_eq!(o.nullable, [false, false, false, false]);
}

#[test]
fn explode_in_select() {
    let o = sql("SELECT explode(array(1, NULL))");
    assert_eq!(o.names, ["col"]);
    assert_eq!(o.types, ["int"]);
    assert_eq!(o.nullable, [true]);
}

#[test]
fn explode_map() {
    let o = sql("SELECT explode(map('k', 1))");
    assert_eq!(o.names, ["key", "value"]);
    assert_eq!(o.types, ["string", "int"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn inline_struct() {
    let o = sql("SELECT inline(array(struct(1 AS a, 'x' AS b)))");
    assert_eq!(o.names, ["a", "b"]);
    assert_eq!(o.types, ["int", "string"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn stack() {
    let o = sql("SELECT stack(2, 1, 'a', 2, 'b')");
    assert_eq!(o.names, ["col0", "col1"]);
    assert_eq!(o.types, ["int", "string"]);
    assert_eq!(o.nullable, [true, true]);
}

#[test]
fn pivot() {
    let o = sql("SELECT * FROM (VALUES (2023, 'A', 10), (2023, 'B', 5) AS t(year, product, amount)) PIVOT (sum(amount) FOR product IN ('A', 'B'))");
    assert_eq!(o.names, ["year", "A", "B"]);
    assert_eq!(o.types, ["int", "bigint", "bigint"]);
    assert_eq!(o.nullable, [false, true, true]);
}

#[test]
fn unpivot() {
    let o = sql("SELECT * FROM (VALUES (1, 10, 20) AS t(id, q1, q2)) UNPIVOT (v FOR q IN (q1, q2))");
    assert_eq!(o.names, ["id", "q", "v"]);
    assert_eq!(o.types, ["int", "string", "int"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn window_default_frames() {
    let o = sql("SELECT id, sum(id) OVER (ORDER BY id), row_number() OVER (ORDER BY id), sum(id) OVER () FROM range(3)");
    assert_eq!(o.names, ["id", "sum(id) OVER (ORDER BY id ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "row_number() OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "sum(id) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"]);
    assert_eq!(o.types, ["bigint", "bigint", "int", "bigint"]);
    assert_eq!(o.nullable, [false, true, false, true]);
}

#[test]
fn window_lag_lead() {
    let o = sql("SELECT lag(id) OVER (ORDER BY id), lead(id, 2, 0) OVER (ORDER BY id) FROM range(3)");
    assert_eq!(o.names, ["lag(id, 1, NULL) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)", "lead(id, 2, 0) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN 2 FOLLOWING AND 2 FOLLOWING)"]);
    assert_eq!(o.types, ["bigint", "bigint"]);
    assert_eq!(o.nullable, [true, false]);
}

#[test]
fn window_rank_names() {
    let o = sql("SELECT rank() OVER (PARTITION BY id % 2 ORDER BY id), dense_rank() OVER (ORDER BY id), ntile(2) OVER (ORDER BY id) FROM range(3)");
    assert_eq!(o.names, ["RANK() OVER (PARTITION BY (id % 2) ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "DENSE_RANK() OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "ntile(2) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"]);
    assert_eq!(o.types, ["int", "int", "int"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn named_window() {
    let o = sql("SELECT sum(id) OVER w FROM range(3) WINDOW w AS (ORDER BY id)");
    assert_eq!(o.names, ["sum(id) OVER (ORDER BY id ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [true]);
}

#[test]
fn missing_named_window() {
    assert_eq!(sql_error("SELECT sum(id) OVER w FROM range(3)"), "MISSING_WINDOW_SPECIFICATION");
}

#[test]
fn qualify() {
    let o = sql("SELECT id FROM range(5) QUALIFY row_number() OVER (ORDER BY id DESC) <= 2");
    assert_eq!(o.names, ["id"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn lateral_column_alias() {
    let o = sql("SELECT 1 AS a, a + 1 AS b");
    assert_eq!(o.names, ["a", "b"]);
    assert_eq!(o.types, ["int", "int"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn unresolved_column() {
    assert_eq!(sql_error("SELECT nope FROM range(1)"), "UNRESOLVED_COLUMN.WITH_SUGGESTION");
}

#[test]
fn case_insensitive_names() {
    let o = sql("SELECT ID, Id + 1 FROM range(1)");
    assert_eq!(o.names, ["ID", "(Id + 1)"]);
    assert_eq!(o.types, ["bigint", "bigint"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn left_join_nullability() {
    let o = sql("SELECT l.k, r.w FROM (VALUES (1, 'x')) AS l(k, v) LEFT JOIN (VALUES (1, 2.5)) AS r(k, w) ON l.k = r.k");
    assert_eq!(o.names, ["k", "w"]);
    assert_eq!(o.types, ["int", "decimal(2,1)"]);
    assert_eq!(o.nullable, [false, true]);
}

#[test]
fn right_join_nullability() {
    let o = sql("SELECT l.k, r.w FROM (VALUES (1, 'x')) AS l(k, v) RIGHT JOIN (VALUES (1, 2.5)) AS r(k, w) ON l.k = r.k");
    assert_eq!(o.names, ["k", "w"]);
    assert_eq!(o.types, ["int", "decimal(2,1)"]);
    assert_eq!(o.nullable, [true, false]);
}

#[test]
fn semi_join() {
    let o = sql("SELECT * FROM (VALUES (1, 'x')) AS l(k, v) LEFT SEMI JOIN (VALUES (1, 2.5)) AS r(k, w) ON l.k = r.k");
    assert_eq!(o.names, ["k", "v"]);
    assert_eq!(o.types, ["int", "string"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn anti_join() {
    let o = sql("SELECT * FROM (VALUES (1, 'x')) AS l(k, v) LEFT ANTI JOIN (VALUES (1, 2.5)) AS r(k, w) ON l.k = r.k");
    assert_eq!(o.names, ["k", "v"]);
    assert_eq!(o.types, ["int", "string"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn ambiguous_column() {
    assert_eq!(sql_error("SELECT k FROM (VALUES (1)) AS l(k) JOIN (VALUES (1)) AS r(k) ON l.k = r.k"), "AMBIGUOUS_REFERENCE");
}

#[test]
fn qualified_star() {
    let o = sql("SELECT t.* FROM (VALUES (1, 'x')) AS t(a, b)");
    assert_eq!(o.names, ["a", "b"]);
    assert_eq!(o.types, ["int", "string"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn written_names_in_expressions() {
    let o = sql("SELECT T.ID, t.id + 1, upper(CAST(ID AS STRING)) FROM range(1) T");
    assert_eq!(o.names, ["ID", "(id + 1)", "upper(CAST(ID AS STRING))"]);
    assert_eq!(o.types, ["bigint", "bigint", "string"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn union_by_position_types() {
    let o = sql("SELECT 1 AS a, CAST(1 AS FLOAT) AS f UNION ALL SELECT 2L, 2");
    assert_eq!(o.names, ["a", "f"]);
    assert_eq!(o.types, ["bigint", "double"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn unpivot_nullable_value() {
    let o = sql("SELECT * FROM (VALUES (1, 10, NULL) AS t(id, q1, q2)) UNPIVOT (v FOR q IN (q1, q2))");
    assert_eq!(o.names, ["id", "q", "v"]);
    assert_eq!(o.types, ["int", "string", "int"]);
    assert_eq!(o.nullable, [false, false, true]);
}

#[test]
fn lag_lead_nullability() {
    let o = sql("SELECT lag(id, 1, 0) OVER (ORDER BY id), lead(id) OVER (ORDER BY id) FROM range(3)");
    assert_eq!(o.names, ["lag(id, 1, 0) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)", "lead(id, 1, NULL) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN 1 FOLLOWING AND 1 FOLLOWING)"]);
    assert_eq!(o.types, ["bigint", "bigint"]);
    assert_eq!(o.nullable, [false, true]);
}

#[test]
fn percent_rank_cume_dist() {
    let o = sql("SELECT percent_rank() OVER (ORDER BY id), cume_dist() OVER (ORDER BY id), nth_value(id, 2) OVER (ORDER BY id) FROM range(3)");
    assert_eq!(o.names, ["PERCENT_RANK() OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "cume_dist() OVER (ORDER BY id ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)", "nth_value(id, 2) OVER (ORDER BY id ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"]);
    assert_eq!(o.types, ["double", "double", "bigint"]);
    assert_eq!(o.nullable, [false, false, true]);
}

#[test]
fn window_frames_explicit() {
    let o = sql("SELECT sum(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), count(id) OVER (PARTITION BY id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM range(3)");
    assert_eq!(o.names, ["sum(id) OVER (ORDER BY id ASC NULLS FIRST ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)", "count(id) OVER (PARTITION BY id RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"]);
    assert_eq!(o.types, ["bigint", "bigint"]);
    assert_eq!(o.nullable, [true, false]);
}

#[test]
fn aggregate_over_window_filter() {
    let o = sql("SELECT count(*) OVER (), max(id) OVER (PARTITION BY id % 2) FROM range(3)");
    assert_eq!(o.names, ["count(1) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)", "max(id) OVER (PARTITION BY (id % 2) ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"]);
    assert_eq!(o.types, ["bigint", "bigint"]);
    assert_eq!(o.nullable, [false, true]);
}

#[test]
fn nested_window_error() {
    let o = sql("SELECT sum(sum(id)) OVER () FROM range(3)");
    assert_eq!(o.names, ["sum(sum(id)) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [true]);
}

#[test]
fn aggregate_in_where() {
    assert_eq!(sql_error("SELECT id FROM range(3) WHERE sum(id) > 1"), "INVALID_WHERE_CONDITION");
}

#[test]
fn non_aggregate_column() {
    assert_eq!(sql_error("SELECT id, count(*) FROM range(3)"), "MISSING_GROUP_BY");
}

#[test]
fn group_by_position_out_of_range() {
    assert_eq!(sql_error("SELECT id FROM range(3) GROUP BY 5"), "GROUP_BY_POS_OUT_OF_RANGE");
}

#[test]
fn order_by_alias() {
    let o = sql("SELECT id AS x FROM range(3) ORDER BY x DESC");
    assert_eq!(o.names, ["x"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn order_by_hidden_column() {
    let o = sql("SELECT id + 1 AS y FROM range(3) ORDER BY id");
    assert_eq!(o.names, ["y"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn having_without_group() {
    let o = sql("SELECT count(*) FROM range(3) HAVING count(*) > 1");
    assert_eq!(o.names, ["count(1)"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn values_widening() {
    let o = sql("SELECT * FROM VALUES (1, 'a'), (2.5, NULL) AS t(x, y)");
    assert_eq!(o.names, ["x", "y"]);
    assert_eq!(o.types, ["decimal(11,1)", "string"]);
    assert_eq!(o.nullable, [false, true]);
}

#[test]
fn cte_recursive() {
    let o = sql("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r");
    assert_eq!(o.names, ["n"]);
    assert_eq!(o.types, ["int"]);
    assert_eq!(o.nullable, [true]);
}

#[test]
fn exists_correlated() {
    let o = sql("SELECT id FROM range(3) t WHERE EXISTS (SELECT 1 FROM range(2) u WHERE u.id = t.id)");
    assert_eq!(o.names, ["id"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn scalar_subquery_correlated() {
    let o = sql("SELECT id, (SELECT max(u.id) FROM range(5) u WHERE u.id < t.id) AS m FROM range(3) t");
    assert_eq!(o.names, ["id", "m"]);
    assert_eq!(o.types, ["bigint", "bigint"]);
    assert_eq!(o.nullable, [false, true]);
}

#[test]
fn lateral_subquery() {
    let o = sql("SELECT t.id, l.x FROM range(2) t, LATERAL (SELECT t.id * 10 AS x) l");
    assert_eq!(o.names, ["id", "x"]);
    assert_eq!(o.types, ["bigint", "bigint"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn lateral_alias_chain() {
    let o = sql("SELECT 1 AS a, a + 1 AS b, b * 2 AS c");
    assert_eq!(o.names, ["a", "b", "c"]);
    assert_eq!(o.types, ["int", "int", "int"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn identifier_clause() {
    let o = sql("SELECT IDENTIFIER('id') FROM range(1)");
    assert_eq!(o.names, ["id"]);
    assert_eq!(o.types, ["bigint"]);
    assert_eq!(o.nullable, [false]);
}
