"""Differential cases: the `function_table` group. Behaviour settled while
moving every function into one table: argument order and names of the trim
family, `log` of one argument, how operators print, the errors of WITHIN
GROUP, generators and window functions in the wrong place, and which
configuration keys a session may set."""

from . import c, q, sql_script

FUNCTION_TABLE = [
    # trim(chars, str): the characters come first, as the client sends them.
    c("trim_two_args_dataframe", "spark.range(1).select(F.trim(F.lit('xax'), F.lit('x')), F.ltrim(F.lit('xax'), F.lit('x')), F.rtrim(F.lit('xax'), F.lit('x')))"),
    q("trim_sql_forms", "SELECT trim('xax', 'x'), trim(BOTH 'x' FROM 'xax'), trim(LEADING 'x' FROM 'xax'), trim(TRAILING 'x' FROM 'xax'), trim('  a '), btrim('xax', 'x'), trim(BOTH FROM '  a ')"),
    q("trim_nulls", "SELECT trim(NULL, 'x'), trim('x', NULL), ltrim(CAST(NULL AS STRING)), rtrim('ab  ')"),
    q("trim_columns", "SELECT trim(c, s), ltrim(c, s) FROM VALUES ('x', 'xxaxx'), ('ab', 'abcab'), (NULL, 'a') AS t(c, s)"),
    # log(x) is the natural logarithm.
    q("log_one_and_two_args", "SELECT log(100), log(10, 100), ln(1), log(2, 8), log(NULL)"),
    q("log_non_positive", "SELECT log(0), log(-1), ln(0), log(1, 10)"),
    # Operators print as Spark prints them.
    c("not_equal_and_null_safe_names", "spark.range(3).select(F.col('id') != 1, F.col('id').eqNullSafe(1), ~F.col('id').isNull(), -F.col('id'))"),
    q("operator_names_sql", "SELECT 1 != 2, 1 <> 2, 1 = 2, 1 == 2, !true, NOT false, 'a' || 'b', 5 % 2, mod(5, 2), 5 div 2, -(1), +(1)"),
    q("bitwise_and_shift_names", "SELECT 5 & 3, 5 | 3, 5 ^ 3, ~5, shiftleft(1, 3), shiftright(16, 2), 1 << 2, 16 >> 2"),
    # WITHIN GROUP and its errors.
    q("percentile_cont_within_group", "SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY id), percentile_disc(0.25) WITHIN GROUP (ORDER BY id DESC) FROM range(10)"),
    q("percentile_cont_without_within_group", "SELECT percentile_cont(0.5) FROM range(10)"),
    q("percentile_cont_two_args", "SELECT percentile_cont(id, 0.5) FROM range(10)"),
    q("within_group_on_sum", "SELECT sum(id) WITHIN GROUP (ORDER BY id) FROM range(3)"),
    q("filter_on_count_star", "SELECT count(*) FILTER (WHERE id > 1), sum(id) FILTER (WHERE id < 2) FROM range(4)"),
    # Generators and window functions out of place.
    q("generator_nested", "SELECT upper(explode(array('a')))"),
    q("generator_in_arithmetic", "SELECT explode(array(1)) + 1"),
    q("window_function_without_over", "SELECT row_number()"),
    q("scalar_function_over_window", "SELECT abs(id) OVER (ORDER BY id) FROM range(3)"),
    q("unknown_function", "SELECT iff(true, 1, 2)"),
    q("datafusion_only_function", "SELECT array_has(array(1), 1)"),
    q("count_distinct_pairs", "SELECT count(DISTINCT a, b), count(DISTINCT a) FROM VALUES (1, 1), (1, 1), (1, NULL), (2, 2) AS t(a, b)"),
    # Which keys a session may set: SET and the Config RPC alike.
    sql_script("set_static_sql_conf", "SET spark.sql.warehouse.dir=/tmp/elsewhere"),
    sql_script("set_spark_core_conf", "SET spark.executor.memory=2g"),
    sql_script("set_app_name", "SET spark.app.name=renamed"),
    sql_script("set_unknown_key", "SET my.own.key=1", "SET my.own.key"),
    c("conf_set_static", "spark.conf.set('spark.sql.catalogImplementation', 'hive')"),
    c("conf_set_core", "spark.conf.set('spark.driver.memory', '1g')"),
    c("conf_set_master", "(spark.conf.set('spark.master', 'local[1]'), spark.conf.get('spark.master'), spark.conf.unset('spark.master'))"),
    c("conf_is_modifiable", "[spark.conf.isModifiable(k) for k in ('spark.sql.shuffle.partitions', 'spark.sql.warehouse.dir', 'spark.app.name', 'spark.executor.memory', 'my.own.key')]"),
    # Found while pinning the resolver with Rust tests.
    q("names_as_written", "SELECT T.ID, t.id + 1, upper(CAST(ID AS STRING)) FROM range(1) T"),
    q("float_meets_integer_ansi", "SELECT CAST(1 AS FLOAT) + 1, CAST(1 AS FLOAT) * CAST(2 AS TINYINT), CAST(1 AS FLOAT) + 1.5, greatest(CAST(1 AS FLOAT), 1)"),
    sql_script("float_meets_integer_legacy", "SET spark.sql.ansi.enabled=false", "SELECT CAST(1 AS FLOAT) + 1, CAST(1 AS FLOAT) + 1.5"),
    q("string_operand_nullability", "SELECT '5' + 1, '5' * 2.5, 1 = '1', if(true, 1, '2'), 1 * 2.5"),
    q("math_nullability", "SELECT pow(2, 3), hypot(3, 4), atan2(1, 2), cbrt(8), sign(-1), abs(-1), greatest(1, NULL), least(NULL, NULL)"),
    q("cast_function_nullability", "SELECT int(1.5), int('x'), string(1), bigint(NULL), double(1), boolean('true')"),
    q("aggregate_in_where", "SELECT id FROM range(3) WHERE sum(id) > 1"),
    q("missing_group_by", "SELECT id, count(*) FROM range(3)"),
    c("to_df_arity", "spark.range(3).toDF('a', 'b')"),
    q("subquery_alias_arity", "SELECT * FROM (SELECT 1, 2) AS q(a)"),
    q("aggregate_inside_window", "SELECT sum(sum(id)) OVER () FROM range(3)"),
    q("rows_preceding_in_sql", "SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM range(4)", True),
    q("replace_two_args", "SELECT replace('abc', 'b'), replace('abc', 'b', 'x')"),
    q("upper_of_array", "SELECT upper(array(1))"),
    q("unpivot_value_nullability", "SELECT * FROM (VALUES (1, 10, 20) AS t(id, q1, q2)) UNPIVOT (v FOR q IN (q1, q2))"),
    q("array_contains_nullability", "SELECT array_contains(array(1, NULL), 2), array_contains(array(1), 1)"),
]
