"""Differential cases: the `read` group."""

from . import c

READ = [
    c("csv_header_infer", "spark.read.option('header', True).option('inferSchema', True).csv(DATA + '/csv/people.csv')"),
    c("csv_header_strings", "spark.read.option('header', True).csv(DATA + '/csv/people.csv')"),
    c("csv_no_header", "spark.read.csv(DATA + '/csv/mixed.csv')"),
    c("csv_infer_mixed", "spark.read.csv(DATA + '/csv/mixed.csv', inferSchema=True)"),
    # Malformed CSV records by parse mode: a value the column's type cannot
    # read, too many or too few fields; the corrupt-record column.
    c("csv_bad_value_permissive", "spark.read.schema('a int, b string').csv(DATA + '/csv_malformed/bad_value.csv', header=True)"),
    c("csv_bad_value_dropmalformed", "spark.read.schema('a int, b string').option('mode', 'DROPMALFORMED').csv(DATA + '/csv_malformed/bad_value.csv', header=True)"),
    c("csv_bad_value_failfast", "spark.read.schema('a int, b string').option('mode', 'FAILFAST').csv(DATA + '/csv_malformed/bad_value.csv', header=True)"),
    c("csv_bad_value_corrupt_column", "spark.read.schema('a int, b string, _corrupt_record string').csv(DATA + '/csv_malformed/bad_value.csv', header=True)"),
    c("csv_ragged_permissive", "spark.read.schema('a int, b string').csv(DATA + '/csv_malformed/ragged.csv', header=True)"),
    c("csv_ragged_corrupt_column", "spark.read.schema('a int, b string, _corrupt_record string').csv(DATA + '/csv_malformed/ragged.csv', header=True)"),
    c("csv_ragged_dropmalformed", "spark.read.schema('a int, b string').option('mode', 'DROPMALFORMED').csv(DATA + '/csv_malformed/ragged.csv', header=True)"),
    c("csv_ragged_inferred", "spark.read.csv(DATA + '/csv_malformed/ragged.csv', header=True, inferSchema=True)"),
    c("csv_bad_value_nullvalue_inferred", "spark.read.csv(DATA + '/csv_malformed/bad_value.csv', header=True, inferSchema=True, nullValue='x')"),
    # JSON values of other types than their column's: text for strings,
    # malformed records otherwise.
    c("json_mixed_types_inferred", "spark.read.json(DATA + '/jsonl_typed/mismatch.json')"),
    c("json_mismatch_corrupt_column", "spark.read.schema('a int, b string, _corrupt_record string').json(DATA + '/jsonl_typed/mismatch.json')"),
    c("json_mismatch_dropmalformed", "spark.read.schema('a int, b string').option('mode', 'DROPMALFORMED').json(DATA + '/jsonl_typed/mismatch.json')"),
    c("json_mismatch_failfast_with_schema", "spark.read.schema('a int, b string').option('mode', 'FAILFAST').json(DATA + '/jsonl_typed/mismatch.json')"),
    c("csv_sep", "spark.read.csv(DATA + '/csv/semicolon.csv', sep=';', header=True, inferSchema=True)"),
    c("csv_schema_ddl", "spark.read.schema('name STRING, age INT').option('header', True).csv(DATA + '/csv/people.csv')"),
    c("csv_null_value", "spark.read.csv(DATA + '/csv/people.csv', header=True, nullValue='Bob')"),
    c("csv_format_load", "spark.read.format('csv').option('header', 'true').load(DATA + '/csv/people.csv').select('name')"),
    c("json_infer", "spark.read.json(DATA + '/json/people.json')"),
    c("json_nested_field", "spark.read.json(DATA + '/json/people.json').select('name', 'address.city')"),
    c("json_multiline_array", "spark.read.option('multiLine', True).json(DATA + '/json/array.json')"),
    # Files compressed by Spark's JVM writer with Hadoop's bzip2, lz4 and snappy codecs.
    c("hadoop_csv_bzip2", "spark.read.csv(DATA + '/hadoop_codecs/people.csv.bz2', header=True, inferSchema=True)"),
    c("hadoop_csv_lz4", "spark.read.csv(DATA + '/hadoop_codecs/people.csv.lz4', header=True, inferSchema=True)"),
    c("hadoop_csv_snappy", "spark.read.csv(DATA + '/hadoop_codecs/people.csv.snappy', header=True)"),
    c("hadoop_json_all_codecs", "spark.read.json(DATA + '/hadoop_codecs/people.json.*').select('name', 'age', F.col('_metadata.file_name').alias('f'))"),
    # ORC files: written by Spark's JVM (every type, zstd; many snappy stripes) and by pyarrow (RLE v2, dictionaries).
    c("orc_spark_types", "spark.read.orc(DATA + '/orc/spark_types.zstd.orc').withColumn('ym', F.col('ym').cast('string'))"),
    c("orc_spark_stripes", "spark.read.orc(DATA + '/orc/stripes.snappy.orc').groupBy().agg(F.count('*'), F.sum('id'), F.count('n'), F.sum('n'), F.countDistinct('s'), F.max('s'))"),
    c("orc_spark_stripes_filter", "spark.read.orc(DATA + '/orc/stripes.snappy.orc').filter('id BETWEEN 99990 AND 100005').orderBy('id')"),
    c("orc_pyarrow", "spark.read.orc(DATA + '/orc/pyarrow.orc')"),
    c("orc_sql_on_file", "spark.sql(f\"SELECT name, tags FROM orc.`{DATA}/orc/pyarrow.orc` WHERE id > 1\")"),
    c("orc_metadata", "spark.read.orc(DATA + '/orc/pyarrow.orc').select('id', '_metadata.file_name', '_metadata.file_size')"),
    c("text_lines", "spark.read.text(DATA + '/text/lines.txt')", True),
    c("partition_discovery", "spark.read.csv(DATA + '/parts', header=True, inferSchema=True)"),
    c("glob", "spark.read.csv(DATA + '/parts/year=*/month=*/*.csv', header=True, inferSchema=True)"),
    c("missing_path", "spark.read.csv(DATA + '/no/such/dir')"),
    c("read_then_filter", "spark.read.json(DATA + '/json/people.json').filter(F.col('age') > 30).select('name')"),
    # JSON Lines: a line holding an array is one record per object; malformed lines follow `mode`.
    c("json_array_and_corrupt_lines", "spark.read.json(DATA + '/jsonl/mixed.json')"),
    c("json_dropmalformed", "spark.read.option('mode', 'DROPMALFORMED').json(DATA + '/jsonl/mixed.json')"),
    c("json_corrupt_column_name", "spark.read.option('columnNameOfCorruptRecord', 'bad').json(DATA + '/jsonl/mixed.json')"),
    c("json_failfast", "spark.read.option('mode', 'FAILFAST').json(DATA + '/jsonl/mixed.json')"),
    c("json_mixed_dir", "spark.read.json(DATA + '/jsonl').select('a', 'b', '_corrupt_record', '_metadata.file_name')"),
    # The hidden _metadata column (file_path and file_modification_time depend on the checkout).
    c("metadata_column", "(lambda d: d.select('name', d.metadataColumn('_metadata').getField('file_name').alias('f'), F.col('_metadata.file_size')))(spark.read.option('header', True).csv(DATA + '/csv/people.csv'))"),
    c("metadata_parquet_row_index", "spark.read.parquet(DATA + '/parquet/numbers.parquet').select('n', '_metadata.row_index', '_metadata.file_name', '_metadata.file_block_start', '_metadata.file_block_length')"),
    c("metadata_partitioned", "spark.read.csv(DATA + '/parts', header=True, inferSchema=True).select('*', '_metadata.file_name', '_metadata.file_size')"),
    c("metadata_filter_group", "spark.read.csv(DATA + '/parts', header=True).filter(F.col('_metadata.file_size') > 4).groupBy('_metadata.file_name', 'year').count()"),
    c("metadata_json", "spark.read.json(DATA + '/json/people.json').select('name', '_metadata.file_name')"),
    c("metadata_text", "spark.read.text(DATA + '/text').select('value', F.col('_metadata.file_name'), F.col('_metadata.file_size'))"),
    c("metadata_schema", "[f.name for f in spark.read.parquet(DATA + '/parquet/numbers.parquet').select('_metadata').schema.fields[0].dataType.fields] + spark.read.json(DATA + '/json/people.json').select('_metadata').schema.fields[0].dataType.simpleString().split(',')"),
    c("metadata_not_in_star", "spark.read.parquet(DATA + '/parquet/numbers.parquet').select('*')"),
    c("metadata_after_select", "spark.read.parquet(DATA + '/parquet/numbers.parquet').select('n').filter('n > 20').select('_metadata.row_index', 'n')"),
    # CSV: a date that does not exist is text to inference and NULL to a DATE column; nullValue in typed columns.
    c("csv_infer_invalid_date", "spark.read.options(header=True, inferSchema=True).csv(DATA + '/csv_malformed/invalid_dates.csv')"),
    c("csv_schema_invalid_date", "spark.read.schema('id int, name string, amount double, when date').option('header', True).csv(DATA + '/csv_malformed/invalid_dates.csv')"),
    c("csv_schema_invalid_date_failfast", "spark.read.schema('id int, name string, amount double, when date').options(header=True, mode='FAILFAST').csv(DATA + '/csv_malformed/invalid_dates.csv')"),
    c("csv_null_value_typed", "spark.read.options(header=True, inferSchema=True, nullValue='abc').csv(DATA + '/csv_malformed/invalid_dates.csv')"),
    c("csv_null_value_text", "spark.read.options(header=True, nullValue='carol').csv(DATA + '/csv_malformed/invalid_dates.csv')"),
    # input_file_name() and the block functions over file sources.
    c("input_file_name_csv", "spark.read.option('header', True).csv(DATA + '/csv_malformed/invalid_dates.csv').select(F.regexp_replace(F.input_file_name(), '^.*/tests/', ''), F.input_file_block_start(), F.input_file_block_length()).limit(1)"),
    c("input_file_name_none", "spark.range(1).select(F.input_file_name(), F.input_file_block_start(), F.input_file_block_length())"),
]

# Function edge cases beyond Spark's documented examples: NULLs, overflow,
# ANSI errors, rounding, patterns, lambdas over columns, generators.
