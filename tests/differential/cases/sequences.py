"""Differential cases: the `sequences` group. `sequence` of integers, dates
and timestamps (issue 19): default steps up and down, year-month steps
added to the start (month ends clamp), day-time steps, mixed date and
timestamp bounds, NULLs, and the errors for steps leading away from stop,
zero steps, hour steps over dates and non-interval steps over dates."""

from . import q

SEQUENCES = [
    q("integers", "SELECT sequence(1, 5), sequence(5, 1), sequence(1, 10, 3), sequence(10, 1, -4), sequence(1L, 3), sequence(3, 3, 0)"),
    q("integer_nulls", "SELECT sequence(CAST(NULL AS INT), 3), sequence(1, 3, CAST(NULL AS INT))"),
    q("integer_rows", "SELECT a, b, s, sequence(a, b, s) FROM VALUES (1, 4, 1), (4, 1, -2), (NULL, 1, 1) AS t(a, b, s)"),
    q("integer_zero_step", "SELECT sequence(1, 5, 0)"),
    q("integer_wrong_direction", "SELECT sequence(5, 1, 1)"),
    q("dates_by_month", "SELECT sequence(to_date('2018-01-01'), to_date('2018-03-01'), interval 1 month), sequence(DATE'2018-01-31', DATE'2018-05-01', INTERVAL 1 MONTH), sequence(DATE'2018-03-01', DATE'2018-01-01', INTERVAL -1 MONTH)"),
    q("dates_by_year_to_month", "SELECT sequence(to_date('2018-01-01'), to_date('2018-03-01'), interval '0-1' year to month)"),
    q("dates_default_step", "SELECT sequence(DATE'2018-01-01', DATE'2018-01-05'), sequence(DATE'2018-01-05', DATE'2018-01-01')"),
    q("dates_by_days", "SELECT sequence(DATE'2018-01-01', DATE'2018-01-10', INTERVAL 3 DAY), sequence(DATE'2018-01-01', DATE'2018-01-02', INTERVAL '1 12' DAY TO HOUR)"),
    q("dates_by_hours", "SELECT sequence(DATE'2018-01-01', DATE'2018-01-10', INTERVAL 3 HOUR)"),
    q("dates_wrong_direction", "SELECT sequence(DATE'2018-01-05', DATE'2018-01-01', INTERVAL 1 DAY)"),
    q("date_rows", "SELECT d, sequence(d, DATE'2018-01-03') FROM VALUES (DATE'2018-01-01'), (DATE'2018-01-05'), (NULL) AS t(d)"),
    q("timestamps", "SELECT sequence(TIMESTAMP'2018-01-01 00:00:00', TIMESTAMP'2018-01-01 02:00:00', INTERVAL 30 MINUTE), sequence(TIMESTAMP'2018-01-31 10:00:00', TIMESTAMP'2018-04-01 00:00:00', INTERVAL '1' MONTH)"),
    q("timestamp_ntz_and_default_step", "SELECT sequence(TIMESTAMP_NTZ'2018-01-01 00:00:00', TIMESTAMP_NTZ'2018-01-02 00:00:00', INTERVAL 12 HOUR), sequence(TIMESTAMP'2018-01-01 00:00:00', TIMESTAMP'2018-01-03 00:00:00')"),
    q("date_and_timestamp", "SELECT sequence(DATE'2018-01-01', TIMESTAMP'2018-01-02 00:00:00', INTERVAL 12 HOUR)"),
    q("temporal_nulls", "SELECT sequence(DATE'2018-01-01', NULL, INTERVAL 1 DAY), sequence(DATE'2018-01-01', DATE'2018-01-02', CAST(NULL AS INTERVAL DAY))"),
    q("date_with_integer_step", "SELECT sequence(DATE'2018-01-01', DATE'2018-01-02', 1)"),
]
