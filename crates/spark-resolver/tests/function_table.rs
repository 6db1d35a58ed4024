//! The function table against Apache Spark 4.3: argument checks and
//! implicit casts, result types, nullability rules, generated names and the
//! errors of calls in the wrong place, each expectation recorded from
//! Spark's own answer to the same query.

mod common;

use common::{sql, sql_error};

#[test]
fn arith_int_long() {
    let o = sql("SELECT 1 + 1, 1 + 1L, 1 * 2.5, 1 / 2, 7 % 3, 7 div 2");
    assert_eq!(o.names, ["(1 + 1)", "(1 + 1)", "(1 * 2.5)", "(1 / 2)", "(7 % 3)", "(7 div 2)"]);
    assert_eq!(o.types, ["int", "bigint", "decimal(4,1)", "double", "int", "bigint"]);
    assert_eq!(o.nullable, [false, false, true, true, true, true]);
}

#[test]
fn arith_decimal_precision() {
    let o = sql("SELECT 1.5 + 2.25, 1.5 * 2.25, 1.5 / 2.25, CAST(1 AS DECIMAL(10,2)) * CAST(2 AS DECIMAL(10,2))");
    assert_eq!(o.names, ["(1.5 + 2.25)", "(1.5 * 2.25)", "(1.5 / 2.25)", "(CAST(1 AS DECIMAL(10,2)) * CAST(2 AS DECIMAL(10,2)))"]);
    assert_eq!(o.types, ["decimal(4,2)", "decimal(6,3)", "decimal(9,6)", "decimal(21,4)"]);
    assert_eq!(o.nullable, [false, false, true, true]);
}

#[test]
fn arith_string_number() {
    let o = sql("SELECT '5' + 1, '5' * 2.5, 1 = '1'");
    assert_eq!(o.names, ["(5 + 1)", "(5 * 2.5)", "(1 = 1)"]);
    assert_eq!(o.types, ["bigint", "double", "boolean"]);
    assert_eq!(o.nullable, [true, true, true]);
}

