"""Differential cases: the `tables` group (databases, persistent tables,
INSERT, the writer's table calls and spark.catalog over them). Every case
drops what it created, so the cases run in any order on one server."""

from . import c


def t(name, tables, *statements, ordered=False):
    """A case that runs SQL statements and reads the last one, then drops `tables`."""
    drops = ", ".join(repr(x) for x in tables)
    body = ", ".join(repr(s) for s in statements)
    return c(name, f"(drop_after({drops}), script({body}))[1]", ordered)


def p(name, tables, code):
    """A case with Python code (the writer API, spark.catalog), then drops `tables`."""
    drops = ", ".join(repr(x) for x in tables)
    return c(name, f"(drop_after({drops}), {code})[1]")


TABLES = [
    # Databases.
    t("db_create_show", ["db:tdb1"], "CREATE DATABASE tdb1", "SHOW DATABASES LIKE 'tdb*'"),
    t("db_create_twice", ["db:tdb2"], "CREATE DATABASE tdb2", "CREATE DATABASE tdb2"),
    t("db_if_not_exists", ["db:tdb3"], "CREATE DATABASE tdb3", "CREATE DATABASE IF NOT EXISTS tdb3 COMMENT 'x'", "SHOW DATABASES LIKE 'tdb3'"),
    p("db_describe", ["db:tdb4"], "(spark.sql(\"CREATE SCHEMA tdb4 COMMENT 'sales data'\"), spark.sql('DESCRIBE DATABASE tdb4').filter(\"info_name NOT IN ('Location', 'Owner')\"))[1]"),
    t("db_drop_missing", [], "DROP DATABASE no_such_db"),
    t("db_drop_if_exists", [], "DROP DATABASE IF EXISTS no_such_db", "SHOW DATABASES LIKE 'no_such*'"),
    t("db_drop_default", [], "DROP DATABASE default"),
    t("db_create_default", [], "CREATE DATABASE default"),
    t("db_not_empty", ["db:tdb5"], "CREATE DATABASE tdb5", "CREATE TABLE tdb5.t (a INT) USING parquet", "DROP DATABASE tdb5"),
    t("db_cascade", ["db:tdb6"], "CREATE DATABASE tdb6", "CREATE TABLE tdb6.t (a INT) USING parquet", "DROP DATABASE tdb6 CASCADE", "SHOW DATABASES LIKE 'tdb6'"),
    t("db_use", ["db:tdb7"], "CREATE DATABASE tdb7", "USE tdb7", "CREATE TABLE t7 (a INT) USING parquet", "INSERT INTO t7 VALUES (7)", "SELECT current_database(), * FROM t7"),
    t("db_use_missing", [], "USE no_such_db"),
    t("db_table_in_missing", [], "CREATE TABLE no_such_db.t (a INT) USING parquet"),
    # CREATE TABLE and reads.
    t("create_insert_select", ["tt1"], "CREATE TABLE tt1 (a INT, b STRING) USING parquet", "INSERT INTO tt1 VALUES (1, 'x'), (2, NULL)", "SELECT * FROM tt1"),
    t("create_empty_read", ["tt2"], "CREATE TABLE tt2 (a INT, b STRING, c DOUBLE) USING parquet", "SELECT * FROM tt2"),
    t("create_twice", ["tt3"], "CREATE TABLE tt3 (a INT) USING parquet", "CREATE TABLE tt3 (b INT) USING parquet"),
    t("create_if_not_exists", ["tt4"], "CREATE TABLE tt4 (a INT) USING parquet", "CREATE TABLE IF NOT EXISTS tt4 (b INT) USING parquet", "DESCRIBE TABLE tt4"),
    t("create_not_null_reads_nullable", ["tt5"], "CREATE TABLE tt5 (a INT NOT NULL, b STRING) USING json", "INSERT INTO tt5 VALUES (1, 'x')", "SELECT * FROM tt5"),
    t("create_all_types", ["tt6"], "CREATE TABLE tt6 (i INT, l BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, b BOOLEAN, dt DATE, ts TIMESTAMP, bin BINARY, arr ARRAY<INT>, m MAP<STRING,INT>, st STRUCT<x: INT, y: STRING>) USING parquet",
      "INSERT INTO tt6 VALUES (1, 2, 1.5, 3.25, 's', true, DATE'2024-01-02', TIMESTAMP'2024-01-02 03:04:05', X'AB', array(1, 2), map('k', 1), named_struct('x', 1, 'y', 'z'))", "SELECT * FROM tt6"),
    t("create_csv_table", ["tt7"], "CREATE TABLE tt7 (a INT, b STRING, d DATE) USING csv", "INSERT INTO tt7 VALUES (1, 'a,b', DATE'2024-03-04'), (NULL, NULL, NULL)", "SELECT * FROM tt7"),
    t("create_json_table", ["tt8"], "CREATE TABLE tt8 (a INT, s STRUCT<x: INT>) USING json", "INSERT INTO tt8 VALUES (1, named_struct('x', 2))", "SELECT * FROM tt8"),
    t("create_unknown_provider", ["tt9"], "CREATE TABLE tt9 (a INT) USING nosuchformat"),
    t("create_partitioned", ["tp1"], "CREATE TABLE tp1 (a INT, p STRING, b STRING) USING parquet PARTITIONED BY (p)", "INSERT INTO tp1 VALUES (1, 'x', 'b1'), (2, NULL, 'b2')", "SELECT * FROM tp1"),
    t("partitioned_describe", ["tp2"], "CREATE TABLE tp2 (a INT, p STRING, q INT) USING parquet PARTITIONED BY (p, q)", "DESCRIBE TABLE tp2"),
    t("partitioned_show_partitions", ["tp3"], "CREATE TABLE tp3 (a INT, p STRING, q INT) USING parquet PARTITIONED BY (p, q)", "INSERT INTO tp3 VALUES (1, 'x', 1), (2, NULL, 2), (3, 'x', 1)", "SHOW PARTITIONS tp3"),
    t("show_partitions_unpartitioned", ["tp4"], "CREATE TABLE tp4 (a INT) USING parquet", "SHOW PARTITIONS tp4"),
    t("partition_column_missing", ["tp5"], "CREATE TABLE tp5 (a INT) USING parquet PARTITIONED BY (zz)"),
    t("ctas", ["tc1"], "CREATE TABLE tc1 USING json AS SELECT 1 AS a, 'x' AS b", "SELECT * FROM tc1"),
    t("ctas_partitioned", ["tc2"], "CREATE TABLE tc2 USING parquet PARTITIONED BY (p) AS SELECT id AS a, CAST(id % 2 AS STRING) AS p FROM range(5)", "SELECT * FROM tc2"),
    t("ctas_exists", ["tc3"], "CREATE TABLE tc3 USING parquet AS SELECT 1 AS a", "CREATE TABLE tc3 USING parquet AS SELECT 2 AS a"),
    t("ctas_if_not_exists_keeps", ["tc4"], "CREATE TABLE tc4 USING parquet AS SELECT 1 AS a", "CREATE TABLE IF NOT EXISTS tc4 USING parquet AS SELECT 2 AS a", "SELECT * FROM tc4"),
    t("ctas_with_schema", ["tc5"], "CREATE TABLE tc5 (a INT) USING parquet AS SELECT 1 AS a"),
    t("create_like", ["tl1", "tl2"], "CREATE TABLE tl1 (a INT, p STRING) USING json PARTITIONED BY (p)", "CREATE TABLE tl2 LIKE tl1", "DESCRIBE TABLE tl2"),
    t("replace_table_refused", ["tr1"], "CREATE OR REPLACE TABLE tr1 USING parquet AS SELECT 1 AS a"),
    t("replace_missing_refused", [], "REPLACE TABLE tr2 (a INT) USING parquet"),
    t("qualified_names", ["tq1"], "CREATE TABLE tq1 (a INT) USING parquet", "INSERT INTO default.tq1 VALUES (1)", "SELECT tq1.a, default.tq1.a, spark_catalog.default.tq1.a FROM spark_catalog.default.tq1"),
    t("too_many_name_parts", [], "CREATE TABLE a.b.c.d (a INT) USING parquet"),
    t("temp_view_shadows_table", ["ts1", "ts1"], "CREATE TABLE ts1 (a INT) USING parquet", "INSERT INTO ts1 VALUES (1)", "CREATE OR REPLACE TEMP VIEW ts1 AS SELECT 99 AS a", "SELECT * FROM ts1"),
    t("drop_table_drops_temp_view_first", ["ts2"], "CREATE TABLE ts2 (a INT) USING parquet", "INSERT INTO ts2 VALUES (1)", "CREATE OR REPLACE TEMP VIEW ts2 AS SELECT 99 AS a", "DROP TABLE ts2", "SELECT * FROM ts2"),
    # INSERT.
    t("insert_select", ["ti1"], "CREATE TABLE ti1 (a BIGINT, b STRING) USING parquet", "INSERT INTO ti1 SELECT id, CAST(id AS STRING) FROM range(3)", "INSERT INTO TABLE ti1 SELECT 10, 'ten'", "SELECT * FROM ti1"),
    t("insert_widening", ["ti2"], "CREATE TABLE ti2 (a INT, b STRING, c DOUBLE) USING parquet", "INSERT INTO ti2 SELECT 3L, 4, 5", "SELECT * FROM ti2"),
    t("insert_unsafe_cast", ["ti3"], "CREATE TABLE ti3 (a INT, b STRING) USING parquet", "INSERT INTO ti3 SELECT 'a', 'b'"),
    t("insert_overflow", ["ti4"], "CREATE TABLE ti4 (a INT) USING parquet", "INSERT INTO ti4 SELECT 3000000000L"),
    t("insert_not_enough", ["ti5"], "CREATE TABLE ti5 (a INT, b STRING) USING parquet", "INSERT INTO ti5 VALUES (1)"),
    t("insert_too_many", ["ti6"], "CREATE TABLE ti6 (a INT, b STRING) USING parquet", "INSERT INTO ti6 VALUES (1, 'x', 3)"),
    t("insert_column_list", ["ti7"], "CREATE TABLE ti7 (a INT, b STRING) USING parquet", "INSERT INTO ti7 (b, a) VALUES ('x', 1)", "SELECT * FROM ti7"),
    t("insert_unknown_column", ["ti8"], "CREATE TABLE ti8 (a INT, b STRING) USING parquet", "INSERT INTO ti8 (a, zz) VALUES (1, 2)"),
    t("insert_by_name", ["ti9"], "CREATE TABLE ti9 (a INT, b STRING) USING parquet", "INSERT INTO ti9 BY NAME SELECT 'x' AS b, 1 AS a", "SELECT * FROM ti9"),
    t("insert_overwrite", ["ti10"], "CREATE TABLE ti10 (a INT) USING parquet", "INSERT INTO ti10 VALUES (1), (2)", "INSERT OVERWRITE ti10 VALUES (3)", "SELECT * FROM ti10"),
    t("insert_missing_table", [], "INSERT INTO no_such_table VALUES (1)"),
    t("insert_into_temp_view", ["tiv"], "CREATE OR REPLACE TEMP VIEW tiv AS SELECT 1 AS a", "INSERT INTO tiv VALUES (1)"),
    t("insert_static_partition", ["tip1"], "CREATE TABLE tip1 (a INT, p STRING) USING parquet PARTITIONED BY (p)", "INSERT INTO tip1 PARTITION (p = 'x') VALUES (1)", "INSERT INTO tip1 PARTITION (p = 'y') SELECT 2", "SELECT * FROM tip1"),
    t("insert_dynamic_partition", ["tip2"], "CREATE TABLE tip2 (a INT, p STRING) USING parquet PARTITIONED BY (p)", "INSERT INTO tip2 PARTITION (p) VALUES (1, 'x'), (2, 'y')", "SELECT * FROM tip2"),
    t("insert_overwrite_static_partition", ["tip3"], "CREATE TABLE tip3 (a INT, p STRING) USING parquet PARTITIONED BY (p)", "INSERT INTO tip3 VALUES (1, 'x'), (2, 'y')", "INSERT OVERWRITE tip3 PARTITION (p = 'x') VALUES (9)", "SELECT * FROM tip3"),
    t("insert_overwrite_all_partitions", ["tip4"], "CREATE TABLE tip4 (a INT, p STRING) USING parquet PARTITIONED BY (p)", "INSERT INTO tip4 VALUES (1, 'x'), (2, 'y')", "INSERT OVERWRITE tip4 VALUES (9, 'x')", "SELECT * FROM tip4"),
    t("insert_overwrite_dynamic_mode", ["tip5"], "CREATE TABLE tip5 (a INT, p STRING) USING parquet PARTITIONED BY (p)", "INSERT INTO tip5 VALUES (1, 'x'), (2, 'y')", "SET spark.sql.sources.partitionOverwriteMode=dynamic", "INSERT OVERWRITE tip5 VALUES (9, 'x')", "SELECT * FROM tip5"),
    t("insert_unknown_partition", ["tip6"], "CREATE TABLE tip6 (a INT, b STRING) USING parquet", "INSERT INTO tip6 PARTITION (a = 1) VALUES ('x')"),
    t("truncate", ["tt10"], "CREATE TABLE tt10 (a INT) USING parquet", "INSERT INTO tt10 VALUES (1)", "TRUNCATE TABLE tt10", "SELECT * FROM tt10"),
    t("truncate_missing", [], "TRUNCATE TABLE no_such_table"),
    t("truncate_view", ["ttv"], "CREATE OR REPLACE TEMP VIEW ttv AS SELECT 1 AS a", "TRUNCATE TABLE ttv"),
    t("delete_refused", ["td1"], "CREATE TABLE td1 (a INT) USING parquet", "DELETE FROM td1 WHERE a = 1"),
    t("update_refused", ["td2"], "CREATE TABLE td2 (a INT) USING parquet", "UPDATE td2 SET a = 1"),
    t("merge_refused", ["td3"], "CREATE TABLE td3 (a INT) USING parquet", "MERGE INTO td3 USING td3 s ON td3.a = s.a WHEN MATCHED THEN DELETE"),
    t("delete_missing", [], "DELETE FROM no_such_table WHERE a = 1"),
    # DROP and SHOW.
    t("drop_missing", [], "DROP TABLE no_such_table"),
    t("drop_if_exists", [], "DROP TABLE IF EXISTS no_such_table", "SHOW TABLES LIKE 'no_such*'"),
    t("drop_then_read", ["tdr"], "CREATE TABLE tdr (a INT) USING parquet", "DROP TABLE tdr", "SELECT * FROM tdr"),
    t("drop_recreate_empty", ["tdr2"], "CREATE TABLE tdr2 (a INT) USING parquet", "INSERT INTO tdr2 VALUES (1)", "DROP TABLE tdr2", "CREATE TABLE tdr2 (a INT) USING parquet", "SELECT * FROM tdr2"),
    t("show_tables", ["tsh1", "tsh2"], "CREATE TABLE tsh1 (a INT) USING parquet", "CREATE TABLE tsh2 (a INT) USING parquet", "SHOW TABLES LIKE 'tsh*'"),
    t("cast_overflow", [], "SELECT CAST(3000000000L AS INT)"),
    t("cast_overflow_double", [], "SELECT CAST(1e10D AS INT)"),
    t("cast_overflow_smallint", [], "SELECT CAST(40000 AS SMALLINT)"),
    t("cast_narrowing_fits", [], "SELECT CAST(300L AS SMALLINT), CAST(-2.9D AS INT), CAST(12.5BD AS TINYINT), TRY_CAST(3000000000L AS INT)"),
    p("show_tables_in_db", ["db:tdb8"], "(spark.sql('CREATE DATABASE tdb8'), spark.sql('CREATE TABLE tdb8.x (a INT) USING parquet'), spark.sql('SHOW TABLES IN tdb8').filter('NOT isTemporary'))[2]"),
    t("show_columns", ["tsc"], "CREATE TABLE tsc (a INT, b STRING) USING parquet", "SHOW COLUMNS IN tsc"),
    # The writer API.
    p("save_as_table", ["tw1"], "(people.write.saveAsTable('tw1'), spark.table('tw1'))[1]"),
    p("save_as_table_exists", ["tw2"], "(people.write.saveAsTable('tw2'), people.write.saveAsTable('tw2'))[1]"),
    p("save_as_table_append", ["tw3"], "(people.write.saveAsTable('tw3'), people.limit(2).write.mode('append').saveAsTable('tw3'), spark.table('tw3'))[2]"),
    p("save_as_table_overwrite", ["tw4"], "(people.write.saveAsTable('tw4'), emp.write.mode('overwrite').saveAsTable('tw4'), spark.table('tw4'))[2]"),
    p("save_as_table_ignore", ["tw5"], "(people.limit(1).write.saveAsTable('tw5'), people.write.mode('ignore').saveAsTable('tw5'), spark.table('tw5'))[2]"),
    p("save_as_table_partitioned", ["tw6"], "(people.write.partitionBy('dept').format('json').saveAsTable('tw6'), spark.table('tw6'))[1]"),
    p("save_as_table_partitions_listed", ["tw7"], "(sales.write.partitionBy('year').saveAsTable('tw7'), spark.sql('SHOW PARTITIONS tw7'))[1]"),
    p("insert_into_by_position", ["tw8"], "(people.write.saveAsTable('tw8'), people.select('name', 'age', 'dept', 'salary').limit(1).write.insertInto('tw8'), spark.table('tw8'))[2]"),
    p("insert_into_overwrite", ["tw9"], "(people.write.saveAsTable('tw9'), people.limit(1).write.insertInto('tw9', overwrite=True), spark.table('tw9'))[1 + 1]"),
    p("insert_into_missing", [], "spark.range(3).write.insertInto('no_such_table')"),
    p("insert_into_unsafe", ["tw10"], "(spark.range(3).write.saveAsTable('tw10'), spark.range(3).selectExpr(\"'a' AS x\").write.insertInto('tw10'))[1]"),
    p("save_as_table_in_db", ["db:tdb9"], "(spark.sql('CREATE DATABASE tdb9'), emp.write.saveAsTable('tdb9.e'), spark.table('tdb9.e'))[2]"),
    p("save_as_table_then_sql", ["tw11"], "(sales.write.saveAsTable('tw11'), spark.sql('SELECT year, sum(amount) AS total FROM tw11 GROUP BY year ORDER BY year'))[1]"),
    # spark.catalog over persistent tables.
    p("catalog_list_tables", ["tcl1"], "(spark.sql('CREATE TABLE tcl1 (a INT) USING parquet COMMENT \"hello\"'), spark.createDataFrame([(t.name, t.catalog, t.namespace, t.description, t.tableType, t.isTemporary) for t in spark.catalog.listTables() if t.name == 'tcl1'], 'name string, catalog string, ns array<string>, description string, type string, temp boolean'))[1]"),
    p("catalog_get_table", ["tcl2"], "(spark.sql('CREATE TABLE tcl2 (a INT) USING parquet'), (lambda t: spark.createDataFrame([(t.name, t.catalog, t.namespace, t.tableType, t.isTemporary)], 'name string, catalog string, ns array<string>, type string, temp boolean'))(spark.catalog.getTable('tcl2')))[1]"),
    p("catalog_table_exists", ["tcl3"], "(spark.sql('CREATE TABLE tcl3 (a INT) USING parquet'), spark.createDataFrame([(spark.catalog.tableExists('tcl3'), spark.catalog.tableExists('default.tcl3'), spark.catalog.tableExists('tcl3', 'default'), spark.catalog.tableExists('nope'))], 'a boolean, b boolean, c boolean, d boolean'))[1]"),
    p("catalog_list_columns", ["tcl4"], "(spark.sql('CREATE TABLE tcl4 (a INT, b STRING, p INT) USING parquet PARTITIONED BY (p)'), spark.createDataFrame([(x.name, x.dataType, x.nullable, x.isPartition, x.isBucket) for x in spark.catalog.listColumns('tcl4')], 'name string, type string, nullable boolean, part boolean, bucket boolean'))[1]"),
    p("catalog_databases", ["db:tdb10"], "(spark.sql('CREATE DATABASE tdb10'), spark.createDataFrame([(d.name, d.catalog) for d in spark.catalog.listDatabases() if d.name in ('default', 'tdb10')], 'name string, catalog string'))[1]"),
    p("catalog_database_exists", ["db:tdb11"], "(spark.sql('CREATE DATABASE tdb11'), spark.createDataFrame([(spark.catalog.databaseExists('tdb11'), spark.catalog.databaseExists('nope'))], 'a boolean, b boolean'))[1]"),
    p("catalog_set_current_database", ["db:tdb12"], "(spark.sql('CREATE DATABASE tdb12'), spark.catalog.setCurrentDatabase('tdb12'), spark.createDataFrame([(spark.catalog.currentDatabase(),)], 'db string'))[2]"),
    p("catalog_set_missing_database", [], "spark.catalog.setCurrentDatabase('no_such_db')"),
    p("catalog_get_database", ["db:tdb13"], "(spark.sql(\"CREATE DATABASE tdb13 COMMENT 'c'\"), (lambda d: spark.createDataFrame([(d.name, d.catalog, d.description)], 'name string, catalog string, description string'))(spark.catalog.getDatabase('tdb13')))[1]"),
    p("catalog_list_tables_in_db", ["db:tdb14"], "(spark.sql('CREATE DATABASE tdb14'), spark.sql('CREATE TABLE tdb14.q (a INT) USING parquet'), spark.createDataFrame([(t.name, t.namespace, t.tableType) for t in spark.catalog.listTables('tdb14') if not t.isTemporary], 'name string, ns array<string>, type string'))[2]"),
    p("catalog_external_table", ["tcl5"], "(lambda d: (spark.sql(f\"CREATE TABLE tcl5 (a INT) USING parquet LOCATION '{d}'\"), spark.catalog.getTable('tcl5').tableType))(__import__('tempfile').mkdtemp())[1]"),
    # DataFrameWriterV2 on file tables: create works, the rest fails as in Spark.
    p("write_to_create", ["tv1"], "(emp.writeTo('tv1').using('parquet').create(), spark.table('tv1'))[1]"),
    p("write_to_create_exists", ["tv2"], "(emp.writeTo('tv2').create(), emp.writeTo('tv2').create())[1]"),
    p("write_to_append_v1", ["tv3"], "(emp.writeTo('tv3').create(), emp.writeTo('tv3').append())[1]"),
    p("write_to_overwrite_partitions_v1", ["tv4"], "(emp.writeTo('tv4').create(), emp.writeTo('tv4').overwritePartitions())[1]"),
    p("write_to_replace", ["tv5"], "(emp.writeTo('tv5').create(), emp.writeTo('tv5').using('parquet').replace())[1]"),
    p("write_to_create_or_replace", ["tv6"], "emp.writeTo('tv6').using('parquet').createOrReplace()"),
    p("write_to_partitioned", ["tv7"], "(sales.writeTo('tv7').using('json').partitionedBy('year').tableProperty('k', 'v').create(), spark.sql('SHOW PARTITIONS tv7'))[1]"),
    p("write_to_missing", [], "emp.writeTo('no_such_table').append()"),
    # spark.catalog.createTable / createExternalTable and friends.
    p("catalog_create_table", ["tct1"], "(spark.catalog.createTable('tct1', schema=emp.schema, source='parquet').collect(), spark.table('tct1'))[1]"),
    p("catalog_create_table_rows", ["tct2"], "spark.catalog.createTable('tct2', schema=emp.schema, source='json')"),
    p("catalog_create_external", ["tct3"], "(lambda d: (emp.write.mode('overwrite').parquet(d), spark.catalog.createTable('tct3', path=d), spark.createDataFrame([(spark.catalog.getTable('tct3').tableType,)], 't string'), spark.table('tct3'))[3])(__import__('tempfile').mkdtemp() + '/data')"),
    p("catalog_create_no_schema", [], "spark.catalog.createTable('tct4', source='parquet')"),
    p("catalog_drop_table", ["tct5"], "(spark.sql('CREATE TABLE tct5 (a INT) USING parquet'), spark.catalog.dropTable('tct5') if hasattr(spark.catalog, 'dropTable') else spark.sql('DROP TABLE tct5'), spark.createDataFrame([(spark.catalog.tableExists('tct5'),)], 'e boolean'))[2]"),
]
