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


FOUNDATION = [
    # Range and basic projections
    c("range_5", "spark.range(5)", True),
    c("range_start_end_step", "spark.range(2, 20, 3)", True),
    c("range_negative_step", "spark.range(10, 0, -2)", True),
    c("range_empty", "spark.range(0)"),
    c("range_select_arith", "spark.range(3).select(F.col('id') + 1, F.col('id') * 2, F.col('id') - 1, F.col('id') / 2)", True),
    c("range_mod_div", "spark.range(1, 6).select(F.col('id') % 3, (F.col('id') * 7) / 3)", True),
    c("range_compare", "spark.range(4).select(F.col('id') == 1, F.col('id') != 1, F.col('id') < 2, F.col('id') >= 2)", True),
    c("range_boolean_ops", "spark.range(4).select((F.col('id') > 0) & (F.col('id') < 3), (F.col('id') == 0) | (F.col('id') == 3), ~(F.col('id') > 1))", True),
    c("range_alias", "spark.range(3).select(F.col('id').alias('x'), (F.col('id') + 10).alias('y'))", True),
    c("range_literals", "spark.range(1).select(F.lit(1), F.lit('a'), F.lit(1.5), F.lit(True), F.lit(None))"),
    c("select_expr", "spark.range(3).selectExpr('id + 1', 'id * 2 AS d', 'id > 1')", True),
    c("filter_col", "spark.range(10).filter(F.col('id') > 6)", True),
    c("filter_string", "spark.range(10).filter('id % 3 = 0')", True),
    c("where_and", "spark.range(20).where((F.col('id') > 3) & (F.col('id') < 7))", True),
    # Sort, limit, offset
    c("sort_desc", "spark.range(5).sort(F.col('id').desc())", True),
    c("orderby_multi", "spark.createDataFrame([(1, 'b'), (2, 'a'), (1, 'a')], 'x int, y string').orderBy('x', F.desc('y'))", True),
    c("sort_nulls_default", "spark.createDataFrame([(1,), (None,), (3,)], 'x int').orderBy('x')", True),
    c("sort_nulls_desc", "spark.createDataFrame([(1,), (None,), (3,)], 'x int').orderBy(F.col('x').desc())", True),
    c("sort_nulls_last", "spark.createDataFrame([(1,), (None,), (3,)], 'x int').orderBy(F.col('x').asc_nulls_last())", True),
    c("limit", "spark.range(100).limit(3)", True),
    c("offset", "spark.range(10).offset(7)", True),
    c("limit_zero", "spark.range(10).limit(0)"),
    c("sort_by_dropped_column", "spark.createDataFrame([(1, 'b'), (2, 'a')], 'x int, y string').select('x').orderBy('y')", True),
    # Aggregation
    c("count", "spark.range(7).groupBy().count()"),
    c("groupby_agg", "spark.range(10).groupBy((F.col('id') % 3).alias('k')).agg(F.sum('id'), F.count('id'), F.max('id'), F.min('id'), F.avg('id'))"),
    c("groupby_count", "spark.createDataFrame([('a', 1), ('b', 2), ('a', 3)], 'k string, v int').groupBy('k').count()"),
    c("agg_global", "spark.range(10).agg(F.sum('id'), F.countDistinct(F.col('id') % 4))"),
    c("agg_count_star", "spark.range(10).select(F.count('*'))"),
    c("groupby_sum_int_type", "spark.createDataFrame([('a', 1), ('a', 2)], 'k string, v int').groupBy('k').agg(F.sum('v'), F.avg('v'))"),
    # Local relations and types
    c("create_df_types", "spark.createDataFrame([(1, 2, 'x', 1.5, True)], 'a tinyint, b bigint, c string, d double, e boolean')"),
    c("create_df_nulls", "spark.createDataFrame([(None, None)], 'a int, b string')"),
    c("create_df_rows", "spark.createDataFrame([Row(name='Alice', age=2), Row(name='Bob', age=5)])"),
    c("create_df_date_ts", "spark.createDataFrame([(1,)], 'x int').select(F.lit('2024-02-29').cast('date').alias('d'), F.lit('2024-02-29 12:34:56').cast('timestamp').alias('t'))"),
    c("create_df_decimal", "spark.createDataFrame([(1,)], 'x int').select(F.lit('12.345').cast('decimal(10,3)').alias('d'))"),
    c("create_df_array", "spark.createDataFrame([([1, 2, 3], ['a'])], 'a array<int>, b array<string>')"),
    # Column operations
    c("to_df", "spark.range(3).toDF('n')", True),
    c("with_column", "spark.range(3).withColumn('double', F.col('id') * 2)", True),
    c("with_column_replace", "spark.range(3).withColumn('id', F.col('id') + 100)", True),
    c("with_columns_renamed", "spark.range(2).withColumnRenamed('id', 'key')", True),
    c("drop", "spark.range(2).withColumn('x', F.lit(1)).drop('id')", True),
    c("alias_qualified", "spark.range(3).alias('t').select('t.id')", True),
    c("star", "spark.range(2).withColumn('y', F.lit('q')).select('*')", True),
    c("case_insensitive", "spark.range(2).select('ID')", True),
    # Functions (a first handful)
    c("fn_upper_lower", "spark.createDataFrame([('Ab',)], 'name string').select(F.upper('name'), F.lower('name'), F.length('name'))"),
    c("fn_abs_sqrt", "spark.range(1).select(F.abs(F.lit(-3)), F.sqrt(F.lit(16)))"),
    c("fn_concat", "spark.createDataFrame([('a', 'b')], 'x string, y string').select(F.concat('x', 'y'), F.concat_ws('-', 'x', 'y'))"),
    c("fn_coalesce", "spark.createDataFrame([(None, 2)], 'x int, y int').select(F.coalesce('x', 'y'))"),
    c("fn_when", "spark.range(4).select(F.when(F.col('id') > 1, 'big').otherwise('small'))", True),
    c("fn_isnull", "spark.createDataFrame([(None,), (1,)], 'x int').select(F.col('x').isNull(), F.col('x').isNotNull())", True),
    c("fn_cast", "spark.range(3).select(F.col('id').cast('string'), F.col('id').cast('double'), F.col('id').cast('int'))", True),
    c("fn_isin", "spark.range(5).select(F.col('id').isin(1, 3))", True),
    c("fn_between", "spark.range(5).select(F.col('id').between(1, 3))", True),
    c("fn_like", "spark.createDataFrame([('apple',), ('banana',)], 's string').select(F.col('s').like('a%'))", True),
    # SQL
    c("sql_literal", "spark.sql('SELECT 1')"),
    c("sql_select_alias", "spark.sql(\"SELECT 1 AS a, 'x' AS b, 2.5 AS c, true AS d, NULL AS e\")"),
    c("sql_arith_names", "spark.sql('SELECT 1 + 2, 3 * 4, 7 / 2, 7 % 3, -5')"),
    c("sql_range", "spark.sql('SELECT id, id * 2 AS d FROM range(4)')", True),
    c("sql_where_order", "spark.sql('SELECT id FROM range(10) WHERE id > 4 ORDER BY id DESC LIMIT 3')", True),
    c("sql_group_by", "spark.sql('SELECT id % 2 AS k, count(*), sum(id) FROM range(10) GROUP BY id % 2')"),
    c("sql_having", "spark.sql('SELECT id % 3 AS k, count(*) AS c FROM range(10) GROUP BY 1 HAVING count(*) > 3')"),
    c("sql_case_when", "spark.sql(\"SELECT CASE WHEN id > 1 THEN 'hi' ELSE 'lo' END FROM range(3)\")", True),
    c("sql_typed_literals", "spark.sql(\"SELECT DATE '2024-01-15', 10L, 1.5D, 2Y, 3S, 1.25BD\")"),
    c("sql_cast", "spark.sql(\"SELECT CAST('42' AS INT), CAST(3.7 AS BIGINT), CAST(1 AS STRING)\")"),
    c("sql_string_fns", "spark.sql(\"SELECT upper('abc'), lower('ABC'), length('hello'), concat('a', 'b')\")"),
    c("sql_values", "spark.sql(\"SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(x, y)\")"),
    c("sql_subquery", "spark.sql('SELECT x FROM (SELECT id AS x FROM range(3)) t WHERE x > 0')", True),
    c("sql_cte", "spark.sql('WITH t AS (SELECT id FROM range(3)) SELECT count(*) FROM t')"),
    c("sql_distinct", "spark.sql('SELECT DISTINCT id % 2 FROM range(10)')"),
    c("sql_union", "spark.sql('SELECT 1 AS a UNION ALL SELECT 2')"),
    c("sql_null_ordering", "spark.sql('SELECT x FROM VALUES (1), (NULL), (2) AS t(x) ORDER BY x')", True),
    c("sql_params_named", "spark.sql('SELECT :a + 1 AS r', args={'a': 41})"),
    # Show
    c("show_range", "show: spark.range(3)"),
    c("show_truncate", "show: spark.createDataFrame([('a' * 30, None)], 'long_text string, n int')"),
    c("show_more_rows", "show: spark.range(25)"),
    c("show_strings", "show: spark.createDataFrame([('x', 1.5, True), ('yy', None, False)], 'a string, b double, c boolean')"),
    c("show_vertical", "show_vertical: spark.range(2).withColumn('s', F.lit('v'))"),
    c("show_dates", "show: spark.sql(\"SELECT DATE '2024-01-02' AS d, CAST('2024-01-02 03:04:05.5' AS TIMESTAMP) AS t\")"),
    c("show_array", "show: spark.createDataFrame([([1, 2], {'a': 1})], 'a array<int>, m map<string,int>')"),
    # Errors
    c("error_unresolved_column", "spark.range(1).select('boom')"),
    c("error_sql_unresolved_column", "spark.sql('SELECT boom FROM range(1)')"),
    c("error_parse", "spark.sql('selec 1')"),
    c("error_table_not_found", "spark.table('no_such_table')"),
    c("error_divide_by_zero", "spark.sql('SELECT 1 / 0')"),
    c("error_cast_invalid", "spark.sql(\"SELECT CAST('abc' AS INT)\")"),
    c("error_unknown_function", "spark.sql('SELECT no_such_fn(1)')"),
    c("error_missing_aggregation", "spark.sql('SELECT id, count(*) FROM range(3) GROUP BY id % 2')"),
]

