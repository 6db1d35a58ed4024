"""Differential cases: the `intervals` group. ANSI intervals in arithmetic
and numeric functions (issue 19): multiplication and division by numbers
(exact, rounded, by zero, overflow), `try_*` forms, `div`, `abs`, `sign`,
averages and percentiles, and VALUES columns mixing intervals and NULLs.
The pyspark client cannot collect year-month intervals, so those cases
read them as strings."""

from . import c, q

_SECONDS = "FROM VALUES (1, INTERVAL '1' SECOND), (1, INTERVAL '4' SECOND), (2, INTERVAL '-3' SECOND), (2, NULL), (3, NULL) AS tab(k, col)"
_DAY_TIME = "FROM VALUES (INTERVAL '-1 02:03:04.5' DAY TO SECOND), (NULL), (INTERVAL '0' SECOND), (INTERVAL '3' HOUR) AS tab(col)"

INTERVALS = [
    q("multiply_day_time", "SELECT INTERVAL '2' SECOND * 3, INTERVAL '3' SECOND * 1.5, 3 * INTERVAL '2' HOUR, 1.5D * INTERVAL '2' HOUR"),
    q("divide_day_time", "SELECT INTERVAL '3' SECOND / 2, INTERVAL '-3' SECOND / 2, INTERVAL '1' DAY / 7, INTERVAL '1' SECOND / 3D"),
    q("multiply_rounding", "SELECT INTERVAL '-3' SECOND * 0.5D, INTERVAL '3' SECOND * 0.5D, INTERVAL '1' SECOND * 0.0000001D"),
    q("divide_by_zero", "SELECT INTERVAL '1' SECOND / 0"),
    q("divide_by_zero_double", "SELECT INTERVAL '1' SECOND / 0D"),
    q("divide_year_month_by_zero", "SELECT INTERVAL '1' MONTH / 0"),
    q("multiply_year_month", "SELECT CAST(INTERVAL '1' MONTH * 2 AS STRING), CAST(INTERVAL '-3' MONTH * 0.5D AS STRING), CAST(INTERVAL '3' MONTH / 2 AS STRING), CAST(INTERVAL '-3' MONTH / 2 AS STRING), CAST(INTERVAL '1-1' YEAR TO MONTH / 3D AS STRING)"),
    q("try_divide_and_multiply", "SELECT try_divide(INTERVAL '1' SECOND, 0), try_divide(INTERVAL '2' SECOND, 4), try_multiply(INTERVAL '2' SECOND, 9223372036854775807), try_multiply(INTERVAL '2' SECOND, 3)"),
    q("try_year_month", "SELECT CAST(try_multiply(INTERVAL 2 YEAR, 3) AS STRING), CAST(try_divide(INTERVAL 2 MONTH, 0) AS STRING), CAST(try_multiply(INTERVAL '178956970' YEAR, 2) AS STRING)"),
    q("div_intervals", "SELECT INTERVAL '1-1' YEAR TO MONTH div INTERVAL '-1' MONTH, INTERVAL '1 02:00:00' DAY TO SECOND div INTERVAL '1' HOUR"),
    q("abs_and_sign", f"SELECT abs(col), sign(col), signum(col) {_DAY_TIME}"),
    q("sign_year_month", "SELECT sign(INTERVAL -'100' YEAR), sign(INTERVAL '0' MONTH)"),
    q("abs_year_month", "SELECT CAST(abs(INTERVAL -'1-1' YEAR TO MONTH) AS STRING), CAST(abs(INTERVAL '-2-0' YEAR TO MONTH) AS STRING)"),
    q("average_rounds_half_up", "SELECT avg(col), try_avg(col) FROM VALUES (INTERVAL '-1' SECOND), (INTERVAL '-2' SECOND), (INTERVAL '-2' SECOND), (NULL) AS tab(col)"),
    q("average_positive", "SELECT avg(col) FROM VALUES (INTERVAL '1' SECOND), (INTERVAL '2' SECOND), (INTERVAL '2' SECOND) AS tab(col)"),
    q("average_of_nulls", "SELECT avg(col), try_avg(col) FROM VALUES (CAST(NULL AS INTERVAL SECOND)) AS tab(col)"),
    q("average_grouped", f"SELECT k, avg(col) {_SECONDS} GROUP BY k"),
    q("average_year_month", "SELECT CAST(avg(col) AS STRING), CAST(try_avg(col) AS STRING) FROM VALUES (INTERVAL '1' MONTH), (INTERVAL '2' MONTH), (INTERVAL '2' MONTH) AS tab(col)"),
    q("percentiles_grouped", f"SELECT k, median(col), percentile(col, 0.25), percentile_cont(0.5) WITHIN GROUP (ORDER BY col), percentile_disc(0.5) WITHIN GROUP (ORDER BY col DESC) {_SECONDS} GROUP BY k"),
    q("median_year_month", "SELECT CAST(median(col) AS STRING), CAST(percentile(col, 0.3) AS STRING) FROM VALUES (INTERVAL '0' MONTH), (INTERVAL '10' MONTH), (INTERVAL '1' YEAR) AS tab(col)"),
    q("sum_keeps_fields", "SELECT avg(col), sum(col), try_sum(col) FROM VALUES (INTERVAL '1' SECOND), (INTERVAL '2' SECOND), (INTERVAL '2' SECOND) AS tab(col)"),
    q("sum_grouped", "SELECT k, sum(col) FROM VALUES (1, INTERVAL '1' HOUR), (1, INTERVAL '2' HOUR), (2, NULL) AS tab(k, col) GROUP BY k"),
    q("sum_and_abs_year_month", "SELECT CAST(sum(col) AS STRING), CAST(abs(col2) AS STRING) FROM VALUES (INTERVAL '1' MONTH, INTERVAL '-2' MONTH), (INTERVAL '13' MONTH, INTERVAL '-2' MONTH) AS tab(col, col2)"),
    q("abs_keeps_fields", "SELECT abs(INTERVAL '-3' MINUTE), abs(col) FROM VALUES (INTERVAL '-1 02' DAY TO HOUR) AS t(col)"),
    q("try_sum_overflow", "SELECT try_sum(col) FROM VALUES (INTERVAL '106751991' DAY), (INTERVAL '106751991' DAY) AS t(col)"),
    q("sum_overflow", "SELECT sum(col) FROM VALUES (INTERVAL '106751991' DAY), (INTERVAL '106751991' DAY) AS t(col)"),
    q("average_overflow", "SELECT avg(col) FROM VALUES (INTERVAL '106751991' DAY), (INTERVAL '106751991' DAY) AS t(col)"),
    q("year_month_sum_overflow", "SELECT sum(col) FROM VALUES (INTERVAL '178956970' YEAR), (INTERVAL '178956970' YEAR) AS t(col)"),
    q("year_month_try_average_overflow", "SELECT CAST(try_avg(col) AS STRING), CAST(try_sum(col) AS STRING) FROM VALUES (INTERVAL '178956970' YEAR), (INTERVAL '178956970' YEAR) AS t(col)"),
    q("sum_of_null_interval", "SELECT sum(col) FROM VALUES (CAST(NULL AS INTERVAL SECOND)) AS t(col)"),
    q("values_interval_with_null", "SELECT col FROM VALUES (INTERVAL '-1' SECOND), (NULL) AS tab(col)"),
    q("values_mixed_interval_fields", "SELECT col FROM VALUES (INTERVAL '1' SECOND), (INTERVAL '1' HOUR) AS tab(col)"),
    # Interval arithmetic keeps the operands' fields; show() prints them.
    q("interval_arithmetic_fields", "SELECT typeof(INTERVAL 1 HOUR + INTERVAL 30 MINUTES), typeof(INTERVAL 1 DAY - INTERVAL 2 HOURS), typeof(INTERVAL 1 YEAR + INTERVAL 2 MONTHS), typeof(-INTERVAL 3 HOURS), typeof(INTERVAL 3 HOURS / 2), CAST(INTERVAL 1 HOUR + INTERVAL 30 MINUTES AS STRING), CAST(-INTERVAL 3 HOURS AS STRING)"),
    c("show_interval_fields", "show: spark.sql(\"SELECT INTERVAL '1-2' YEAR TO MONTH a, INTERVAL '1 02:03:04.5' DAY TO SECOND b, INTERVAL 3 HOURS c, INTERVAL 1 HOUR + INTERVAL 30 MINUTES d, INTERVAL 5 MONTHS e\")"),
    q("interval_single_unit_types", "SELECT typeof(INTERVAL 3 HOURS), typeof(INTERVAL 1 DAY 2 HOURS), typeof(INTERVAL 2 MINUTES 3 SECONDS), typeof(INTERVAL 1 YEAR 2 MONTHS), typeof(INTERVAL 1.5 SECONDS), CAST(INTERVAL 90 MINUTES AS STRING), CAST(INTERVAL 36 HOURS AS STRING)"),
]
