"""Differential cases: the `semantics` group. Classes of difference found by
running workloads no one here wrote (issue 19, part 2): several DISTINCT
aggregates in one aggregation, floating-point normalization in grouping,
DISTINCT in window and WITHIN GROUP forms, filters and sorts naming columns
their input dropped."""

from . import c, q

_PAIRS = "FROM VALUES (1, 1), (1, 1), (1, 2), (2, NULL), (NULL, 3), (3, 3) AS t(a, b)"
_GROUPED = "FROM VALUES (1, 1, 1.0D), (1, 1, 1.0D), (1, 2, 2.0D), (2, 3, NULL), (2, 3, 5.0D), (2, 4, 5.0D) AS t(k, a, d)"
_MIXED = "FROM VALUES (1, 1.0D, 'x'), (1, 1.0D, 'x'), (2, 2.0D, 'y'), (3, NULL, NULL), (3, -0.0D, 'x'), (4, 0.0D, 'z') AS t(a, d, s)"
_DF = "spark.createDataFrame([(1, 5, 'x'), (1, 0, 'y'), (2, 3, 'z'), (3, 9, 'w')], 'a int, b int, c string')"
_FLOATS = "FROM VALUES (0.0D), (-0.0D), (double('NaN')), (-double('NaN')), (1.0D), (NULL) AS t(d)"

