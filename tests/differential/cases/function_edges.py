"""Differential cases: the `function_edges` group."""

from . import c, q

FUNCTION_EDGES = [
    q("hash_types", "SELECT hash(1L), hash(1.5D), hash('a', NULL), hash(CAST(1.25 AS DECIMAL(5,2))), hash(array(1, NULL)), hash(NULL)"),
    q("round_doubles", "SELECT round(2.675D, 2), bround(2.5D), round(-2.5D), bround(25, -1), round(1.5, 0), ceil(-1.5D), floor(2.5BD)"),
    q("int_overflow_ansi", "SELECT 2147483647 + 1"),
    q("int_overflow_try", "SELECT try_add(2147483647, 1), try_multiply(9223372036854775807L, 2L), try_divide(1, 0), try_mod(5, 0)"),
    q("divide_by_zero_ansi", "SELECT 1 / 0"),
    q("mod_by_zero_ansi", "SELECT 5 % 0"),
    q("date_patterns", "SELECT date_format(TIMESTAMP '2024-03-05 07:08:09.123', 'yyyy-MM-dd HH:mm:ss.SSS EEE MMM d'), to_date('05/03/2024', 'dd/MM/yyyy'), to_timestamp('2024-03-05 07:08', 'yyyy-MM-dd HH:mm')"),
    q("lambda_nullability", "SELECT exists(array(), x -> x > 0) a, exists(array(1, NULL), x -> x > 0) b, forall(array(1, 2), x -> x > 0) c, exists(array(1), x -> x IS NULL) d, exists(array(1), x -> CAST(NULL AS BOOLEAN)) f, exists(arr, x -> x > 1) g, forall(array(1), x -> x / 2 > 1) h FROM VALUES (array(1, 2)) t(arr)"),
    q("forall_with_index", "SELECT forall(array(1, 2), (x, i) -> x > i)"),
    q("parse_nullability", "SELECT to_date('2024-01-01') c, unix_timestamp('2024-01-01 00:00:00') d, unix_timestamp() > 0 n, to_timestamp_ntz('2024-01-01', 'yyyy-MM-dd') g, try_to_timestamp('2024-01-01', 'yyyy-MM-dd') h, from_unixtime(0) j, to_date(x, 'yyyy') k, to_date(y, 'yyyy') l FROM VALUES ('2024', CAST(NULL AS STRING)) t(x, y)"),
    c("parse_nullability_legacy", "script('SET spark.sql.ansi.enabled=false', \"SELECT to_date('05/03/2024', 'dd/MM/yyyy') a, unix_timestamp('2024-01-01', 'yyyy-MM-dd') d, date_format(TIMESTAMP '2024-03-05 07:08:09', 'yyyy') f\")"),
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
    # AES: every mode and key size, defaults, NULLs, and Spark's errors.
    q("aes_round_trips", "SELECT aes_decrypt(aes_encrypt(s, k, m), k, m) AS back, length(aes_encrypt(s, k, m)) AS len FROM VALUES ('', '1234567890abcdef', 'GCM'), ('Spark SQL', '1234567890abcdef12345678', 'cbc'), (repeat('x', 33), '1234567890abcdef1234567890abcdef', 'ECB') AS t(s, k, m)"),
    q("aes_ecb_values", "SELECT hex(aes_encrypt('', '1234567890abcdef', 'ECB')), base64(aes_encrypt(X'00', '1234567890abcdef', 'ecb', 'pkcs')), hex(aes_encrypt('Spark', '1234567890abcdef1234567890abcdef', 'ECB'))"),
    q("aes_given_ivs", "SELECT hex(aes_encrypt('Spark', '1234567890abcdef', 'GCM', 'NONE', unhex('000000000000000000000000'))), hex(aes_encrypt('Spark', '1234567890abcdef', 'CBC', 'PKCS', unhex('0102030405060708090A0B0C0D0E0F10')))"),
    q("aes_nulls", "SELECT aes_encrypt(NULL, '1234567890abcdef'), aes_encrypt('x', NULL), aes_encrypt('x', '1234567890abcdef', NULL), aes_decrypt(NULL, '1234567890abcdef'), try_aes_decrypt(X'00', 'short')"),
    q("aes_key_length", "SELECT aes_encrypt('Spark', 'short')"),
    q("aes_mode_unsupported", "SELECT aes_encrypt('Spark', '1234567890abcdef', 'CTR')"),
    q("aes_padding_unsupported", "SELECT aes_encrypt('Spark', '1234567890abcdef', 'GCM', 'PKCS')"),
    q("aes_ecb_iv", "SELECT aes_encrypt('Spark', '1234567890abcdef', 'ECB', 'DEFAULT', unhex('00'))"),
    q("aes_iv_length", "SELECT aes_encrypt('Spark', '1234567890abcdef', 'CBC', 'DEFAULT', unhex('00'))"),
    q("aes_cbc_aad", "SELECT aes_encrypt('Spark', '1234567890abcdef', 'CBC', 'DEFAULT', unhex('00000000000000000000000000000000'), 'aad')"),
    q("aes_decrypt_short", "SELECT aes_decrypt(unhex('00112233'), '1234567890abcdef')"),
    q("aes_decrypt_bad_padding", "SELECT aes_decrypt(unhex('0011223344556677001122334455667700112233445566770011223344556677'), '1234567890abcdef', 'CBC')"),
    q("aes_decrypt_wrong_key", "SELECT try_aes_decrypt(aes_encrypt('x', '1234567890abcdef'), 'fedcba0987654321'), try_aes_decrypt(unhex('00112233'), '1234567890abcdef', 'CTR')"),
    # xpath: node lists, strings, numbers by XPath's grammar narrowed as Java does, NULLs, errors.
    q("xpath_nodes", "SELECT xpath('<a><b id=\"1\">x</b><b id=\"2\"/></a>', 'a/b/@id'), xpath('<a/>', 'a/b'), xpath(NULL, 'a'), xpath('<a/>', NULL), xpath('', 'a')"),
    q("xpath_strings", "SELECT xpath_string('<a><b>x<c>y</c>z</b></a>', 'a/b'), xpath_string('<a/>', 'a/zz'), xpath_string('<a> s </a>', 'a'), xpath_string('<a><b>1</b><b>2</b></a>', 'a/b'), xpath_string('<a>&lt;x&gt; &amp; &#65;</a>', 'a')"),
    q("xpath_numbers", "SELECT xpath_int('<a>abc</a>', 'a'), xpath_long('<a>1e20</a>', 'a'), xpath_short('<a>70000</a>', 'a'), xpath_int('<a>-2.7</a>', 'a'), xpath_double('<a>abc</a>', 'a'), xpath_float('<a/>', 'count(a)'), xpath_number('<a>1</a>', 'a + 1')"),
    q("xpath_number_extremes", "SELECT xpath_int('<a>2147483648</a>', 'a'), xpath_long('<a>-9.9e30</a>', 'a'), xpath_short('<a>NaN</a>', 'a'), xpath_long('<a>-12345678901234567890</a>', 'a'), xpath_double('<a>.5</a>', 'a')"),
    q("xpath_booleans", "SELECT xpath_boolean('<a/>', 'a/b'), xpath_boolean('<a><b>0</b></a>', 'a/b = 0'), xpath_boolean('<a/>', 'true()'), xpath_boolean(NULL, 'a')"),
    q("xpath_document_parts", "SELECT xpath('<?xml version=\"1.0\"?><!-- c --><a><![CDATA[<x>]]></a>', 'a/text()'), xpath_string('<ns:a xmlns:ns=\"u\">v</ns:a>', '*'), xpath_string('<a><b/></a>', 'name(a/*)')"),
    q("xpath_rows", "SELECT xpath(x, 'a/b/text()'), xpath_int(x, 'sum(a/b)') FROM VALUES ('<a><b>1</b><b>2</b></a>'), (NULL), ('<a/>') AS t(x)"),
    q("xpath_path_not_constant", "SELECT xpath(x, p) FROM VALUES ('<a><b>1</b></a>', 'a/b') AS t(x, p)"),
    q("xpath_not_a_node_list", "SELECT xpath('<a><b>1</b></a>', 'count(a/b)')"),
    q("aes_column_args", "SELECT cast(aes_decrypt(aes_encrypt(s, k, 'GCM', 'DEFAULT', X'', a), k, 'GCM', 'DEFAULT', a) AS STRING) FROM VALUES ('a', '1234567890abcdef', 'x'), ('b', '1234567890abcdef', '') AS t(s, k, a)"),
]

# The DataFrame API (issue 3): every relation and expression kind the client
# sends, on the shared frames of evaluate.frames(): people, emp, dept, nested, sales.
