"""Differential cases: the `writers` group (df.write to paths). Each case
writes into a fresh directory and compares the files (names with part
numbers and job ids masked), their lines and what reads back."""

from . import c

PQ = "lambda p: spark.read.parquet(p)"
TYPES = (
    "spark.sql(\"SELECT * FROM VALUES "
    "(1, 2L, 1.5D, CAST(2.25 AS FLOAT), 12.345BD, 'x', true, DATE'2024-02-29', TIMESTAMP'2024-01-02 03:04:05.678', TIMESTAMP_NTZ'2024-01-02 03:04:05', X'CAFE', CAST(7 AS SMALLINT), CAST(8 AS TINYINT)), "
    "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL) "
    "AS t(i, l, d, f, dec, s, b, dt, ts, ntz, bin, sm, ti)\")"
)
NESTED = "spark.sql(\"SELECT 1 AS id, named_struct('a', 1, 'b', 'x') AS st, array(1, NULL, 3) AS arr, map('k', 2) AS m UNION ALL SELECT 2, NULL, NULL, NULL\")"

WRITERS = [
    # CSV: values as Spark's CSV writer prints them.
    c("csv_basic", "written(lambda p: people.write.csv(p))"),
    c("csv_header", "written(lambda p: people.coalesce(1).write.option('header', True).csv(p))"),
    c("csv_sep", "written(lambda p: people.write.csv(p, sep='|'))"),
    c("csv_quotes_and_empties", "written(lambda p: spark.createDataFrame([('a,b', 'q\"t', ''), (None, ' x ', 'line\\nbreak')], 'a string, b string, c string').write.csv(p))"),
    c("csv_numbers", "written(lambda p: spark.sql(\"SELECT 1.0D AS d, CAST('NaN' AS DOUBLE) AS n, 1e20D AS big, 12.50BD AS dec, CAST(-0.0 AS DOUBLE) AS z, CAST(1.25 AS FLOAT) AS f\").write.csv(p))"),
    c("csv_dates", "written(lambda p: spark.sql(\"SELECT DATE'2024-02-29' AS d, TIMESTAMP'2024-01-02 03:04:05.678' AS ts, TIMESTAMP_NTZ'2024-01-02 03:04:05' AS ntz\").write.csv(p))"),
    c("csv_date_formats", "written(lambda p: spark.sql(\"SELECT DATE'2024-02-29' AS d, TIMESTAMP'2024-01-02 03:04:05' AS ts\").write.csv(p, dateFormat='dd/MM/yyyy', timestampFormat='yyyy-MM-dd HH:mm'))"),
    c("csv_gzip", "written(lambda p: people.write.csv(p, compression='gzip'))"),
    c("csv_zstd", "written(lambda p: people.write.option('compression', 'zstd').csv(p))"),
    c("csv_deflate", "written(lambda p: people.write.csv(p, compression='deflate'))"),
    c("csv_read_back", "written(lambda p: people.coalesce(1).write.option('header', True).csv(p), lambda p: spark.read.csv(p, header=True, inferSchema=True))"),
    c("csv_array_refused", "written(lambda p: nested.write.csv(p))"),
    c("csv_codec_unknown", "written(lambda p: people.write.csv(p, compression='foo'))"),
    # JSON: one object per line, NULL fields left out.
    c("json_basic", "written(lambda p: people.write.json(p))"),
    c("json_nested", "written(lambda p: spark.sql(\"SELECT 1 AS id, named_struct('a', 1, 'b', 'x') AS st, array(1, NULL, 3) AS arr, map('k', 2) AS m\").write.json(p))"),
    c("json_dates", "written(lambda p: spark.sql(\"SELECT DATE'2024-02-29' AS d, TIMESTAMP'2024-01-02 03:04:05.678' AS ts\").write.json(p))"),
    c("json_read_back", "written(lambda p: people.write.json(p), lambda p: spark.read.json(p))"),
    c("json_gzip", "written(lambda p: people.write.json(p, compression='gzip'))"),
    # Parquet: every type round-trips.
    c("parquet_types", f"written(lambda p: {TYPES}.write.parquet(p), {PQ})"),
    c("parquet_nested", f"written(lambda p: {NESTED}.write.parquet(p), {PQ})"),
    c("parquet_zstd", f"written(lambda p: people.write.parquet(p, compression='zstd'), {PQ})"),
    c("parquet_uncompressed", f"written(lambda p: people.write.option('compression', 'none').parquet(p), {PQ})"),
    c("parquet_gzip", f"written(lambda p: people.write.parquet(p, compression='gzip'), {PQ})"),
    c("parquet_codec_unknown", "written(lambda p: people.write.parquet(p, compression='foo'))"),
    c("parquet_default_format", f"written(lambda p: people.write.save(p), {PQ})"),
    c("parquet_session_codec", f"(spark.conf.set('spark.sql.parquet.compression.codec', 'gzip'), written(lambda p: people.write.parquet(p), {PQ}), spark.conf.unset('spark.sql.parquet.compression.codec'))[1]"),
    # ORC: every type round-trips; zstd by default, as in Spark 4.
    c("orc_types", f"written(lambda p: {TYPES}.write.orc(p), lambda p: spark.read.orc(p))"),
    c("orc_nested", f"written(lambda p: {NESTED}.write.orc(p), lambda p: spark.read.orc(p))"),
    c("orc_intervals", "written(lambda p: spark.sql(\"SELECT INTERVAL '1-2' YEAR TO MONTH AS ym, INTERVAL '1 02:03:04.5' DAY TO SECOND AS dt UNION ALL SELECT NULL, INTERVAL '-0.000001' SECOND\").write.orc(p), lambda p: spark.read.orc(p).selectExpr('CAST(ym AS STRING) AS ym', 'CAST(dt AS STRING) AS dt'))"),
    c("orc_old_dates", "written(lambda p: spark.sql(\"SELECT DATE'0001-01-01' AS d, TIMESTAMP'1000-03-01 10:00:00.5' AS ts UNION ALL SELECT DATE'1582-10-04', TIMESTAMP'1582-10-15 00:00:00' UNION ALL SELECT DATE'1582-10-15', TIMESTAMP'1969-12-31 23:59:58.5'\").write.orc(p), lambda p: spark.read.orc(p))"),
    c("orc_extremes", "written(lambda p: spark.sql(\"SELECT -9223372036854775808L AS l, 9223372036854775807L AS h, CAST(-2147483648 AS INT) AS i, CAST('NaN' AS DOUBLE) AS n, CAST('-Infinity' AS FLOAT) AS f, CAST(-99999999999999999999999999999999999.999 AS DECIMAL(38,3)) AS dec, '' AS e, repeat('ab', 5000) AS long_s, DATE'9999-12-31' AS d\").write.orc(p), lambda p: spark.read.orc(p))"),
    c("orc_snappy", "written(lambda p: people.write.orc(p, compression='snappy'), lambda p: spark.read.orc(p))"),
    c("orc_zlib", "written(lambda p: people.write.option('compression', 'zlib').orc(p), lambda p: spark.read.orc(p))"),
    c("orc_lz4", "written(lambda p: people.write.orc(p, compression='lz4'), lambda p: spark.read.orc(p))"),
    c("orc_lzo", "written(lambda p: people.write.orc(p, compression='lzo'), lambda p: spark.read.orc(p))"),
    c("orc_uncompressed", "written(lambda p: people.write.orc(p, compression='none'), lambda p: spark.read.orc(p))"),
    c("orc_codec_unknown", "written(lambda p: people.write.orc(p, compression='gzip'))"),
    c("orc_session_codec", "(spark.conf.set('spark.sql.orc.compression.codec', 'zlib'), written(lambda p: people.write.orc(p), lambda p: spark.read.orc(p)), spark.conf.unset('spark.sql.orc.compression.codec'))[1]"),
    c("orc_partitioned", "written(lambda p: sales.write.partitionBy('year', 'quarter').orc(p), lambda p: spark.read.orc(p))"),
    c("orc_empty", "written(lambda p: people.filter('age > 100').write.orc(p), lambda p: spark.read.orc(p))"),
    c("orc_void_refused", "written(lambda p: spark.sql('SELECT NULL AS v').write.orc(p))"),
    c("orc_calendar_interval_refused", "written(lambda p: spark.sql('SELECT make_interval(1, 2) AS v').write.orc(p))"),
    c("orc_read_projection", "written(lambda p: people.write.orc(p), lambda p: spark.read.orc(p).filter('age > 30').select('name'))"),
    c("orc_read_user_schema", "written(lambda p: people.write.orc(p), lambda p: spark.read.schema('NAME string, extra int, age long').orc(p))"),
    c("orc_count", "written(lambda p: spark.range(25000).write.orc(p), lambda p: spark.read.orc(p).groupBy().count())"),
    c("orc_format_save", "written(lambda p: people.write.format('orc').mode('overwrite').save(p), lambda p: spark.read.format('orc').load(p))"),
    # Text.
    c("text_basic", "written(lambda p: people.select('name').write.text(p), lambda p: spark.read.text(p))"),
    c("text_not_string", "written(lambda p: people.select('age').write.text(p))"),
    c("text_two_columns", "written(lambda p: people.select('name', 'dept').write.text(p))"),
    # Partitioned output.
    c("partition_one", f"written(lambda p: people.write.partitionBy('dept').parquet(p), {PQ})"),
    c("partition_two", "written(lambda p: sales.write.partitionBy('year', 'quarter').json(p), lambda p: spark.read.json(p))"),
    c("partition_int_nulls", "written(lambda p: people.write.partitionBy('age').csv(p))"),
    c("partition_escaped", "written(lambda p: spark.createDataFrame([(1, 'a b/c=d'), (2, 'x:y%z'), (3, '')], 'v int, p string').write.partitionBy('p').json(p), lambda p: spark.read.json(p))"),
    c("partition_date", f"written(lambda p: spark.sql(\"SELECT 1 AS v, DATE'2024-01-31' AS d UNION ALL SELECT 2, NULL\").write.partitionBy('d').parquet(p), {PQ})"),
    c("partition_case_insensitive", f"written(lambda p: people.write.partitionBy('DEPT').parquet(p), {PQ})"),
    c("partition_missing", "written(lambda p: people.write.partitionBy('nope').parquet(p))"),
    c("partition_all_columns", "written(lambda p: people.select('dept').write.partitionBy('dept').parquet(p))"),
    # Save modes.
    c("mode_error_default", "written(lambda p: (people.write.csv(p), people.write.csv(p)))"),
    c("mode_errorifexists", "written(lambda p: (people.write.csv(p), people.write.mode('errorifexists').csv(p)))"),
    c("mode_append", f"written(lambda p: (people.write.parquet(p), people.limit(2).write.mode('append').parquet(p)), {PQ})"),
    c("mode_overwrite", f"written(lambda p: (people.write.parquet(p), people.limit(2).write.mode('overwrite').parquet(p)), {PQ})"),
    c("mode_ignore", f"written(lambda p: (people.limit(1).write.parquet(p), people.write.mode('ignore').parquet(p)), {PQ})"),
    c("mode_overwrite_format_change", "written(lambda p: (people.write.parquet(p), people.write.mode('overwrite').json(p)), lambda p: spark.read.json(p))"),
    c("overwrite_static_partitions", f"written(lambda p: (people.write.partitionBy('dept').parquet(p), people.filter('dept = \"eng\"').write.mode('overwrite').partitionBy('dept').parquet(p)), {PQ})"),
    c("overwrite_dynamic_partitions", f"(spark.conf.set('spark.sql.sources.partitionOverwriteMode', 'dynamic'), written(lambda p: (people.write.partitionBy('dept').parquet(p), people.filter('dept = \"eng\"').limit(1).write.mode('overwrite').partitionBy('dept').parquet(p)), {PQ}), spark.conf.unset('spark.sql.sources.partitionOverwriteMode'))[1]"),
    c("overwrite_dynamic_option", f"written(lambda p: (people.write.partitionBy('dept').parquet(p), people.filter('dept = \"ops\"').write.mode('overwrite').option('partitionOverwriteMode', 'dynamic').partitionBy('dept').parquet(p)), {PQ})"),
    # Empty results still leave a file (none when partitioned).
    c("empty_csv", "written(lambda p: people.filter('age > 100').write.csv(p))"),
    c("empty_csv_header", "written(lambda p: people.filter('age > 100').write.csv(p, header=True))"),
    c("empty_parquet", f"written(lambda p: people.filter('age > 100').write.parquet(p), {PQ})"),
    c("empty_partitioned", "written(lambda p: people.filter('age > 100').write.partitionBy('dept').json(p))"),
    # Errors.
    c("unknown_format", "written(lambda p: people.write.format('nosuchformat').save(p))"),
    c("no_path", "people.write.format('parquet').save()"),
    c("duplicate_columns", "written(lambda p: people.select('name', 'name').write.parquet(p))"),
    c("duplicate_columns_case", "written(lambda p: people.select('name', F.col('age').alias('NAME')).write.json(p))"),
    c("interval_refused", "written(lambda p: spark.sql(\"SELECT INTERVAL '1' DAY AS i\").write.parquet(p))"),
    c("noop_format", "(people.write.format('noop').mode('overwrite').save(), spark.range(3))[1]"),
    c("write_after_filter_and_join", f"written(lambda p: emp.join(dept, 'dept_id').filter('id > 1').write.parquet(p), {PQ})"),
    c("write_range", f"written(lambda p: spark.range(0, 1000, 7).write.parquet(p), lambda p: spark.read.parquet(p).selectExpr('count(*)', 'sum(id)', 'min(id)', 'max(id)'))"),
    c("format_option_path", f"written(lambda p: people.write.format('json').option('path', p).save(), lambda p: spark.read.json(p))"),
    # CSV writer options (the same as to_csv's).
    c("csv_null_value", "written(lambda p: people.write.csv(p, nullValue='NA'))"),
    c("csv_quote_all", "written(lambda p: people.write.option('quoteAll', True).csv(p))"),
    c("csv_custom_quote", "written(lambda p: spark.createDataFrame([('a,b', \"it's\")], 'x string, y string').write.csv(p, quote=\"'\"))"),
    c("csv_empty_value", "written(lambda p: spark.createDataFrame([('', None)], 'x string, y string').write.csv(p, emptyValue='EMPTY'))"),
    c("csv_keep_whitespace", "written(lambda p: spark.createDataFrame([(' a ',)], 'x string').write.csv(p, ignoreLeadingWhiteSpace=False, ignoreTrailingWhiteSpace=False))"),
    c("csv_escape_quotes_off", "written(lambda p: spark.createDataFrame([('q\"t',)], 'x string').write.csv(p, escapeQuotes=False))"),
    c("to_csv_options", "spark.sql(\"SELECT to_csv(named_struct('a', 1, 'b', CAST(NULL AS STRING), 'c', ''), map('nullValue', 'N', 'quoteAll', 'true')) AS v\")"),
    # JSON writer options (the same as to_json's).
    c("json_keep_null_fields", "written(lambda p: people.write.json(p, ignoreNullFields=False))"),
    c("json_date_formats", "written(lambda p: spark.sql(\"SELECT DATE'2024-02-29' AS d, TIMESTAMP'2024-01-02 03:04:05' AS ts\").write.json(p, dateFormat='dd/MM/yyyy', timestampFormat='yyyy-MM-dd HH:mm'))"),
    c("to_json_options", "spark.sql(\"SELECT to_json(named_struct('a', 1, 'b', CAST(NULL AS INT), 'd', DATE'2024-01-02'), map('ignoreNullFields', 'false', 'dateFormat', 'yyyy/MM/dd')) AS v\")"),
    c("to_json_timestamp_zone", "script(\"SET TIME ZONE 'America/New_York'\", \"SELECT to_json(named_struct('t', TIMESTAMP'2024-07-01 12:00:00')) AS v\")"),
    # Compressed text files read back (the reader inflates .gz and .deflate).
    c("csv_gzip_read_back", "written(lambda p: people.coalesce(1).write.csv(p, compression='gzip', header=True), lambda p: spark.read.csv(p, header=True, inferSchema=True))"),
    c("csv_deflate_read_back", "written(lambda p: people.write.csv(p, compression='deflate'), lambda p: spark.read.schema('name string, age int, dept string, salary double').csv(p))"),
    c("json_gzip_read_back", "written(lambda p: people.write.json(p, compression='gzip'), lambda p: spark.read.json(p))"),
    # Hadoop's bzip2, lz4 and snappy codecs (lz4 and snappy in Hadoop's block stream).
    c("csv_bzip2", "written(lambda p: people.write.csv(p, compression='bzip2'))"),
    c("csv_lz4_read_back", "written(lambda p: people.write.csv(p, compression='lz4'), lambda p: spark.read.schema('name string, age int, dept string, salary double').csv(p))"),
    c("csv_snappy_read_back", "written(lambda p: people.coalesce(1).write.csv(p, compression='snappy', header=True), lambda p: spark.read.csv(p, header=True, inferSchema=True))"),
    c("json_bzip2_read_back", "written(lambda p: people.write.json(p, compression='bzip2'), lambda p: spark.read.json(p))"),
    c("json_lz4_read_back", "written(lambda p: people.write.option('compression', 'LZ4').json(p), lambda p: spark.read.json(p))"),
    c("text_snappy_read_back", "written(lambda p: people.select('name').write.text(p, compression='snappy'), lambda p: spark.read.text(p))"),
    c("text_bzip2_read_back", "written(lambda p: people.select('name').write.text(p, compression='bzip2'), lambda p: spark.read.text(p))"),
    c("text_lz4_empty", "written(lambda p: people.filter('age > 100').select('name').write.text(p, compression='lz4'), lambda p: spark.read.text(p))"),
    c("text_gzip_read_back", "written(lambda p: people.select('name').write.text(p, compression='gzip'), lambda p: spark.read.text(p))"),
]
