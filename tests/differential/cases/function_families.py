"""Differential cases: the `function_families` group."""

from . import c, q, sql_script

EMPTY_FLOATS = "CAST(array() AS ARRAY<FLOAT>)"


FUNCTION_FAMILIES = [
    q("vector_dimension_mismatch", "SELECT vector_inner_product(array(1.0F), array(1.0F, 2.0F))"),
    q("vector_norm_bad_degree", "SELECT vector_norm(array(1.0F), 3.0F)"),
    q("vector_needs_floats", "SELECT vector_cosine_similarity(array(1.0, 2.0), array(1.0, 2.0))"),
    q("vector_nulls_and_empty", f"SELECT vector_cosine_similarity(array(1.0F, NULL), array(1.0F, 2.0F)), vector_inner_product({EMPTY_FLOATS}, {EMPTY_FLOATS}), vector_cosine_similarity({EMPTY_FLOATS}, {EMPTY_FLOATS}), vector_norm({EMPTY_FLOATS}), vector_normalize(array(0.0F), 1.0F), vector_l2_distance(array(1.0F, 1.0F), array(4.0F, 5.0F))"),
    q("vector_aggregates_skip_nulls", "SELECT vector_sum(col), vector_avg(col) FROM VALUES (array(1.0F, NULL)), (array(2.0F, 3.0F)), (NULL), (array(4.0F, 5.0F)) AS t(col)"),
    q("vector_aggregate_mismatch", "SELECT vector_sum(col) FROM VALUES (array(1.0F, 2.0F)), (array(1.0F)) AS t(col)"),
    q("vector_aggregates_grouped", "SELECT g, vector_avg(v) FROM VALUES (1, array(1.0F, 2.0F)), (1, array(3.0F, 6.0F)), (2, array(5.0F, 5.0F)) AS t(g, v) GROUP BY g ORDER BY g", True),
    q("bitmap_positions", "SELECT bitmap_bucket_number(123), bitmap_bit_position(123), bitmap_bucket_number(-5), bitmap_bit_position(-5), bitmap_count(X'')"),
    q("bitmap_position_out_of_range", "SELECT bitmap_construct_agg(col) FROM VALUES (40000L) AS t(col)"),
    q("bitmap_round_trip", "SELECT bitmap_count(bitmap_construct_agg(bitmap_bit_position(id))), bitmap_count(bitmap_or_agg(b)) FROM (SELECT id, X'0F' AS b FROM range(1, 100))"),
    q("theta_exact_thousand", "SELECT theta_sketch_estimate(theta_sketch_agg(id)), theta_sketch_estimate(theta_sketch_agg(CAST(id AS STRING), 10)) FROM range(1000)"),
    q("theta_set_operations", "SELECT theta_sketch_estimate(theta_union(a, b)), theta_sketch_estimate(theta_intersection(a, b)), theta_sketch_estimate(theta_difference(a, b)) FROM (SELECT theta_sketch_agg(id) AS a, theta_sketch_agg(id + 50) AS b FROM range(100))"),
    q("theta_union_agg_groups", "SELECT theta_sketch_estimate(theta_union_agg(s)), theta_sketch_estimate(theta_intersection_agg(s)) FROM (SELECT g, theta_sketch_agg(v) AS s FROM VALUES (1, 1), (1, 2), (2, 2), (2, 3) AS t(g, v) GROUP BY g)"),
    q("theta_types", "SELECT theta_sketch_estimate(theta_sketch_agg(d)), theta_sketch_estimate(theta_sketch_agg(a)) FROM VALUES (1.5D, array(1, 2)), (1.5D, array(1, 2)), (2.5D, array(2, 1)) AS t(d, a)"),
    q("theta_bad_type", "SELECT theta_sketch_agg(col) FROM VALUES (true) AS t(col)"),
    q("theta_bad_lg", "SELECT theta_sketch_agg(col, 2) FROM VALUES (1) AS t(col)"),
    q("theta_foreign_buffer", "SELECT theta_sketch_estimate(X'0102')"),
    q("hll_small_exact", "SELECT hll_sketch_estimate(hll_sketch_agg(id)), hll_sketch_estimate(hll_sketch_agg(CAST(id AS STRING), 10)) FROM range(300)"),
    q("hll_union_different_lg", "SELECT hll_sketch_estimate(hll_union(hll_sketch_agg(col, 12), hll_sketch_agg(col, 10))) FROM VALUES (1) AS t(col)"),
    q("hll_union_allowed", "SELECT hll_sketch_estimate(hll_union(hll_sketch_agg(col, 12), hll_sketch_agg(col + 1, 10), true)) FROM VALUES (1), (2) AS t(col)"),
    q("hll_bad_lg", "SELECT hll_sketch_agg(col, 2) FROM VALUES (1) AS t(col)"),
    q("hll_bad_type", "SELECT hll_sketch_agg(col) FROM VALUES (1.5D) AS t(col)"),
    q("hll_foreign_buffer", "SELECT hll_sketch_estimate(X'0102')"),
    q("kll_quantiles_and_ranks", "SELECT kll_sketch_get_quantile_bigint(s, array(0.0, 0.2, 0.21, 0.5, 0.79, 0.8, 1.0)), kll_sketch_get_rank_bigint(s, array(0, 1, 3, 6)), kll_sketch_get_quantile_bigint(s, 0.5), kll_sketch_get_rank_bigint(s, 3) FROM (SELECT kll_sketch_agg_bigint(col) AS s FROM VALUES (1), (2), (3), (4), (5) AS t(col))"),
    q("kll_doubles_and_floats", "SELECT kll_sketch_get_quantile_double(kll_sketch_agg_double(d), 0.5), kll_sketch_get_quantile_float(kll_sketch_agg_float(f), 1.0), kll_sketch_get_n_double(kll_sketch_agg_double(f)) FROM VALUES (1.5D, 2.5F), (3.5D, 0.5F) AS t(d, f)"),
    q("kll_empty", "SELECT kll_sketch_get_n_bigint(kll_sketch_agg_bigint(col)) FROM VALUES (1) AS t(col) WHERE false"),
    q("kll_empty_quantile", "SELECT kll_sketch_get_quantile_bigint(kll_sketch_agg_bigint(col), 0.5) FROM VALUES (1) AS t(col) WHERE false"),
    q("kll_rank_out_of_range", "SELECT kll_sketch_get_quantile_bigint(kll_sketch_agg_bigint(col), 1.5) FROM VALUES (1) AS t(col)"),
    q("kll_bad_k", "SELECT kll_sketch_agg_bigint(col, 2) FROM VALUES (1) AS t(col)"),
    q("kll_null_arguments", "SELECT kll_sketch_get_quantile_bigint(kll_sketch_agg_bigint(col), NULL), kll_sketch_get_n_bigint(kll_sketch_merge_bigint(kll_sketch_agg_bigint(col), NULL)) FROM VALUES (1) AS t(col)"),
    q("kll_foreign_buffer", "SELECT kll_sketch_get_n_bigint(X'0102')"),
    q("tuple_modes", "SELECT tuple_sketch_summary_double(tuple_sketch_agg_double(k, v, 12, 'min')), tuple_sketch_summary_double(tuple_sketch_agg_double(k, v, 12, 'max'), 'min'), tuple_sketch_summary_double(tuple_sketch_agg_double(k, v, 12, 'alwaysone')) FROM VALUES (1, 2.0D), (1, 5.0D), (2, 3.0D) AS t(k, v)"),
    q("tuple_integer_wraps", "SELECT tuple_sketch_summary_integer(tuple_sketch_agg_integer(k, v)) FROM VALUES (1, 2147483647), (1, 1) AS t(k, v)"),
    q("tuple_with_theta", "SELECT tuple_sketch_summary_double(tuple_union_theta_double(tuple_sketch_agg_double(k, v), theta_sketch_agg(k2))), tuple_sketch_summary_double(tuple_intersection_double(tuple_sketch_agg_double(k, v), tuple_sketch_agg_double(k, v))), tuple_sketch_summary_double(tuple_intersection_theta_double(tuple_sketch_agg_double(k, v), theta_sketch_agg(k))) FROM VALUES (1, 2.0D, 7), (1, 5.0D, 1), (2, 3.0D, 8) AS t(k, v, k2)"),
    q("tuple_bad_mode", "SELECT tuple_sketch_agg_double(k, v, 12, 'avg') FROM VALUES (1, 2.0D) AS t(k, v)"),
    q("tuple_foreign_buffer", "SELECT tuple_sketch_estimate_double(X'0102')"),
    q("sum_overflow_ansi", "SELECT sum(x) FROM VALUES (9223372036854775807L), (1L) AS t(x)"),
    q("try_sum_overflow", "SELECT try_sum(x), sum(y) FROM VALUES (9223372036854775807L, 1), (1L, 2) AS t(x, y)"),
    q("sum_grouped_overflow", "SELECT g, try_sum(x) FROM VALUES (1, 9223372036854775807L), (1, 1L), (2, 5L) AS t(g, x) GROUP BY g ORDER BY g", True),
    sql_script("sum_overflow_legacy", "SET spark.sql.ansi.enabled=false", "SELECT sum(x) FROM VALUES (9223372036854775807L), (1L) AS t(x)"),
    sql_script("date_trunc_in_zone", "SET TIME ZONE 'America/New_York'", "SELECT date_trunc('DAY', TIMESTAMP '2024-03-10 12:00:00'), date_trunc('WEEK', TIMESTAMP '2024-03-10 12:00:00'), date_trunc('QUARTER', TIMESTAMP '2024-05-10 12:00:00'), date_trunc('HOUR', TIMESTAMP '2024-11-03 01:30:00'), date_trunc('bogus', TIMESTAMP '2024-03-10 12:00:00')"),
    q("date_trunc_units", "SELECT date_trunc(u, TIMESTAMP '2015-03-05 09:32:05.359123') FROM VALUES ('YEAR'), ('yy'), ('MM'), ('MON'), ('DD'), ('MINUTE'), ('SECOND'), ('MILLISECOND'), ('MICROSECOND'), (NULL) AS t(u)"),
]

# The SQL language (issue 4): every clause, join, subquery, set operation,
# operator, literal, type name and statement the issue lists, plus parse
# errors. Each case is one query (or a script of statements).
