"""Differential cases: the `csv_functions` group. `from_csv`, `to_csv`
and `schema_of_csv` (issue 19): quoting, escaping, trimming, empty and
NULL values, `nullValue`, separators, date and timestamp formats, values
that do not parse (NULL in PERMISSIVE mode), missing and extra fields,
nested values, NULL structs, and the sample types Spark's CSV inference
gives."""

from . import q

_ALL = ("named_struct('a', 1, 'b', 'x,y', 'c', 'q\"t', 'd', CAST(NULL AS INT), 'e', '', 'f', 1.5D, 'g', true, "
        "'h', DATE'2024-01-02', 'i', TIMESTAMP'2024-01-02 03:04:05.123456', 'j', ' sp ')")

CSV_FUNCTIONS = [
    q("schema_of_csv_basic", "SELECT schema_of_csv('1,abc')"),
    q("schema_of_csv_sep", "SELECT schema_of_csv('a;b', map('sep', ';'))"),
    q("schema_of_csv_types", "SELECT schema_of_csv('1.5,2024-01-01,true,9999999999')"),
    q("schema_of_csv_timestamp", "SELECT schema_of_csv('2024-01-01 10:00:00')"),
    q("schema_of_csv_empty_field", "SELECT schema_of_csv('1,')"),
    q("to_csv_values", f"SELECT to_csv({_ALL})"),
    q("to_csv_sep_and_decimal", "SELECT to_csv(named_struct('a', 1, 'b', 'x;y'), map('sep', ';')), to_csv(named_struct('a', CAST(1.50 AS DECIMAL(5,2)), 'b', 'line\nbreak'))"),
    q("to_csv_nested_and_formats", "SELECT to_csv(named_struct('a', array(1, 2))), to_csv(named_struct('time', to_timestamp('2015-08-26', 'yyyy-MM-dd')), map('timestampFormat', 'dd/MM/yyyy')), to_csv(CAST(NULL AS STRUCT<a: INT>))"),
    q("to_csv_not_a_struct", "SELECT to_csv(1)"),
    q("to_csv_rows", "SELECT to_csv(s) FROM VALUES (named_struct('a', 1, 'b', 'x')), (named_struct('a', NULL, 'b', NULL)) AS t(s)"),
    q("to_csv_date_format_and_doubles", "SELECT to_csv(named_struct('d', DATE'2024-01-02'), map('dateFormat', 'dd/MM/yyyy')), to_csv(named_struct('f', 1e20D, 'g', CAST(0.1 AS FLOAT)))"),
    q("from_csv_basic", "SELECT from_csv('1, 0.8', 'a INT, b DOUBLE'), from_csv('x,2', 'a INT, b INT'), from_csv('1', 'a INT, b INT'), from_csv('1,2,3', 'a INT, b INT'), from_csv('\"q,1\",2', 'a STRING, b INT')"),
    q("from_csv_types", "SELECT from_csv('2024-01-02,2024-01-02 03:04:05,true,abc', 'd DATE, t TIMESTAMP, b BOOLEAN, s STRING'), from_csv(NULL, 'a INT'), from_csv('', 'a INT, b STRING')"),
    q("from_csv_options", "SELECT from_csv('26/08/2015', 'time Timestamp', map('timestampFormat', 'dd/MM/yyyy')), from_csv('1;2', 'a INT, b INT', map('sep', ';'))"),
    q("from_csv_null_value_and_specials", "SELECT from_csv('1.25,NA,Inf,-Inf,NaN', 'a DECIMAL(5,2), b INT, c DOUBLE, d DOUBLE, e DOUBLE', map('nullValue', 'NA'))"),
    q("from_csv_zone_and_date_format", "SELECT from_csv('2024-01-02T03:04:05Z,02/01/2024', 't TIMESTAMP, d DATE', map('dateFormat', 'dd/MM/yyyy'))"),
    q("from_csv_rows", "SELECT s, from_csv(s, 'a INT, b STRING') FROM VALUES ('1,x'), ('bad,y'), (NULL), ('3') AS t(s)"),
    q("from_csv_inferred_schema", "SELECT from_csv('1,abc', schema_of_csv('1,abc'))"),
    q("from_csv_schema_not_a_string", "SELECT from_csv('1', 1)"),
    q("from_csv_strict_values", "SELECT from_csv('True,FALSE,yes', 'a BOOLEAN, b BOOLEAN, c BOOLEAN'), from_csv('2147483648,-5', 'a INT, b BIGINT'), from_csv(' 7', 'a INT')"),
]
