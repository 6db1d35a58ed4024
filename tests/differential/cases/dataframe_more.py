"""Differential cases: the `dataframe_more` group."""

from . import c

LEFT_ASOF = "spark.createDataFrame([(1, 1, 'a'), (1, 5, 'b'), (1, 10, 'c'), (2, 3, 'd')], 'k int, t int, l string')"
RIGHT_ASOF = "spark.createDataFrame([(1, 2, 'x'), (1, 6, 'y'), (1, 10, 'z'), (3, 1, 'w')], 'k int, t int, r string')"


def as_of(name, args):
    return c(name, f"{LEFT_ASOF}._joinAsOf({RIGHT_ASOF}, leftAsOfColumn='t', rightAsOfColumn='t', {args}).orderBy('l')", True)


DATAFRAME_MORE = [
    # Window's static frame builders, repartitionById
    c("window_rows_between_static", "emp.select('id', F.sum('id').over(W.rowsBetween(-1, 1).orderBy('id')).alias('s'))"),
    c("window_range_between_static", "emp.select('id', F.sum('id').over(W.rangeBetween(-10, 0).orderBy('dept_id')).alias('s'))"),
    c("repartition_by_id", "emp.repartitionById(2, 'id')"),
    # df["col"] of a DataFrame on both sides of a join
    c("join_self_filter_col_ambiguous", "emp.join(emp.filter('id > 1'), 'id').select(emp.name)"),
    c("join_derived_condition_col", "emp.join(emp.withColumn('id2', emp.id * 10), emp.id == F.col('id2')).select('id2')"),
    c("join_derived_dropped_col", "emp.join(emp.withColumn('id2', emp.id * 10).select('id', 'id2'), 'id').select(emp.name, 'id2')"),
    c("join_derived_new_col", "(lambda d: emp.join(d, 'id').select(d.id2))(emp.withColumn('id2', emp.id * 10))"),
    as_of("as_of_backward_using", "on='k'"),
    as_of("as_of_forward_left", "on='k', how='left', direction='forward'"),
    as_of("as_of_nearest", "on='k', direction='nearest'"),
    as_of("as_of_no_exact_matches", "on='k', allowExactMatches=False"),
    as_of("as_of_tolerance", "on='k', how='left', tolerance=F.lit(1)"),
    c("as_of_bad_direction", f"{LEFT_ASOF}._joinAsOf({RIGHT_ASOF}, leftAsOfColumn='t', rightAsOfColumn='t', direction='sideways')"),
    c("lateral_join_condition", "emp.lateralJoin(dept.where(F.col('dept_id') == F.col('dept_id').outer()).select('dept_name'), how='left').orderBy('id')", True),
    c("zip_with_index", "people.orderBy('name').zipWithIndex().select('name', 'index')"),
    c("zip_with_index_named", "spark.range(3).zipWithIndex('n')"),
    c("drop_duplicates_alias", "people.drop_duplicates(['dept']).select('dept').orderBy('dept')", True),
    c("groupby_alias", "people.groupby('dept').count().orderBy('dept')", True),
    c("grouped_avg_min", "people.groupBy('dept').avg('salary').join(people.groupBy('dept').min('age'), 'dept').orderBy('dept')", True),
    c("transform_method", "people.transform(lambda df, n: df.select('name').limit(n), 2).orderBy('name')"),
    c("to_json_rows", "people.select('name', 'age').toJSON().collect()"),
    c("random_split_covers_rows", "sum(d.count() for d in spark.range(100).randomSplit([0.3, 0.7], seed=7))"),
    c("register_temp_table", "(people.registerTempTable('df_more_people'), spark.table('df_more_people').orderBy('name'))[1]"),
    c("global_temp_view", "(people.createOrReplaceGlobalTempView('df_more_gv'), spark.table('global_temp.df_more_gv').orderBy('name'))[1]"),
    c("repartition_by_range", "people.repartitionByRange(2, 'age').orderBy('name')"),
    c("is_cached", "(spark.range(7).is_cached, spark.range(8).cache().is_cached)"),
    c("with_metadata", "people.withMetadata('age', {'unit': 'years'}).schema['age'].metadata"),
    c("show_returns_none", "people.show()"),
    c("column_pow_bitwise", "emp.select(F.col('id') ** 2, F.col('id').bitwiseOR(2), F.col('id').bitwiseXOR(3), F.col('id').bitwiseAND(1)).orderBy(F.col('id') ** 2)"),
    c("column_is_nan", "spark.createDataFrame([(1.0,), (float('nan'),), (None,)], 'x double').select(F.col('x').isNaN(), F.isnan('x'))"),
    c("column_transform", "emp.select(F.col('id').transform(lambda c: c * 10).alias('t')).orderBy('t')"),
    c("window_rows_between", "people.select('name', F.sum('salary').over(W.partitionBy('dept').orderBy('name').rowsBetween(W.unboundedPreceding, W.currentRow)).alias('s')).orderBy('name')"),
    c("window_range_between", "emp.select('id', F.count('*').over(W.orderBy('id').rangeBetween(-1, 1)).alias('c')).orderBy('id')"),
    c("empty_data_frame", "spark.emptyDataFrame()"),
    c("tvf_range", "spark.tvf.range(2, 5)"),
    c("tvf_explode", "spark.tvf.explode(F.array(F.lit(1), F.lit(2)))"),
    c("tags", "(spark.addTag('t1'), spark.addTag('t2'), spark.removeTag('t1'), sorted(spark.getTags()), spark.clearTags(), spark.getTags())[3:]"),
    c("interrupt_nothing", "(spark.interruptTag('no_such_tag'), spark.interruptOperation('00112233-4455-6677-8899-aabbccddeeff'))"),
    c("sample_with_replacement_bounds", "spark.range(1000).sample(withReplacement=True, fraction=0.5, seed=3).count() > 300"),
    c("sample_fraction_error", "spark.range(10).sample(fraction=-0.1)"),
    c("execution_info_flows", "(lambda d: (d.collect(), d.executionInfo.flows)[1])(spark.range(10).filter('id > 3').observe('o', F.count(F.lit(1)).alias('c')))"),
    # Nullability inside arrays, maps and structs (containsNull, valueContainsNull, field nullable).
    c("nested_nullability_constructors", "spark.range(1).select(F.array(F.lit(1), F.lit(2)).alias('a'), F.array(F.lit(1), F.lit(None)).alias('b'), F.create_map(F.lit('k'), F.lit(1)).alias('m'), F.create_map(F.lit('k'), F.lit(None).cast('int')).alias('n'), F.struct(F.lit(1).alias('x'), F.lit(None).cast('string').alias('y')).alias('s'), F.array(F.col('id')).alias('c')).schema.json()"),
    c("nested_nullability_nested", "spark.sql(\"SELECT array(array(1, 2), array(3)) a, array(struct(1 AS x, null AS y)) b, map('k', array(1, null)) m, named_struct('p', array(1)) s\").schema.json()"),
    c("nested_nullability_values", "spark.sql(\"SELECT * FROM VALUES (array(1), map('a', array(2, null))), (array(), map('b', array(3))) AS t(a, m)\").schema.json()"),
    c("nested_nullability_union", "spark.sql('SELECT array(1) a UNION ALL SELECT array(2)').unionByName(spark.sql('SELECT array(3, NULL) a')).schema.json()"),
    c("nested_nullability_through_plan", "spark.sql('SELECT a, explode(a) e FROM (SELECT array(1, 2) a, id FROM range(3)) WHERE id > 0 ORDER BY id LIMIT 5')"),
    c("nested_nullability_outer", "spark.sql(\"SELECT explode_outer(array(1, 2)) e, 1 x UNION ALL SELECT 3, 4\").select('e', F.posexplode_outer(F.array(F.lit('a'))))"),
    c("nested_nullability_inline_outer", "spark.sql(\"SELECT inline_outer(array(struct(1 AS a, 'x' AS b)))\")"),
    c("nested_nullability_explode_null_elements", "spark.sql('SELECT explode(array(1, NULL)) e')"),
    c("nested_nullability_create_data_frame", "spark.createDataFrame([([1, 2],)], 'a array<int>').select(F.explode('a'))"),
    c("nested_nullability_join", "spark.sql('SELECT array(1) a, 1 k').join(spark.sql('SELECT 1 k, map(1, 2) m'), 'k').select('a', F.explode('m'))"),
    c("nested_nullability_aggregate", "spark.sql('SELECT a, count(*) FROM (SELECT array(id) a FROM range(2)) GROUP BY a').select(F.explode('a'))"),
    # A DataFrame joined with itself: its columns are ambiguous even in the condition.
    c("self_join_same_dataframe_condition", "exec:emp = spark.createDataFrame([('a', 'x', 10), ('b', 'x', 20), ('c', 'y', 15)], 'name string, dept string, sal int')\nresult = emp.join(emp, emp.dept == emp.dept)"),
    c("self_join_filtered_right", "exec:emp = spark.createDataFrame([('a', 'x', 10), ('b', 'x', 20), ('c', 'y', 15)], 'name string, dept string, sal int')\nresult = emp.join(emp.filter('sal > 1'), emp.dept == emp.dept)"),
    c("self_join_on_name", "exec:emp = spark.createDataFrame([('a', 'x', 10), ('b', 'x', 20), ('c', 'y', 15)], 'name string, dept string, sal int')\nresult = emp.join(emp, 'dept').select('dept')"),
    c("self_join_select_above", "exec:emp = spark.createDataFrame([('a', 'x', 10), ('b', 'x', 20), ('c', 'y', 15)], 'name string, dept string, sal int')\nresult = emp.join(emp, emp.sal == emp.sal + 0).select(emp.name)"),
    # Seeded randomness over spark.range: Spark seeds each partition (seed + index) of its split.
    c("rand_over_range", "spark.range(6).select('id', F.rand(0).alias('r'), F.randn(1).alias('n'))"),
    c("rand_over_range_partitions", "spark.range(0, 9, 1, 3).select(F.rand(5).alias('r'))"),
    c("rand_sql_range", "spark.sql('SELECT id, rand(42) AS r FROM range(5)')"),
    c("sample_range_seeded", "spark.range(100).sample(withReplacement=False, fraction=0.1, seed=7)"),
    c("sample_range_partitions_seeded", "spark.range(0, 40, 1, 4).sample(fraction=0.3, seed=2)"),
    c("random_split_range", "[d.count() for d in spark.range(100).randomSplit([0.5, 0.5], seed=3)]"),
    c("sample_local_seeded", "spark.createDataFrame([(i,) for i in range(10)], 'x int').sample(fraction=0.5, seed=11)"),
    c("rand_local_one_piece", "spark.createDataFrame([(i,) for i in range(10)], 'x int').select('x', F.rand(9).alias('r'))"),
]

# Spark SQL clauses (issue 4), checked as the DataFrame cases are.