SEMANTICS = [
    # Several DISTINCT aggregates over different arguments in one aggregation.
    q("distinct_pair_count_and_distinct_sum", f"SELECT count(DISTINCT a, b), sum(DISTINCT a) {_PAIRS}"),
    q("distinct_sum_alone", f"SELECT sum(DISTINCT a), sum(DISTINCT a * 2), try_sum(DISTINCT a) {_PAIRS}"),
    q("distinct_mixed_with_plain", f"SELECT k, count(DISTINCT a, d), sum(DISTINCT a), count(DISTINCT d), avg(a), sum(a) {_GROUPED} GROUP BY k"),
    q("distinct_same_args_reordered", f"SELECT count(DISTINCT a, b), count(DISTINCT b, a), count(DISTINCT a) {_PAIRS}"),
    q("distinct_with_filter", f"SELECT k, count(DISTINCT a) FILTER (WHERE d > 1), sum(DISTINCT a) FILTER (WHERE a > 1), sum(DISTINCT d) {_GROUPED} GROUP BY k"),
    q("distinct_under_rollup", f"SELECT k, a, sum(DISTINCT d), count(DISTINCT d), grouping(a) {_GROUPED} GROUP BY ROLLUP(k, a)"),
    q("distinct_under_cube", f"SELECT k, a, count(DISTINCT d), sum(DISTINCT a), grouping_id() {_GROUPED} GROUP BY CUBE(k, a)"),
    q("distinct_under_grouping_sets", f"SELECT k, a, count(DISTINCT d), max(DISTINCT d) {_GROUPED} GROUP BY GROUPING SETS ((k), (a), ())"),
    q("distinct_statistics", f"SELECT stddev(DISTINCT a), variance(DISTINCT a), var_pop(DISTINCT a), stddev_pop(DISTINCT a) {_MIXED}"),
    q("distinct_two_argument_statistics", f"SELECT corr(DISTINCT a, d), covar_samp(DISTINCT a, d), regr_slope(DISTINCT d, a) {_MIXED}"),
    q("distinct_collections_and_products", f"SELECT sort_array(collect_list(DISTINCT a)), sort_array(collect_set(DISTINCT s)), product(DISTINCT a) {_MIXED}"),
    q("distinct_moments_and_bits", "SELECT kurtosis(DISTINCT a), skewness(DISTINCT a), bit_xor(DISTINCT a), bit_or(DISTINCT a) FROM VALUES (1), (1), (2), (5), (9), (9) AS t(a)"),
    q("distinct_percentiles", f"SELECT percentile(DISTINCT a, 0.5), median(DISTINCT a) {_MIXED}"),
    q("distinct_decimal_average", f"SELECT avg(DISTINCT CAST(a AS DECIMAL(10, 2))), sum(DISTINCT CAST(a AS DECIMAL(10, 2))) {_MIXED}"),
    q("distinct_negative_zero_is_zero", f"SELECT count(DISTINCT d), sum(DISTINCT d), avg(DISTINCT d) {_MIXED}"),
    q("distinct_over_empty_input", "SELECT sum(DISTINCT a), stddev(DISTINCT a), count(DISTINCT a, a) FROM VALUES (1) AS t(a) WHERE a > 5"),
    q("distinct_grouped_empty_input", f"SELECT k, sum(DISTINCT a) {_GROUPED} WHERE a > 100 GROUP BY k"),
    q("distinct_pairs_with_nulls", "SELECT count(DISTINCT a, b) FROM VALUES (1, NULL), (NULL, 1), (NULL, NULL), (1, 1) AS t(a, b)"),
    q("distinct_in_having", f"SELECT k, count(DISTINCT a), sum(a) {_GROUPED} GROUP BY k HAVING count(DISTINCT a) > 1"),
    c("distinct_dataframe_api", "spark.createDataFrame([(1, 1), (1, 1), (1, 2), (2, None)], 'a int, b int').agg(F.count_distinct('a', 'b'), F.sum_distinct('a'), F.countDistinct('b'), F.sum('a'))"),
    c("distinct_dataframe_grouped", "spark.createDataFrame([(1, 1, 1), (1, 1, 2), (1, 2, 2), (2, 3, None)], 'k int, a int, b int').groupBy('k').agg(F.count_distinct('a', 'b'), F.sum_distinct('b'), F.avg('a'))"),
    # DISTINCT where Spark refuses it.
    q("distinct_window_function", f"SELECT k, sum(DISTINCT a) OVER (PARTITION BY k) {_GROUPED}"),
    q("distinct_count_window_function", f"SELECT count(DISTINCT a) OVER () {_GROUPED}"),
    q("distinct_mode", f"SELECT mode(DISTINCT a) {_GROUPED}"),
    q("distinct_percentile_cont_within_group", f"SELECT percentile_cont(DISTINCT 0.5) WITHIN GROUP (ORDER BY a) {_GROUPED}"),
    q("distinct_listagg_within_group", "SELECT listagg(DISTINCT s, ',') WITHIN GROUP (ORDER BY s) FROM VALUES ('b'), ('a'), ('b'), (NULL) AS t(s)"),
    q("distinct_listagg_within_group_other_key", "SELECT listagg(DISTINCT s) WITHIN GROUP (ORDER BY a) FROM VALUES ('b', 1), ('a', 2) AS t(s, a)"),
    # Grouping keys: -0.0 is 0.0, every NaN one NaN.
    q("group_by_floats_normalized", f"SELECT d, count(*) {_FLOATS} GROUP BY d"),
    q("group_by_float_in_struct", "SELECT s, count(*) FROM VALUES (named_struct('x', 0.0D)), (named_struct('x', -0.0D)) AS t(s) GROUP BY s"),
    q("distinct_float_count", f"SELECT count(DISTINCT d), count(d) {_FLOATS}"),
    # Filters and sorts naming columns dropped below them.
    c("missing_filter_by_reference", f"(lambda df: df.select('a').filter(df.b > 1))({_DF})"),
    c("missing_filter_by_name", f"{_DF}.select('a').filter('b > 1')"),
    c("missing_filter_by_col", f"{_DF}.select('a').filter(F.col('b') > 1)"),
    c("missing_sort_by_name", f"{_DF}.select('a').orderBy('b')", ordered=True),
    c("missing_sort_desc_reference", f"(lambda df: df.select('a').orderBy(df.b.desc()))({_DF})", ordered=True),
    c("missing_sort_expression", f"{_DF}.select('a').orderBy(F.col('b') + F.col('a'), 'c')", ordered=True),
    c("missing_filter_below_alias", f"{_DF}.select((F.col('a') * 2).alias('x')).filter('b > 1')"),
    c("missing_through_two_projections", f"{_DF}.select('a', 'b').select('a').orderBy('c')", ordered=True),
    c("missing_through_with_column", f"{_DF}.withColumn('d', F.col('a') + 1).select('d').filter(F.col('c') == 'x')"),
    c("missing_through_limit", f"(lambda df: df.select('a').limit(2).filter(df.b > 1))({_DF})"),
    c("missing_after_drop", f"(lambda df: df.drop('b').filter(df.b > 1))({_DF})"),
    c("missing_through_distinct", f"{_DF}.select('a').distinct().filter('b > 4')"),
    c("missing_through_drop_duplicates", f"{_DF}.select('a', 'c').dropDuplicates(['c']).orderBy('b')", ordered=True),
    c("missing_visible_name_wins", f"{_DF}.select((F.col('b') * 10).alias('a')).orderBy('a')", ordered=True),
    c("missing_under_aggregate", f"{_DF}.groupBy('a').count().filter(F.col('b') > 1)"),
    c("missing_aggregate_in_sort", f"{_DF}.groupBy('a').count().orderBy(F.max('b'))", ordered=True),
    c("missing_aggregate_in_filter", f"{_DF}.groupBy('a').count().filter(F.max('b') > 5)"),
    q("missing_sql_sort_by_input_column", "SELECT a FROM VALUES (1, 5), (2, 0) AS t(a, b) ORDER BY b", ordered=True),
    q("missing_sql_sort_qualified", "SELECT t.a FROM VALUES (1, 5), (2, 0) AS t(a, b) ORDER BY t.b DESC", ordered=True),
    q("missing_sql_sort_by_aggregate", "SELECT a FROM VALUES (1, 5), (2, 0), (1, 1) AS t(a, b) GROUP BY a ORDER BY max(b)", ordered=True),
    q("missing_sql_sort_by_aggregate_expression", "SELECT a FROM VALUES (1, 5), (2, 0), (2, 1) AS t(a, b) GROUP BY a ORDER BY sum(b) + a", ordered=True),
    q("missing_sql_sort_alias_and_aggregate", "SELECT a, count(*) AS n FROM VALUES (1, 5), (2, 0), (2, 1) AS t(a, b) GROUP BY a ORDER BY n DESC, max(b)", ordered=True),
    q("missing_sql_sort_ungrouped_column", "SELECT a FROM VALUES (1, 5), (2, 0) AS t(a, b) GROUP BY a ORDER BY b"),
    q("missing_sql_distinct_sort", "SELECT DISTINCT a FROM VALUES (1, 5), (2, 0) AS t(a, b) ORDER BY b"),
    q("missing_sql_union_sort", "SELECT a FROM VALUES (1, 5) AS t(a, b) UNION SELECT a FROM VALUES (2, 0) AS s(a, b) ORDER BY b"),
]