# spark.read: csv, json, text and parquet with Spark's options and inference,
# directories, globs and partition discovery. DATA is tests/data.
READ = [
    c("csv_header_infer", "spark.read.option('header', True).option('inferSchema', True).csv(DATA + '/csv/people.csv')"),
    c("csv_header_strings", "spark.read.option('header', True).csv(DATA + '/csv/people.csv')"),
    c("csv_no_header", "spark.read.csv(DATA + '/csv/mixed.csv')"),
    c("csv_infer_mixed", "spark.read.csv(DATA + '/csv/mixed.csv', inferSchema=True)"),
    c("csv_sep", "spark.read.csv(DATA + '/csv/semicolon.csv', sep=';', header=True, inferSchema=True)"),
    c("csv_schema_ddl", "spark.read.schema('name STRING, age INT').option('header', True).csv(DATA + '/csv/people.csv')"),
    c("csv_null_value", "spark.read.csv(DATA + '/csv/people.csv', header=True, nullValue='Bob')"),
    c("csv_format_load", "spark.read.format('csv').option('header', 'true').load(DATA + '/csv/people.csv').select('name')"),
    c("json_infer", "spark.read.json(DATA + '/json/people.json')"),
    c("json_nested_field", "spark.read.json(DATA + '/json/people.json').select('name', 'address.city')"),
    c("json_multiline_array", "spark.read.option('multiLine', True).json(DATA + '/json/array.json')"),
    c("text_lines", "spark.read.text(DATA + '/text/lines.txt')", True),
    c("partition_discovery", "spark.read.csv(DATA + '/parts', header=True, inferSchema=True)"),
    c("glob", "spark.read.csv(DATA + '/parts/year=*/month=*/*.csv', header=True, inferSchema=True)"),
    c("missing_path", "spark.read.csv(DATA + '/no/such/dir')"),
    c("read_then_filter", "spark.read.json(DATA + '/json/people.json').filter(F.col('age') > 30).select('name')"),
]