#[test]
fn arith_float_int() {
    let o = sql("SELECT CAST(1 AS FLOAT) + 1, CAST(1 AS FLOAT) * 2L, CAST(1 AS DOUBLE) + CAST(1 AS FLOAT)");
    assert_eq!(o.names, ["(CAST(1 AS FLOAT) + 1)", "(CAST(1 AS FLOAT) * 2)", "(CAST(1 AS DOUBLE) + CAST(1 AS FLOAT))"]);
    assert_eq!(o.types, ["double", "double", "double"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn comparison_names() {
    let o = sql("SELECT 1 < 2, 1 <= 2, 1 > 2, 1 >= 2, 1 <=> NULL, NULL = 1");
    assert_eq!(o.names, ["(1 < 2)", "(1 <= 2)", "(1 > 2)", "(1 >= 2)", "(1 <=> NULL)", "(NULL = 1)"]);
    assert_eq!(o.types, ["boolean", "boolean", "boolean", "boolean", "boolean", "boolean"]);
    assert_eq!(o.nullable, [false, false, false, false, false, true]);
}

#[test]
fn boolean_names() {
    let o = sql("SELECT true AND false, true OR NULL, NOT true");
    assert_eq!(o.names, ["(true AND false)", "(true OR NULL)", "(NOT true)"]);
    assert_eq!(o.types, ["boolean", "boolean", "boolean"]);
    assert_eq!(o.nullable, [false, true, false]);
}

#[test]
fn in_between_like() {
    let o = sql("SELECT 1 IN (1, 2), 2 BETWEEN 1 AND 3, 'ab' LIKE 'a%', 'ab' ILIKE 'A%', 'ab' RLIKE 'b$'");
    assert_eq!(o.names, ["(1 IN (1, 2))", "between(2, 1, 3)", "ab LIKE a%", "ilike(ab, A%)", "RLIKE(ab, b$)"]);
    assert_eq!(o.types, ["boolean", "boolean", "boolean", "boolean", "boolean"]);
    assert_eq!(o.nullable, [false, false, false, false, false]);
}

#[test]
fn like_any() {
    let o = sql("SELECT 'ab' LIKE ANY ('a%', 'z%'), 'ab' NOT LIKE ALL ('a%', 'z%')");
    assert_eq!(o.names, ["likeany(ab)", "notlikeall(ab)"]);
    assert_eq!(o.types, ["boolean", "boolean"]);
    assert_eq!(o.nullable, [true, true]);
}

#[test]
fn is_null() {
    let o = sql("SELECT NULL IS NULL, 1 IS NOT NULL, isnull(NULL)");
    assert_eq!(o.names, ["(NULL IS NULL)", "(1 IS NOT NULL)", "(NULL IS NULL)"]);
    assert_eq!(o.types, ["boolean", "boolean", "boolean"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn case_when() {
    let o = sql("SELECT CASE WHEN id > 1 THEN 'big' ELSE 'small' END, CASE WHEN id > 1 THEN 1 END FROM range(3)");
    assert_eq!(o.names, ["CASE WHEN (id > 1) THEN big ELSE small END", "CASE WHEN (id > 1) THEN 1 END"]);
    assert_eq!(o.types, ["string", "int"]);
    assert_eq!(o.nullable, [false, true]);
}

#[test]
fn if_coalesce_nvl() {
    let o = sql("SELECT if(id > 1, 1, 2.5), coalesce(NULL, id), nvl(NULL, 'x'), nullif(id, 1) FROM range(3)");
    assert_eq!(o.names, ["(IF((id > 1), 1, 2.5))", "coalesce(NULL, id)", "nvl(NULL, x)", "nullif(id, 1)"]);
    assert_eq!(o.types, ["decimal(11,1)", "bigint", "string", "bigint"]);
    assert_eq!(o.nullable, [false, false, false, true]);
}

#[test]
fn greatest_least() {
    let o = sql("SELECT greatest(1, 2.5, NULL), least('a', 'b')");
    assert_eq!(o.names, ["greatest(1, 2.5, NULL)", "least(a, b)"]);
    assert_eq!(o.types, ["decimal(11,1)", "string"]);
    assert_eq!(o.nullable, [false, false]);
}

#[test]
fn math_upper_names() {
    let o = sql("SELECT sqrt(4), SIGNUM(-2), exp(0), power(2, 3), pow(2, 3), log10(100), atan2(1, 1)");
    assert_eq!(o.names, ["SQRT(4)", "SIGNUM(-2)", "EXP(0)", "POWER(2, 3)", "pow(2, 3)", "LOG10(100)", "ATAN2(1, 1)"]);
    assert_eq!(o.types, ["double", "double", "double", "double", "double", "double", "double"]);
    assert_eq!(o.nullable, [true, true, true, false, false, true, false]);
}

#[test]
fn round_names() {
    let o = sql("SELECT round(2.5), round(2.55, 1), bround(2.5), ceil(1.2), floor(-1.2), ceil(1.25, 1)");
    assert_eq!(o.names, ["round(2.5, 0)", "round(2.55, 1)", "bround(2.5, 0)", "CEIL(1.2)", "FLOOR(-1.2)", "ceil(1.25, 1)"]);
    assert_eq!(o.types, ["decimal(2,0)", "decimal(3,1)", "decimal(2,0)", "decimal(2,0)", "decimal(2,0)", "decimal(3,1)"]);
    assert_eq!(o.nullable, [true, true, true, true, true, true]);
}

#[test]
fn string_functions() {
    let o = sql("SELECT upper('a'), lcase('A'), length('abc'), substr('abc', 2), concat('a', NULL), concat_ws('-', 'a', NULL)");
    assert_eq!(o.names, ["upper(a)", "lcase(A)", "length(abc)", "substr(abc, 2, 2147483647)", "concat(a, NULL)", "concat_ws(-, a, NULL)"]);
    assert_eq!(o.types, ["string", "string", "int", "string", "string", "string"]);
    assert_eq!(o.nullable, [false, false, false, false, true, false]);
}

#[test]
fn trim_family() {
    let o = sql("SELECT trim('  a '), trim('x', 'xax'), ltrim('x', 'xax'), rtrim('x', 'xax'), trim(BOTH 'x' FROM 'xax')");
    assert_eq!(o.names, ["trim(  a )", "TRIM(BOTH x FROM xax)", "TRIM(LEADING x FROM xax)", "TRIM(TRAILING x FROM xax)", "TRIM(BOTH x FROM xax)"]);
    assert_eq!(o.types, ["string", "string", "string", "string", "string"]);
    assert_eq!(o.nullable, [false, false, false, false, false]);
}

#[test]
fn implicit_cast_to_date() {
    let o = sql("SELECT year('2024-05-06'), month(DATE '2024-05-06'), date_add('2024-01-01', 1)");
    assert_eq!(o.names, ["year(2024-05-06)", "month(DATE '2024-05-06')", "date_add(2024-01-01, 1)"]);
    assert_eq!(o.types, ["int", "int", "date"]);
    assert_eq!(o.nullable, [true, false, true]);
}

#[test]
fn implicit_cast_type_mismatch() {
    assert_eq!(sql_error("SELECT year(array(1))"), "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

#[test]
fn wrong_arity() {
    assert_eq!(sql_error("SELECT upper('a', 'b')"), "WRONG_NUM_ARGS.WITHOUT_SUGGESTION");
}

#[test]
fn wrong_arity_range() {
    assert_eq!(sql_error("SELECT round(1, 2, 3)"), "WRONG_NUM_ARGS.WITHOUT_SUGGESTION");
}

#[test]
fn unknown_function() {
    assert_eq!(sql_error("SELECT no_such_function(1)"), "UNRESOLVED_ROUTINE");
}

#[test]
fn count_variants() {
    let o = sql("SELECT count(*), count(1), count(DISTINCT id), count(DISTINCT id, id % 2) FROM range(3)");
    assert_eq!(o.names, ["count(1)", "count(1)", "count(DISTINCT id)", "count(DISTINCT id, (id % 2))"]);
    assert_eq!(o.types, ["bigint", "bigint", "bigint", "bigint"]);
    assert_eq!(o.nullable, [false, false, false, false]);
}

#[test]
fn sum_distinct_filter() {
    let o = sql("SELECT sum(DISTINCT id), sum(id) FILTER (WHERE id > 0), avg(id) FROM range(3)");
    assert_eq!(o.names, ["sum(DISTINCT id)", "sum(id) FILTER (WHERE (id > 0))", "avg(id)"]);
    assert_eq!(o.types, ["bigint", "bigint", "double"]);
    assert_eq!(o.nullable, [true, true, true]);
}

#[test]
fn collect_list_nullability() {
    let o = sql("SELECT collect_list(id), collect_set(id), array_agg(id) FROM range(3)");
    assert_eq!(o.names, ["collect_list(id)", "collect_set(id)", "collect_list(id)"]);
    assert_eq!(o.types, ["array<bigint>", "array<bigint>", "array<bigint>"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn first_last_ignore_nulls() {
    let o = sql("SELECT first(id), last(id, true), first_value(id) IGNORE NULLS FROM range(3)");
    assert_eq!(o.names, ["first(id)", "last(id)", "first(id)"]);
    assert_eq!(o.types, ["bigint", "bigint", "bigint"]);
    assert_eq!(o.nullable, [true, true, true]);
}

#[test]
fn percentile_within_group() {
    let o = sql("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY id), listagg(CAST(id AS STRING), ',') WITHIN GROUP (ORDER BY id DESC), mode() WITHIN GROUP (ORDER BY id) FROM range(3)");
    assert_eq!(o.names, ["percentile_cont(0.5) WITHIN GROUP (ORDER BY id)", "listagg(CAST(id AS STRING), ,) WITHIN GROUP (ORDER BY id DESC NULLS LAST)", "mode() WITHIN GROUP (ORDER BY id DESC)"]);
    assert_eq!(o.types, ["double", "string", "bigint"]);
    assert_eq!(o.nullable, [true, true, true]);
}

#[test]
fn within_group_missing() {
    assert_eq!(sql_error("SELECT percentile_disc(0.5) FROM range(3)"), "INVALID_WITHIN_GROUP_EXPRESSION.WITHIN_GROUP_MISSING");
}

#[test]
fn within_group_unsupported() {
    assert_eq!(sql_error("SELECT max(id) WITHIN GROUP (ORDER BY id) FROM range(3)"), "INVALID_SQL_SYNTAX.FUNCTION_WITH_UNSUPPORTED_SYNTAX");
}

#[test]
fn filter_on_scalar() {
    assert_eq!(sql_error("SELECT abs(id) FILTER (WHERE id > 0) FROM range(3)"), "INVALID_SQL_SYNTAX.FUNCTION_WITH_UNSUPPORTED_SYNTAX");
}

#[test]
fn window_without_over() {
    assert_eq!(sql_error("SELECT rank() FROM range(3)"), "WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE");
}

#[test]
fn generator_nested() {
    assert_eq!(sql_error("SELECT 1 + explode(array(1))"), "UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS");
}

#[test]
fn scalar_over_window() {
    assert_eq!(sql_error("SELECT upper('a') OVER (ORDER BY 1)"), "UNSUPPORTED_EXPR_FOR_WINDOW");
}

#[test]
fn higher_order() {
    let o = sql("SELECT transform(array(1, 2), x -> x + 1), filter(array(1, NULL), x -> x IS NOT NULL), exists(array(1), x -> x > 0), aggregate(array(1, 2), 0, (acc, x) -> acc + x)");
    assert_eq!(o.names, ["transform(array(1, 2), lambdafunction((namedlambdavariable() + 1), namedlambdavariable()))", "filter(array(1, NULL), lambdafunction((namedlambdavariable() IS NOT NULL), namedlambdavariable()))", "exists(array(1), lambdafunction((namedlambdavariable() > 0), namedlambdavariable()))", "aggregate(array(1, 2), 0, lambdafunction((namedlambdavariable() + namedlambdavariable()), namedlambdavariable(), namedlambdavariable()), lambdafunction(namedlambdavariable(), namedlambdavariable()))"]);
    assert_eq!(o.types, ["array<int>", "array<int>", "boolean", "int"]);
    assert_eq!(o.nullable, [false, false, false, true]);
}

#[test]
fn array_map_struct() {
    let o = sql("SELECT array(1, 2), array(1, NULL), map('a', 1), struct(1 AS a, 'x'), named_struct('k', 1)");
    assert_eq!(o.names, ["array(1, 2)", "array(1, NULL)", "map(a, 1)", "struct(1 AS a, x)", "named_struct(k, 1)"]);
    assert_eq!(o.types, ["array<int>", "array<int>", "map<string,int>", "struct<a:int,col2:string>", "struct<k:int>"]);
    assert_eq!(o.nullable, [false, false, false, false, false]);
}

#[test]
fn nullable_never() {
    let o = sql("SELECT isnull(NULL), 1 <=> 2, isnan(1.0), count(NULL), uuid() IS NOT NULL");
    assert_eq!(o.names, ["(NULL IS NULL)", "(1 <=> 2)", "isnan(1.0)", "count(NULL)", "(uuid() IS NOT NULL)"]);
    assert_eq!(o.types, ["boolean", "boolean", "boolean", "bigint", "boolean"]);
    assert_eq!(o.nullable, [false, false, false, false, false]);
}

#[test]
fn to_json_from_json() {
    let o = sql("SELECT to_json(named_struct('a', 1)), from_json('{\"a\":1}', 'a INT')");
    assert_eq!(o.names, ["to_json(named_struct(a, 1))", "from_json({\"a\":1})"]);
    assert_eq!(o.types, ["string", "struct<a:int>"]);
    assert_eq!(o.nullable, [true, true]);
}

#[test]
fn extract_date_part() {
    let o = sql("SELECT extract(YEAR FROM DATE '2024-05-06'), date_part('month', DATE '2024-05-06'), datepart('day', DATE '2024-05-06')");
    assert_eq!(o.names, ["extract(YEAR FROM DATE '2024-05-06')", "date_part(month, DATE '2024-05-06')", "datepart(day FROM DATE '2024-05-06')"]);
    assert_eq!(o.types, ["int", "int", "int"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn cast_names() {
    let o = sql("SELECT CAST(1 AS STRING), CAST('1' AS INT), try_cast('x' AS INT), int('5'), CAST(NULL AS DATE)");
    assert_eq!(o.names, ["CAST(1 AS STRING)", "CAST(1 AS INT)", "TRY_CAST(x AS INT)", "5", "CAST(NULL AS DATE)"]);
    assert_eq!(o.types, ["string", "int", "int", "int", "date"]);
    assert_eq!(o.nullable, [false, true, true, true, true]);
}

#[test]
fn ansi_off_cast() {
    let o = sql("SELECT CAST('x' AS INT)");
    assert_eq!(o.names, ["CAST(x AS INT)"]);
    assert_eq!(o.types, ["int"]);
    assert_eq!(o.nullable, [true]);
}

#[test]
fn typeof_names() {
    let o = sql("SELECT typeof(1), typeof(1L), typeof(1.5), typeof('a'), typeof(array(1)), typeof(NULL)");
    assert_eq!(o.names, ["typeof(1)", "typeof(1)", "typeof(1.5)", "typeof(a)", "typeof(array(1))", "typeof(NULL)"]);
    assert_eq!(o.types, ["string", "string", "string", "string", "string", "string"]);
    assert_eq!(o.nullable, [false, false, false, false, false, false]);
}

#[test]
fn current_functions() {
    let o = sql("SELECT current_database(), current_catalog(), current_timezone()");
    assert_eq!(o.names, ["current_schema()", "current_catalog()", "current_timezone()"]);
    assert_eq!(o.types, ["string", "string", "string"]);
    assert_eq!(o.nullable, [false, false, false]);
}

#[test]
fn float_int_ansi() {
    let o = sql("SELECT CAST(1 AS FLOAT) + 1, CAST(1 AS FLOAT) * CAST(1 AS TINYINT), CAST(1 AS FLOAT) + 1.5, greatest(CAST(1 AS FLOAT), 1)");
    assert_eq!(o.names, ["(CAST(1 AS FLOAT) + 1)", "(CAST(1 AS FLOAT) * CAST(1 AS TINYINT))", "(CAST(1 AS FLOAT) + 1.5)", "greatest(CAST(1 AS FLOAT), 1)"]);
    assert_eq!(o.types, ["double", "double", "double", "double"]);
    assert_eq!(o.nullable, [false, false, false, false]);
}

#[test]
fn math_binary_nullability() {
    let o = sql("SELECT pow(2, 3), hypot(3, 4), atan2(1, 2), cbrt(8), sign(-1), abs(-1)");
    assert_eq!(o.names, ["pow(2, 3)", "HYPOT(3, 4)", "ATAN2(1, 2)", "CBRT(8)", "sign(-1)", "abs(-1)"]);
    assert_eq!(o.types, ["double", "double", "double", "double", "double", "int"]);
    assert_eq!(o.nullable, [false, false, false, true, true, false]);
}

#[test]
fn cast_functions() {
    let o = sql("SELECT int(1.5), int('x'), string(1), bigint(NULL), double(1), boolean('true')");
    assert_eq!(o.names, ["1.5", "x", "1", "NULL", "1", "true"]);
    assert_eq!(o.types, ["int", "int", "string", "bigint", "double", "boolean"]);
    assert_eq!(o.nullable, [true, true, false, true, false, true]);
}

#[test]
fn greatest_all_nullable() {
    let o = sql("SELECT greatest(NULL, NULL), least(1, 2)");
    assert_eq!(o.names, ["greatest(NULL, NULL)", "least(1, 2)"]);
    assert_eq!(o.types, ["void", "int"]);
    assert_eq!(o.nullable, [true, false]);
}

#[test]
fn concat_ws_nullability() {
    let o = sql("SELECT concat_ws(NULL, 'a'), concat_ws('-', NULL, NULL)");
    assert_eq!(o.names, ["concat_ws(NULL, a)", "concat_ws(-, NULL, NULL)"]);
    assert_eq!(o.types, ["string", "string"]);
    assert_eq!(o.nullable, [true, false]);
}

#[test]
fn coalesce_nullability() {
    let o = sql("SELECT coalesce(NULL, NULL), coalesce(1, NULL), nvl(NULL, 1), ifnull(NULL, NULL)");
    assert_eq!(o.names, ["coalesce(NULL, NULL)", "coalesce(1, NULL)", "nvl(NULL, 1)", "ifnull(NULL, NULL)"]);
    assert_eq!(o.types, ["void", "int", "int", "void"]);
    assert_eq!(o.nullable, [true, false, false, true]);
}

#[test]
fn distinct_aggregate_names() {
    let o = sql("SELECT count(DISTINCT id), avg(DISTINCT id), collect_set(DISTINCT id) FROM range(3)");
    assert_eq!(o.names, ["count(DISTINCT id)", "avg(DISTINCT id)", "collect_set(DISTINCT id)"]);
    assert_eq!(o.types, ["bigint", "double", "array<bigint>"]);
    assert_eq!(o.nullable, [false, true, false]);
}

#[test]
fn string_agg_names() {
    let o = sql("SELECT string_agg(CAST(id AS STRING), '-'), listagg(DISTINCT CAST(id AS STRING)) FROM range(3)");
    assert_eq!(o.names, ["string_agg(CAST(id AS STRING), -)", "listagg(DISTINCT CAST(id AS STRING), NULL)"]);
    assert_eq!(o.types, ["string", "string"]);
    assert_eq!(o.nullable, [true, true]);
}

#[test]
fn sum_types() {
    let o = sql("SELECT sum(CAST(id AS INT)), sum(CAST(id AS DOUBLE)), sum(CAST(id AS DECIMAL(10,2))), avg(CAST(id AS DECIMAL(10,2))) FROM range(3)");
    assert_eq!(o.names, ["sum(CAST(id AS INT))", "sum(CAST(id AS DOUBLE))", "sum(CAST(id AS DECIMAL(10,2)))", "avg(CAST(id AS DECIMAL(10,2)))"]);
    assert_eq!(o.types, ["bigint", "double", "decimal(20,2)", "decimal(14,6)"]);
    assert_eq!(o.nullable, [true, true, true, true]);
}

#[test]
fn min_max_types() {
    let o = sql("SELECT min('b'), max(DATE '2024-01-01'), max(true), min(1.5)");
    assert_eq!(o.names, ["min(b)", "max(DATE '2024-01-01')", "max(true)", "min(1.5)"]);
    assert_eq!(o.types, ["string", "date", "boolean", "decimal(2,1)"]);
    assert_eq!(o.nullable, [true, true, true, true]);
}

#[test]
fn stddev_variance() {
    let o = sql("SELECT stddev(id), variance(id), var_pop(id), stddev_pop(id), corr(id, id) FROM range(3)");
    assert_eq!(o.names, ["stddev(id)", "variance(id)", "var_pop(id)", "stddev_pop(id)", "corr(id, id)"]);
    assert_eq!(o.types, ["double", "double", "double", "double", "double"]);
    assert_eq!(o.nullable, [true, true, true, true, true]);
}

#[test]
fn percentile_approx_names() {
    let o = sql("SELECT percentile_approx(id, 0.5), median(id), percentile(id, 0.5) FROM range(3)");
    assert_eq!(o.names, ["percentile_approx(id, 0.5, 10000)", "median(id)", "percentile(id, 0.5, 1)"]);
    assert_eq!(o.types, ["bigint", "double", "double"]);
    assert_eq!(o.nullable, [true, true, true]);
}

#[test]
fn array_functions() {
    let o = sql("SELECT size(array(1)), array_contains(array(1), 1), array_position(array(1), 1), sort_array(array(2, 1)), array_distinct(array(1, 1))");
    assert_eq!(o.names, ["size(array(1))", "array_contains(array(1), 1)", "array_position(array(1), 1)", "sort_array(array(2, 1), true)", "array_distinct(array(1, 1))"]);
    assert_eq!(o.types, ["int", "boolean", "bigint", "array<int>", "array<int>"]);
    assert_eq!(o.nullable, [false, false, false, false, false]);
}

#[test]
fn map_functions() {
    let o = sql("SELECT map_keys(map('a', 1)), map_values(map('a', 1)), map_entries(map('a', 1)), element_at(map('a', 1), 'a')");
    assert_eq!(o.names, ["map_keys(map(a, 1))", "map_values(map(a, 1))", "map_entries(map(a, 1))", "element_at(map(a, 1), a)"]);
    assert_eq!(o.types, ["array<string>", "array<int>", "array<struct<key:string,value:int>>", "int"]);
    assert_eq!(o.nullable, [false, false, false, true]);
}

#[test]
fn string_more() {
    let o = sql("SELECT lpad('a', 3, '-'), rpad('a', 3), repeat('ab', 2), reverse('abc'), instr('abc', 'b'), locate('b', 'abc'), replace('abc', 'b')");
    assert_eq!(o.names, ["lpad(a, 3, -)", "rpad(a, 3,  )", "repeat(ab, 2)", "reverse(abc)", "instr(abc, b)", "locate(b, abc, 1)", "replace(abc, b, )"]);
    assert_eq!(o.types, ["string", "string", "string", "string", "int", "int", "string"]);
    assert_eq!(o.nullable, [false, false, false, false, false, false, false]);
}

#[test]
fn regexp() {
    let o = sql("SELECT regexp_replace('a1b', '\\\\d', '-'), regexp_extract('a1', '(\\\\d)', 1), split('a,b', ','), regexp_like('a', 'a')");
    assert_eq!(o.names, ["regexp_replace(a1b, \\d, -, 1)", "regexp_extract(a1, (\\d), 1)", "split(a,b, ,, -1)", "REGEXP_LIKE(a, a)"]);
    assert_eq!(o.types, ["string", "string", "array<string>", "boolean"]);
    assert_eq!(o.nullable, [false, false, false, false]);
}

#[test]
fn datetime_functions() {
    let o = sql("SELECT to_date('2024-01-02'), to_timestamp('2024-01-02 03:04:05'), date_format(DATE '2024-01-02', 'yyyy'), datediff(DATE '2024-01-02', DATE '2024-01-01'), add_months(DATE '2024-01-31', 1)");
    assert_eq!(o.names, ["to_date(2024-01-02)", "to_timestamp(2024-01-02 03:04:05)", "date_format(DATE '2024-01-02', yyyy)", "datediff(DATE '2024-01-02', DATE '2024-01-01')", "add_months(DATE '2024-01-31', 1)"]);
    assert_eq!(o.types, ["date", "timestamp", "string", "int", "date"]);
    assert_eq!(o.nullable, [true, true, false, false, false]);
}

#[test]
fn datetime_fields() {
    let o = sql("SELECT hour(TIMESTAMP '2024-01-01 10:00:00'), minute(TIMESTAMP '2024-01-01 10:05:00'), dayofweek(DATE '2024-01-01'), quarter(DATE '2024-05-01'), weekofyear(DATE '2024-01-08')");
    assert_eq!(o.names, ["hour(TIMESTAMP '2024-01-01 10:00:00')", "minute(TIMESTAMP '2024-01-01 10:05:00')", "dayofweek(DATE '2024-01-01')", "quarter(DATE '2024-05-01')", "weekofyear(DATE '2024-01-08')"]);
    assert_eq!(o.types, ["int", "int", "int", "int", "int"]);
    assert_eq!(o.nullable, [false, false, false, false, false]);
}

#[test]
fn unix_time() {
    let o = sql("SELECT unix_timestamp(TIMESTAMP '2024-01-01 00:00:00'), from_unixtime(0), timestamp_seconds(1), date_trunc('MONTH', TIMESTAMP '2024-05-06 07:08:09')");
    assert_eq!(o.names, ["unix_timestamp(TIMESTAMP '2024-01-01 00:00:00', yyyy-MM-dd HH:mm:ss)", "from_unixtime(0, yyyy-MM-dd HH:mm:ss)", "timestamp_seconds(1)", "date_trunc(MONTH, TIMESTAMP '2024-05-06 07:08:09')"]);
    assert_eq!(o.types, ["bigint", "string", "timestamp", "timestamp"]);
    assert_eq!(o.nullable, [false, true, false, true]);
}

#[test]
fn hash_functions() {
    let o = sql("SELECT hash(1), xxhash64(1), md5('a'), sha2('a', 256), crc32('a')");
    assert_eq!(o.names, ["hash(1)", "xxhash64(1)", "md5(a)", "sha2(a, 256)", "crc32(a)"]);
    assert_eq!(o.types, ["int", "bigint", "string", "string", "bigint"]);
    assert_eq!(o.nullable, [false, false, false, true, false]);
}

#[test]
fn json_functions() {
    let o = sql("SELECT get_json_object('{\"a\":1}', '$.a'), json_array_length('[1]'), schema_of_json('{\"a\":1}')");
    assert_eq!(o.names, ["get_json_object({\"a\":1}, $.a)", "json_array_length([1])", "schema_of_json({\"a\":1})"]);
    assert_eq!(o.types, ["string", "int", "string"]);
    assert_eq!(o.nullable, [true, true, false]);
}

#[test]
fn boolean_aggregates() {
    let o = sql("SELECT bool_and(id > 0), bool_or(id > 0), every(id >= 0), some(id > 1), count_if(id > 0) FROM range(3)");
    assert_eq!(o.names, ["bool_and((id > 0))", "bool_or((id > 0))", "every((id >= 0))", "some((id > 1))", "count_if((id > 0))"]);
    assert_eq!(o.types, ["boolean", "boolean", "boolean", "boolean", "bigint"]);
    assert_eq!(o.nullable, [true, true, true, true, false]);
}

#[test]
fn bit_functions() {
    let o = sql("SELECT bit_and(id), bit_or(id), bit_xor(id), bit_count(5), shiftrightunsigned(-1, 60) FROM range(3)");
    assert_eq!(o.names, ["bit_and(id)", "bit_or(id)", "bit_xor(id)", "bit_count(5)", "shiftrightunsigned(-1, 60)"]);
    assert_eq!(o.types, ["bigint", "bigint", "bigint", "int", "int"]);
    assert_eq!(o.nullable, [true, true, true, false, false]);
}

#[test]
fn wrong_arity_variadic() {
    assert_eq!(sql_error("SELECT coalesce()"), "WRONG_NUM_ARGS.WITHOUT_SUGGESTION");
}

#[test]
fn type_mismatch_string_function() {
    assert_eq!(sql_error("SELECT upper(array(1))"), "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE");
}

#[test]
fn in_list_widens() {
    let o = sql("SELECT 1 IN (1.5, 2), 'a' IN ('a', NULL)");
    assert_eq!(o.names, ["(1 IN (1.5, 2))", "(a IN (a, NULL))"]);
    assert_eq!(o.types, ["boolean", "boolean"]);
    assert_eq!(o.nullable, [false, true]);
}

#[test]
fn between_mixed() {
    let o = sql("SELECT 2 BETWEEN 1 AND 2.5");
    assert_eq!(o.names, ["between(2, 1, 2.5)"]);
    assert_eq!(o.types, ["boolean"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn if_branch_types() {
    let o = sql("SELECT if(true, 1, 'a'), if(true, DATE '2024-01-01', NULL)");
    assert_eq!(o.names, ["(IF(true, 1, a))", "(IF(true, DATE '2024-01-01', NULL))"]);
    assert_eq!(o.types, ["bigint", "date"]);
    assert_eq!(o.nullable, [true, true]);
}
