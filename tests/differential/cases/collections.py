"""Differential cases: the `collections` group. `array_insert` and
`map_concat` (issue 19): positions past either end, negative positions,
position 0, NULL arrays, positions and items, widened element types, and
map key/value widening, NULL maps and duplicated keys; `map` and
`map_from_arrays` with Spark's key rules (NULL_MAP_KEY, DUPLICATED_MAP_KEY,
-0.0 and 0.0 one key, arrays of different lengths)."""

from . import q, sql_script

_ROWS = "FROM VALUES (array(1, 2), 2), (NULL, 1), (array(3), -3), (array(), 1), (array(4, 5), CAST(NULL AS INT)) AS t(a, p)"

COLLECTIONS = [
    q("array_insert_positions", "SELECT array_insert(array(1, 2), -5, 9), array_insert(array(1, 2), 5, 9), array_insert(array(1, 2), -3, 9), array_insert(array(1, 2), 3, 9), array_insert(array(1, 2), -1, 9), array_insert(array(1, 2), 1, 9)"),
    q("array_insert_zero", "SELECT array_insert(array(1, 2), 0, 9)"),
    q("array_insert_nulls", "SELECT array_insert(CAST(NULL AS ARRAY<INT>), 1, 9), array_insert(array(1, 2), CAST(NULL AS INT), 9), array_insert(array(1, 2), 1, NULL)"),
    q("array_insert_widens", "SELECT array_insert(array(1, 2), 1, 2.5D), array_insert(array('a'), 1, 'b'), array_insert(array(), 1, 1), array_insert(array(1), 2Y, 2)"),
    q("array_insert_bigint_position", "SELECT array_insert(array(1), 1L, 2)"),
    q("array_insert_untyped_null_position", "SELECT array_insert(array(1, 2), NULL, 9)"),
    q("array_insert_rows", f"SELECT a, p, array_insert(a, p, 7) {_ROWS}"),
    q("array_insert_structs", "SELECT array_insert(array(named_struct('x', 1)), -1, named_struct('x', 2))"),
    q("map_concat_basic", "SELECT map_concat(map(1, 'a', 2, 'b'), map(3, 'c')), map_concat(map(1, 'a')), map_concat(map(1, 'a', 2, NULL), map(3, 'c'))"),
    q("map_concat_empty_call", "SELECT map_concat()"),
    q("map_concat_null_map", "SELECT map_concat(map(1, 'a'), CAST(NULL AS MAP<INT, STRING>))"),
    q("map_concat_untyped_null", "SELECT map_concat(map(1, 'a'), NULL)"),
    q("map_concat_duplicate_key", "SELECT map_concat(map(1, 'a'), map(1, 'b'))"),
    q("map_concat_widens", "SELECT map_concat(map(1, 2), map(2L, 1.5D))"),
    q("map_concat_rows", "SELECT map_concat(m, n) FROM VALUES (map(1, 'a'), map(2, 'b')), (NULL, map(2, 'b')), (map(3, 'c'), map()) AS t(m, n)"),
    q("map_concat_not_a_map", "SELECT map_concat(map(1, 'a'), array(1))"),
    q("map_duplicate_key", "SELECT map(1, 'a', 1, 'b')"),
    q("map_duplicate_array_key", "SELECT map(array(1), 2, array(1), 3)"),
    q("map_negative_zero_key", "SELECT map(CAST(1.0 AS DOUBLE), 'a', CAST(-0.0 AS DOUBLE), 'b', CAST(0.0 AS DOUBLE), 'c')"),
    q("map_null_key", "SELECT map(1, 'a', NULL, 'b')"),
    q("map_values", "SELECT map(), map(1, 'a', 2.5D, NULL)"),
    q("map_from_arrays_lengths", "SELECT map_from_arrays(array(1, 2), array('a'))"),
    q("map_from_arrays_null_key", "SELECT map_from_arrays(array(1, NULL), array('a', 'b'))"),
    q("map_from_arrays_duplicate", "SELECT map_from_arrays(array(1, 1), array('a', 'b'))"),
    q("map_from_arrays_values", "SELECT map_from_arrays(NULL, array('a')), map_from_arrays(array(1), CAST(NULL AS ARRAY<STRING>)), map_from_arrays(array(), array()), map_from_arrays(array(1.0D, 2), array(NULL, 'b'))"),
    q("map_from_arrays_rows", "SELECT map_from_arrays(k, v) FROM VALUES (array(1, 2), array('x', 'y')), (NULL, array('z')) AS t(k, v)"),
    # elt: binary when every value is, else strings; out of range NULL or INVALID_ARRAY_INDEX.
    q("elt_types", "SELECT elt(1, 2, 3), elt(2, X'01', X'02'), elt(1, X'01', 'a'), elt(NULL, 'a'), elt(1, NULL, 'b'), typeof(elt(1, X'01', X'02')), elt('2', 'a', 'b'), elt(2L, 'a', 'b')"),
    q("elt_out_of_range_ansi", "SELECT elt(5, 'a')"),
    q("elt_zero_ansi", "SELECT elt(0, 'a')"),
    q("elt_negative_ansi", "SELECT elt(-1, 'a')"),
    sql_script("elt_out_of_range_no_ansi", "SET spark.sql.ansi.enabled=false", "SELECT elt(0, 'a'), elt(3, 'a', 'b'), elt(-1, 'a'), elt(2, 'a', 'b')"),
    q("elt_rows", "SELECT elt(i, 'x', 'y') FROM VALUES (1), (2), (NULL) AS t(i)"),
    # slice: start 0 and negative lengths fail in any mode.
    q("slice_start_zero", "SELECT slice(array(1, 2), 0, 1)"),
    q("slice_negative_length", "SELECT slice(array(1, 2), 1, -1)"),
    q("slice_ranges", "SELECT slice(array(1, 2, 3, 4), -2, 2), slice(array(1, 2, 3), 2, 0), slice(array(1, 2, 3), 5, 1), slice(array(1, 2, 3), -5, 2), slice(NULL, 1, 1), slice(array(1), NULL, 1), slice(array(1, 2, 3), 2, 100)"),
    q("slice_rows", "SELECT slice(a, s, l) FROM VALUES (array(1, 2, 3), 1, 2), (array(4, 5), -1, 1), (NULL, 1, 1), (array(6), 3, 1) AS t(a, s, l)"),
    # flatten: NULL when an inner array is NULL.
    q("flatten_null_inner", "SELECT flatten(array(array(1, 2), NULL)), flatten(array(array(1), array(NULL))), flatten(NULL), flatten(array()), flatten(array(array()))"),
    # map_from_entries: Spark's key rules.
    q("map_from_entries_duplicate", "SELECT map_from_entries(array(struct(1, 'a'), struct(1, 'b')))"),
    q("map_from_entries_null_key", "SELECT map_from_entries(array(struct(NULL, 'a')))"),
    q("map_from_entries_null_entry", "SELECT map_from_entries(array(struct(1, 'a'), NULL)), map_from_entries(NULL), map_from_entries(array(struct('x', NULL)))"),
    q("str_to_map_duplicate", "SELECT str_to_map('a:1,a:2')"),
    q("str_to_map_patterns", "SELECT str_to_map('a=1;b', ';', '='), str_to_map('a1b2', '\\\\d', ''), str_to_map(''), str_to_map(NULL), str_to_map('a:1:2,b')"),
    q("map_concat_duplicate", "SELECT map_concat(map(1, 'a'), map(1, 'b'))"),
    sql_script("map_key_dedup_last_win", "SET spark.sql.mapKeyDedupPolicy=LAST_WIN", "SELECT coalesce(map_from_entries(array(struct(1, 'a'), struct(2, 'x'), struct(1, 'b'))), map()) AS e, map(1, 'a', 2, 'b', 1, 'c') AS m, map_concat(map(1, 'a', 2, 'b'), map(1, 'c')) AS c, str_to_map('k:1,j:2,k:3') AS s, map_from_arrays(array(1, 1), array('a', 'b')) AS f"),
    q("array_remove_null_element", "SELECT array_remove(array(NULL), NULL), array_remove(array(1, NULL, 1), 1), array_remove(array(1, 2), NULL)"),
    q("array_remove_untyped_null", "SELECT array_remove(NULL, 1)"),
    q("array_append_untyped_null", "SELECT array_append(NULL, 1)"),
    q("array_prepend_untyped_null", "SELECT array_prepend(NULL, 1)"),
    q("array_append_values", "SELECT array_repeat('a', -1), array_repeat(NULL, 2), array_append(array(1), NULL), array_prepend(array(1), 0), array_append(CAST(NULL AS ARRAY<INT>), 1)"),
    q("arrays_overlap_null_elements", "SELECT arrays_overlap(array(1, NULL), array(2)) a, arrays_overlap(array(1), array(1, NULL)) b, arrays_overlap(array(1, NULL), array(NULL)) c, arrays_overlap(array(), array(NULL)) d, arrays_overlap(array(1), array(1.5D)) e, arrays_overlap(array('a'), array('a', NULL)) f"),
    q("arrays_overlap_nested", "SELECT arrays_overlap(array(array(1)), array(array(1), NULL)) a, arrays_overlap(array(named_struct('a', 1)), array(named_struct('a', 2))) b"),
    q("arrays_overlap_null_argument", "SELECT arrays_overlap(NULL, array(1))"),
    q("arrays_overlap_string_and_int", "SELECT arrays_overlap(array(1), array('1'))"),
    q("arrays_overlap_not_array", "SELECT arrays_overlap(array(1), 1)"),
    q("concat_array_and_null", "SELECT concat(array(1), NULL)"),
    q("concat_array_and_int", "SELECT concat(array(1), 1)"),
]
