"""Differential cases: the `collections` group. `array_insert` and
`map_concat` (issue 19): positions past either end, negative positions,
position 0, NULL arrays, positions and items, widened element types, and
map key/value widening, NULL maps and duplicated keys; `map` and
`map_from_arrays` with Spark's key rules (NULL_MAP_KEY, DUPLICATED_MAP_KEY,
-0.0 and 0.0 one key, arrays of different lengths)."""

from . import q

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
]
