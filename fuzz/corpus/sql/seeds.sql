CREATE TABLE IF NOT EXISTS sql_ddl_t (a INT NOT NULL COMMENT 'x', b STRING) USING parquet
CREATE TABLE sql_ddl_bad (a)
DESCRIBE FUNCTION EXTENDED abs
DESCRIBE FUNCTION no_such_fn
DESCRIBE FUNCTION upper
DESCRIBE QUERY SELECT 1 AS a, 'x' AS b
DROP TABLE IF EXISTS sql_never_t
DROP TABLE sql_never_t
INSERT INTO sql_ddl_t
INSERT INTO sql_ddl_t VALUES (1, 'a')
SELEC 1
SELECT '5' + 1, '5' * 2.5, 1 = '1', if(true, 1, '2'), 1 * 2.5
SELECT 'a' || 'b' || 1, concat('x', NULL)
SELECT 'abc
SELECT 'abc' LIKE 'a%', 'abc' ILIKE 'A_C', 'a_c' LIKE 'a\_c', 'abc' LIKE ANY ('x%', '%c'), 'abc' LIKE ALL ('a%', '%b%'), 'abc' NOT LIKE ANY ('a%', 'z%')
SELECT 'abc' RLIKE '^a.c$', 'abc' REGEXP 'z', regexp_like('abc', 'b')
SELECT 'it''s', "dq", 'tab\there', r'raw\n', 'a' 'b'
SELECT * FROM (SELECT 1 AS a UNION SELECT 1 UNION ALL SELECT 2) ORDER BY a
SELECT * FROM (SELECT 1 AS a UNION SELECT 2 EXCEPT SELECT 3 INTERSECT SELECT 1) ORDER BY a
SELECT * FROM (SELECT 1, 2) AS q(a)
SELECT * FROM (SELECT id FROM range(4) MINUS SELECT id FROM range(2)) ORDER BY id
SELECT * FROM (VALUES (1), (2), (2), (3) AS x(a) INTERSECT ALL VALUES (2), (2), (4) AS y(a)) UNION ALL (SELECT * FROM VALUES (1), (2) AS z(a) EXCEPT SELECT 2) ORDER BY 1
SELECT * FROM (VALUES (1, 10, 20) AS t(id, q1, q2)) UNPIVOT (v FOR q IN (q1, q2))
SELECT * FROM VALUES (1), (2) AS t(a), LATERAL (SELECT t.a * 10 AS b) ORDER BY a
SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(id, name) ORDER BY id
SELECT * FROM VALUES (1, 10, 'x') AS t(id, q1, q2) UNPIVOT (amount FOR quarter IN (q1, q2))
SELECT * FROM VALUES (1, 10, 20), (2, NULL, 40) AS t(id, q1, q2) UNPIVOT (amount FOR quarter IN (q1, q2))
SELECT * FROM VALUES (1, 10, 20), (2, NULL, 40) AS t(id, q1, q2) UNPIVOT INCLUDE NULLS (amount FOR quarter IN (q1 AS first, q2 AS second))
SELECT * FROM VALUES (1, array(1, 2)), (2, array()) AS t(id, arr) LATERAL VIEW OUTER posexplode(arr) e AS p, v
SELECT * FROM VALUES (1, array(5)) AS t(id, arr) LATERAL VIEW explode(arr) e
SELECT * FROM VALUES (1,'x',10),(1,'y',20),(2,'x',30),(2,'y',40),(3,'x',5) AS t(a,b,v) PIVOT (sum(v) AS s, count(v) FOR (a, b) IN ((1, 'x'), (2, 'y')))
SELECT * FROM VALUES (1,'x',10),(1,'y',20),(2,'x',30),(2,'y',40),(3,'x',5) AS t(a,b,v) PIVOT (sum(v) FOR (a, b) IN ((1, 'x') AS p1, (2, 'y') AS p2))
SELECT * FROM VALUES (1,'x',10,'g') AS t(a,b,v,g) PIVOT (sum(v) FOR (a, b) IN ((1, 'x', 3)))
SELECT * FROM VALUES (1,'x',10,'g') AS t(a,b,v,g) PIVOT (sum(v) FOR (a, b) IN (1))
SELECT * FROM VALUES (1,'x',10,'g'),(1,'y',20,'h') AS t(a,b,v,g) PIVOT (sum(v) FOR (a, b) IN ((1, 'x'), (2, 'y')))
SELECT * FROM explode(array(1, 2)) UNION ALL SELECT col1 FROM inline(array(struct(3, 'x')))
SELECT * FROM range(2, 10, 3)
SELECT * FROM stack(2, 'a', 1, 'b', 2)
SELECT /* block /* nested */ comment */ 1 AS one -- trailing comment
SELECT 1 != 2, 1 <> 2, 1 = 2, 1 == 2, !true, NOT false, 'a' || 'b', 5 % 2, mod(5, 2), 5 div 2, -(1), +(1)
SELECT 1 +* 2
SELECT 1 / 0
SELECT 1 /* open
SELECT 1 AS a, a + 1 AS b, b * 2 AS c
SELECT 1 FROM range(1) xyz abc
SELECT 1 IN ()
SELECT 1 IS DISTINCT FROM 2, NULL IS NOT DISTINCT FROM NULL, 1 IS NOT DISTINCT FROM NULL
SELECT 1Y, 2S, 3L, 4BD, 5D, 6F, 1.5, 1e3, .5, 123456789012
SELECT 2147483647 + 1
SELECT 3 & 5, 3 | 5, 3 ^ 5, ~3, 1 << 3, -16 >> 2, -16 >>> 28
SELECT 5 % 0
SELECT 5 & 3, 5 | 3, 5 ^ 3, ~5, shiftleft(1, 3), shiftright(16, 2), 1 << 2, 16 >> 2
SELECT 5 BETWEEN 1 AND 10, 5 NOT BETWEEN 1 AND 4, 2 IN (1, 2), 3 NOT IN (1, 2), CASE WHEN 1 > 2 THEN 'x' WHEN 2 > 1 THEN 'y' END, CASE 3 WHEN 1 THEN 'one' ELSE 'other' END
SELECT 7 DIV 2, 7 % 3, -7 % 3, 2 * 3 + 4, 10 / 4, 1 <=> NULL, NULL <=> NULL
SELECT CAST('1' AS INT), '2'::BIGINT, CAST(3 AS STRING), CAST('2024-01-01' AS DATE), try_cast('x' AS INT)
SELECT CAST('abc' AS INT)
SELECT CAST(1 AS FLOAT) + 1, CAST(1 AS FLOAT) * CAST(2 AS TINYINT), CAST(1 AS FLOAT) + 1.5, greatest(CAST(1 AS FLOAT), 1)
SELECT CAST(1 AS) FROM range(1)
SELECT CAST(array(1, 2) AS ARRAY<STRING>), CAST(map('a', 1) AS MAP<STRING, BIGINT>), CAST(named_struct('a', 1) AS STRUCT<a: STRING>), CAST(1.25 AS DECIMAL(5, 1))
SELECT DATE '2024-02-29', TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP_NTZ '2024-01-01 10:00:00', X'CAFE', X 'FF'
SELECT DISTINCT k % 2 AS parity FROM range(6) AS r(k) ORDER BY parity
SELECT IDENTIFIER('abs')(-3), * FROM IDENTIFIER('range')(2)
SELECT INTERVAL 1 DAY, INTERVAL '1 2:03:04' DAY TO SECOND, INTERVAL '3' HOUR, INTERVAL 90 MINUTES
SELECT T.ID, t.id + 1, upper(CAST(ID AS STRING)) FROM range(1) T
SELECT `a b`, `c``d` FROM VALUES (1, 2) AS t(`a b`, `c``d`)
SELECT a FROM VALUES (3), (1), (2) AS x(a) CLUSTER BY a
SELECT a, b FROM VALUES (1), (2) AS x(a) CROSS JOIN VALUES ('p'), ('q') AS y(b) ORDER BY a, b
SELECT a, b, count(*) FROM VALUES (1, 1), (1, 2), (2, 1) AS x(a, b) GROUP BY CUBE (a, b) ORDER BY a NULLS LAST, b NULLS LAST
SELECT a, b, sum(c) FROM VALUES (1, 1, 10), (1, 2, 20), (2, 1, 30) AS x(a, b, c) GROUP BY ROLLUP (a, b) ORDER BY a NULLS LAST, b NULLS LAST
SELECT a, b, sum(c), grouping_id() FROM VALUES (1, 1, 10), (1, 2, 20) AS x(a, b, c) GROUP BY GROUPING SETS ((a), (b), ()) ORDER BY a NULLS LAST, b NULLS LAST
SELECT abs(id) OVER (ORDER BY id) FROM range(3)
SELECT aggregate(array(1, 2, 3, 4), 0L, (acc, x) -> acc + x, acc -> acc * 2)
SELECT array_contains(array(1, NULL), 2), array_contains(array(1), 1)
SELECT array_has(array(1), 1)
SELECT bitmap_bucket_number(123), bitmap_bit_position(123), bitmap_bucket_number(-5), bitmap_bit_position(-5), bitmap_count(X'')
SELECT bitmap_construct_agg(col) FROM VALUES (40000L) AS t(col)
SELECT bitmap_count(bitmap_construct_agg(bitmap_bit_position(id))), bitmap_count(bitmap_or_agg(b)) FROM (SELECT id, X'0F' AS b FROM range(1, 100))
SELECT count(*) FILTER (WHERE id > 1), sum(id) FILTER (WHERE id < 2) FROM range(4)
SELECT count(*) FROM (SELECT * FROM range(100)) TABLESAMPLE (100 PERCENT)
SELECT count(*) FROM (SELECT * FROM range(100)) TABLESAMPLE (5 ROWS)
SELECT count(*) FROM (SELECT id FROM range(5) LIMIT ALL)
SELECT count(DISTINCT a, b), count(DISTINCT a) FROM VALUES (1, 1), (1, 1), (1, NULL), (2, 2) AS t(a, b)
SELECT date_format(TIMESTAMP '2024-03-05 07:08:09.123', 'yyyy-MM-dd HH:mm:ss.SSS EEE MMM d'), to_date('05/03/2024', 'dd/MM/yyyy'), to_timestamp('2024-03-05 07:08', 'yyyy-MM-dd HH:mm')
SELECT date_trunc(u, TIMESTAMP '2015-03-05 09:32:05.359123') FROM VALUES ('YEAR'), ('yy'), ('MM'), ('MON'), ('DD'), ('MINUTE'), ('SECOND'), ('MILLISECOND'), ('MICROSECOND'), (NULL) AS t(u)
SELECT exists(array(), x -> x > 0) a, exists(array(1, NULL), x -> x > 0) b, forall(array(1, 2), x -> x > 0) c, exists(array(1), x -> x IS NULL) d, exists(array(1), x -> CAST(NULL AS BOOLEAN)) f, exists(arr, x -> x > 1) g, forall(array(1), x -> x / 2 > 1) h FROM VALUES (array(1, 2)) t(arr)
SELECT explode(array(1)) + 1
SELECT filter(array(5, 6, 7, 8), (x, i) -> i % 2 = 0), exists(array(), x -> x > 0), forall(CAST(NULL AS ARRAY<INT>), x -> x > 0)
SELECT forall(array(1, 2), (x, i) -> x > i)
SELECT format_number(-1234567.891, 2), format_number(0.5D, 0), format_number(1e10, 0)
SELECT from_json('{bad', 'a INT')
SELECT g, try_sum(x) FROM VALUES (1, 9223372036854775807L), (1, 1L), (2, 5L) AS t(g, x) GROUP BY g ORDER BY g
SELECT g, vector_avg(v) FROM VALUES (1, array(1.0F, 2.0F)), (1, array(3.0F, 6.0F)), (2, array(5.0F, 5.0F)) AS t(g, v) GROUP BY g ORDER BY g
SELECT get_json_object('{"a":{"b":[1,2]}}', '$.a.b[1]'), get_json_object('not json', '$.a'), json_array_length('{}'), to_json(named_struct('a', NULL, 'b', 'x'))
SELECT hash(1L), hash(1.5D), hash('a', NULL), hash(CAST(1.25 AS DECIMAL(5,2))), hash(array(1, NULL)), hash(NULL)
SELECT hll_sketch_agg(col) FROM VALUES (1.5D) AS t(col)
SELECT hll_sketch_agg(col, 2) FROM VALUES (1) AS t(col)
SELECT hll_sketch_estimate(X'0102')
SELECT hll_sketch_estimate(hll_sketch_agg(id)), hll_sketch_estimate(hll_sketch_agg(CAST(id AS STRING), 10)) FROM range(300)
SELECT hll_sketch_estimate(hll_union(hll_sketch_agg(col, 12), hll_sketch_agg(col + 1, 10), true)) FROM VALUES (1), (2) AS t(col)
SELECT hll_sketch_estimate(hll_union(hll_sketch_agg(col, 12), hll_sketch_agg(col, 10))) FROM VALUES (1) AS t(col)
SELECT id FROM range(10) ORDER BY id LIMIT 3 OFFSET 4
SELECT id FROM range(3) ORDER BY
SELECT id FROM range(3) WHERE sum(id) > 1
SELECT id, count(*) FROM range(3)
SELECT id, explode_outer(CASE WHEN id = 0 THEN array() WHEN id = 1 THEN NULL ELSE array(id, id) END) FROM range(3)
SELECT id, k, v, z FROM VALUES (1, map('a', 1)) AS t(id, m) LATERAL VIEW explode(m) e AS k, v LATERAL VIEW explode(array(10, 20)) f AS z
SELECT id, last_value(v) IGNORE NULLS OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS lv FROM VALUES (1, 10), (2, NULL), (3, 30) AS t(id, v) ORDER BY id
SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM range(4)
SELECT id, transform(array(1, 2), x -> x * id) FROM range(3)
SELECT id, x FROM VALUES (1, array(1, 2)), (2, array()) AS t(id, arr) LATERAL VIEW explode(arr) e AS x
SELECT iff(true, 1, 2)
SELECT int(1.5), int('x'), string(1), bigint(NULL), double(1), boolean('true')
SELECT json_tuple('{"a":1, "b":"x"}', 'a', 'b', 'c')
SELECT k, v FROM VALUES ('{"a":1}') AS t(j) LATERAL VIEW json_tuple(j, 'a', 'b') jt AS k, v
SELECT kll_sketch_agg_bigint(col, 2) FROM VALUES (1) AS t(col)
SELECT kll_sketch_get_n_bigint(X'0102')
SELECT kll_sketch_get_n_bigint(kll_sketch_agg_bigint(col)) FROM VALUES (1) AS t(col) WHERE false
SELECT kll_sketch_get_quantile_bigint(kll_sketch_agg_bigint(col), 0.5) FROM VALUES (1) AS t(col) WHERE false
SELECT kll_sketch_get_quantile_bigint(kll_sketch_agg_bigint(col), 1.5) FROM VALUES (1) AS t(col)
SELECT kll_sketch_get_quantile_bigint(kll_sketch_agg_bigint(col), NULL), kll_sketch_get_n_bigint(kll_sketch_merge_bigint(kll_sketch_agg_bigint(col), NULL)) FROM VALUES (1) AS t(col)
SELECT kll_sketch_get_quantile_bigint(s, array(0.0, 0.2, 0.21, 0.5, 0.79, 0.8, 1.0)), kll_sketch_get_rank_bigint(s, array(0, 1, 3, 6)), kll_sketch_get_quantile_bigint(s, 0.5), kll_sketch_get_rank_bigint(s, 3) FROM (SELECT kll_sketch_agg_bigint(col) AS s FROM VALUES (1), (2), (3), (4), (5) AS t(col))
SELECT kll_sketch_get_quantile_double(kll_sketch_agg_double(d), 0.5), kll_sketch_get_quantile_float(kll_sketch_agg_float(f), 1.0), kll_sketch_get_n_double(kll_sketch_agg_double(f)) FROM VALUES (1.5D, 2.5F), (3.5D, 0.5F) AS t(d, f)
SELECT log(0), log(-1), ln(0), log(1, 10)
SELECT log(100), log(10, 100), ln(1), log(2, 8), log(NULL)
SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY id), percentile_disc(0.25) WITHIN GROUP (ORDER BY id DESC) FROM range(10)
SELECT percentile_cont(0.5) FROM range(10)
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v), percentile_disc(0.5) WITHIN GROUP (ORDER BY v DESC), listagg(s, ',') WITHIN GROUP (ORDER BY s) FROM VALUES (1, 'b'), (2, 'a'), (4, 'c') AS t(v, s)
SELECT percentile_cont(id, 0.5) FROM range(10)
SELECT posexplode(map('a', 1, 'b', 2))
SELECT pow(2, 3), hypot(3, 4), atan2(1, 2), cbrt(8), sign(-1), abs(-1), greatest(1, NULL), least(NULL, NULL)
SELECT quarter, sum(amount) FROM VALUES (1, 10, 20), (2, 5, 40) AS t(id, q1, q2) UNPIVOT (amount FOR quarter IN (q1, q2)) GROUP BY quarter
SELECT replace('abc', 'b'), replace('abc', 'b', 'x')
SELECT round(2.675D, 2), bround(2.5D), round(-2.5D), bround(25, -1), round(1.5, 0), ceil(-1.5D), floor(2.5BD)
SELECT row_number()
SELECT split('', ','), split('a,b,,', ',', 0), regexp_extract('abc', '(x)?', 1), instr('', ''), locate('a', 'banana', 3), lpad('abc', 2), rpad('', 3, 'xy')
SELECT sum(id) OVER w FROM range(3)
SELECT sum(id) WITHIN GROUP (ORDER BY id) FROM range(3)
SELECT sum(sum(id)) OVER () FROM range(3)
SELECT sum(x) FROM VALUES (9223372036854775807L), (1L) AS t(x)
SELECT t.id, e.x FROM VALUES (1, array(1, 2)) AS t(id, arr) LATERAL VIEW explode(arr) e AS x WHERE e.x > 1
SELECT theta_sketch_agg(col) FROM VALUES (true) AS t(col)
SELECT theta_sketch_agg(col, 2) FROM VALUES (1) AS t(col)
SELECT theta_sketch_estimate(X'0102')
SELECT theta_sketch_estimate(theta_sketch_agg(d)), theta_sketch_estimate(theta_sketch_agg(a)) FROM VALUES (1.5D, array(1, 2)), (1.5D, array(1, 2)), (2.5D, array(2, 1)) AS t(d, a)
SELECT theta_sketch_estimate(theta_sketch_agg(id)), theta_sketch_estimate(theta_sketch_agg(CAST(id AS STRING), 10)) FROM range(1000)
SELECT theta_sketch_estimate(theta_union(a, b)), theta_sketch_estimate(theta_intersection(a, b)), theta_sketch_estimate(theta_difference(a, b)) FROM (SELECT theta_sketch_agg(id) AS a, theta_sketch_agg(id + 50) AS b FROM range(100))
SELECT theta_sketch_estimate(theta_union_agg(s)), theta_sketch_estimate(theta_intersection_agg(s)) FROM (SELECT g, theta_sketch_agg(v) AS s FROM VALUES (1, 1), (1, 2), (2, 2), (2, 3) AS t(g, v) GROUP BY g)
SELECT to_date('2024-01-01') c, unix_timestamp('2024-01-01 00:00:00') d, unix_timestamp() > 0 n, to_timestamp_ntz('2024-01-01', 'yyyy-MM-dd') g, try_to_timestamp('2024-01-01', 'yyyy-MM-dd') h, from_unixtime(0) j, to_date(x, 'yyyy') k, to_date(y, 'yyyy') l FROM VALUES ('2024', CAST(NULL AS STRING)) t(x, y)
SELECT to_number('12x', '999')
SELECT to_timestamp('not a time', 'yyyy-MM-dd')
SELECT transform(array(1, 2, 3), x -> x * x), filter(array(1, 2, 3), (x, i) -> i > 0), aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x)
SELECT trim('xax', 'x'), trim(BOTH 'x' FROM 'xax'), trim(LEADING 'x' FROM 'xax'), trim(TRAILING 'x' FROM 'xax'), trim('  a '), btrim('xax', 'x'), trim(BOTH FROM '  a ')
SELECT trim(NULL, 'x'), trim('x', NULL), ltrim(CAST(NULL AS STRING)), rtrim('ab  ')
SELECT trim(c, s), ltrim(c, s) FROM VALUES ('x', 'xxaxx'), ('ab', 'abcab'), (NULL, 'a') AS t(c, s)
SELECT true IS TRUE, NULL IS UNKNOWN, false IS NOT FALSE, NULL IS NULL, 1 IS NOT NULL
SELECT try_add(2147483647, 1), try_multiply(9223372036854775807L, 2L), try_divide(1, 0), try_mod(5, 0)
SELECT try_sum(x), sum(y) FROM VALUES (9223372036854775807L, 1), (1L, 2) AS t(x, y)
SELECT try_to_timestamp('not a time', 'yyyy-MM-dd')
SELECT tuple_sketch_agg_double(k, v, 12, 'avg') FROM VALUES (1, 2.0D) AS t(k, v)
SELECT tuple_sketch_estimate_double(X'0102')
SELECT tuple_sketch_summary_double(tuple_sketch_agg_double(k, v, 12, 'min')), tuple_sketch_summary_double(tuple_sketch_agg_double(k, v, 12, 'max'), 'min'), tuple_sketch_summary_double(tuple_sketch_agg_double(k, v, 12, 'alwaysone')) FROM VALUES (1, 2.0D), (1, 5.0D), (2, 3.0D) AS t(k, v)
SELECT tuple_sketch_summary_double(tuple_union_theta_double(tuple_sketch_agg_double(k, v), theta_sketch_agg(k2))), tuple_sketch_summary_double(tuple_intersection_double(tuple_sketch_agg_double(k, v), tuple_sketch_agg_double(k, v))), tuple_sketch_summary_double(tuple_intersection_theta_double(tuple_sketch_agg_double(k, v), theta_sketch_agg(k))) FROM VALUES (1, 2.0D, 7), (1, 5.0D, 1), (2, 3.0D, 8) AS t(k, v, k2)
SELECT tuple_sketch_summary_integer(tuple_sketch_agg_integer(k, v)) FROM VALUES (1, 2147483647), (1, 1) AS t(k, v)
SELECT upper(array(1))
SELECT upper(explode(array('a')))
SELECT vector_cosine_similarity(array(1.0, 2.0), array(1.0, 2.0))
SELECT vector_inner_product(array(1.0F), array(1.0F, 2.0F))
SELECT vector_norm(array(1.0F), 3.0F)
SELECT vector_sum(col) FROM VALUES (array(1.0F, 2.0F)), (array(1.0F)) AS t(col)
SELECT vector_sum(col), vector_avg(col) FROM VALUES (array(1.0F, NULL)), (array(2.0F, 3.0F)), (NULL), (array(4.0F, 5.0F)) AS t(col)
SELECT x, count(*) FROM VALUES (1, array(1, 2)), (2, array(2)) AS t(id, arr) LATERAL VIEW explode(arr) e AS x GROUP BY x
SELECT x.pos, x.v FROM (SELECT posexplode(array('p', 'q')) AS (pos, v)) x
SELECT year(NULL), month(CAST(NULL AS DATE)), dayofweek('2024-03-05'), weekofyear(DATE '2021-01-01')
SHOW CATALOGS
SHOW FUNCTIONS LIKE 'array_*'
SHOW NAMESPACES
UNCACHE TABLE IF EXISTS sql_never_cached
UPDATE sql_ddl_t WHERE a = 1
USE default
USE no_such_db
VALUES (1, 2), (3, 4)
WITH RECURSIVE p(node, depth) AS (SELECT 'a', 0 UNION ALL SELECT e.dst, p.depth + 1 FROM p JOIN VALUES ('a', 'b'), ('b', 'c'), ('c', 'd') AS e(src, dst) ON p.node = e.src) SELECT * FROM p ORDER BY depth
WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3), s AS (SELECT n * 10 AS m FROM r) SELECT * FROM s ORDER BY m
WITH RECURSIVE r(n) AS (SELECT 1 INTERSECT SELECT n FROM r) SELECT * FROM r
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r ORDER BY n
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r LIMIT 5
WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r
WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT (n % 3) + 1 FROM r) SELECT * FROM r ORDER BY n
WITH RECURSIVE r(n) AS (SELECT n FROM r UNION ALL SELECT 1) SELECT * FROM r
WITH RECURSIVE r(n) MAX RECURSION LEVEL 3 AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT count(*) FROM r
WITH RECURSIVE r(n) MAX RECURSION LEVEL 5 AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT count(*) FROM r
WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT * FROM a, b
WITH c(p, q) AS (SELECT 1, 2) SELECT q, p FROM c
WITH r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r