# Function edge cases beyond Spark's documented examples: NULLs, overflow,
# ANSI errors, rounding, patterns, lambdas over columns, generators.
def q(name, sql, ordered=False):
    return c(name, f"spark.sql({sql!r})", ordered)


FUNCTION_EDGES = [
    q("hash_types", "SELECT hash(1L), hash(1.5D), hash('a', NULL), hash(CAST(1.25 AS DECIMAL(5,2))), hash(array(1, NULL)), hash(NULL)"),
    q("round_doubles", "SELECT round(2.675D, 2), bround(2.5D), round(-2.5D), bround(25, -1), round(1.5, 0), ceil(-1.5D), floor(2.5BD)"),
    q("int_overflow_ansi", "SELECT 2147483647 + 1"),
    q("int_overflow_try", "SELECT try_add(2147483647, 1), try_multiply(9223372036854775807L, 2L), try_divide(1, 0), try_mod(5, 0)"),
    q("divide_by_zero_ansi", "SELECT 1 / 0"),
    q("mod_by_zero_ansi", "SELECT 5 % 0"),
    q("date_patterns", "SELECT date_format(TIMESTAMP '2024-03-05 07:08:09.123', 'yyyy-MM-dd HH:mm:ss.SSS EEE MMM d'), to_date('05/03/2024', 'dd/MM/yyyy'), to_timestamp('2024-03-05 07:08', 'yyyy-MM-dd HH:mm')"),
    q("bad_timestamp_ansi", "SELECT to_timestamp('not a time', 'yyyy-MM-dd')"),
    q("bad_timestamp_try", "SELECT try_to_timestamp('not a time', 'yyyy-MM-dd')"),
    q("date_parts_null", "SELECT year(NULL), month(CAST(NULL AS DATE)), dayofweek('2024-03-05'), weekofyear(DATE '2021-01-01')"),
    q("transform_outer_column", "SELECT id, transform(array(1, 2), x -> x * id) FROM range(3)", True),
    q("filter_index", "SELECT filter(array(5, 6, 7, 8), (x, i) -> i % 2 = 0), exists(array(), x -> x > 0), forall(CAST(NULL AS ARRAY<INT>), x -> x > 0)"),
    q("aggregate_finish", "SELECT aggregate(array(1, 2, 3, 4), 0L, (acc, x) -> acc + x, acc -> acc * 2)"),
    q("explode_outer_empty", "SELECT id, explode_outer(CASE WHEN id = 0 THEN array() WHEN id = 1 THEN NULL ELSE array(id, id) END) FROM range(3)"),
    q("posexplode_map", "SELECT posexplode(map('a', 1, 'b', 2))"),
    q("lateral_generator_alias", "SELECT x.pos, x.v FROM (SELECT posexplode(array('p', 'q')) AS (pos, v)) x"),
    q("json_edges", "SELECT get_json_object('{\"a\":{\"b\":[1,2]}}', '$.a.b[1]'), get_json_object('not json', '$.a'), json_array_length('{}'), to_json(named_struct('a', NULL, 'b', 'x'))"),
    q("from_json_invalid", "SELECT from_json('{bad', 'a INT')"),
    q("to_number_mismatch", "SELECT to_number('12x', '999')"),
    q("string_edges", "SELECT split('', ','), split('a,b,,', ',', 0), regexp_extract('abc', '(x)?', 1), instr('', ''), locate('a', 'banana', 3), lpad('abc', 2), rpad('', 3, 'xy')"),
    q("format_number_edges", "SELECT format_number(-1234567.891, 2), format_number(0.5D, 0), format_number(1e10, 0)"),
]

GROUPS = {"foundation": FOUNDATION, "read": READ, "function_edges": FUNCTION_EDGES}
