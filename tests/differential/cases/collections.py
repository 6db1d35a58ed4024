"""Differential cases: the `collections` group. `array_insert` and
`map_concat` (issue 19): positions past either end, negative positions,
position 0, NULL arrays, positions and items, widened element types, and
map key/value widening, NULL maps and duplicated keys."""

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
]
