//! Spark keeps ORC's dates and timestamps in the hybrid Julian/Gregorian
//! calendar of `java.sql.Date` (files say `JULIAN_GREGORIAN`), while its
//! own values are proleptic Gregorian: before 1582-10-15 a value is
//! rebased by keeping its local date (year, month, day) across calendars.
//! Later values are the same in both. Timestamps rebase their UTC date.

/// The Julian Day Number of 1970-01-01.
const UNIX_EPOCH_JDN: i64 = 2_440_588;
/// The first Gregorian day of the hybrid calendar, 1582-10-15.
const GREGORIAN_START_JDN: i64 = 2_299_161;
const MICROS_PER_DAY: i64 = 86_400_000_000;

/// The first day (days since 1970) that needs no rebasing.
pub const FIRST_UNCHANGED_DAY: i64 = GREGORIAN_START_JDN - UNIX_EPOCH_JDN;

fn julian_jdn(y: i64, m: i64, d: i64) -> i64 {
    let a = (14 - m).div_euclid(12);
    let (y, m) = (y + 4800 - a, m + 12 * a - 3);
    d + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - 32083
}

fn gregorian_jdn(y: i64, m: i64, d: i64) -> i64 {
    let a = (14 - m).div_euclid(12);
    let (y, m) = (y + 4800 - a, m + 12 * a - 3);
    d + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) - 32045
}

fn julian_date(jdn: i64) -> (i64, i64, i64) {
    let c = jdn + 32082;
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    (d - 4800 + m.div_euclid(10), m + 3 - 12 * m.div_euclid(10), e - (153 * m + 2).div_euclid(5) + 1)
}

fn gregorian_date(jdn: i64) -> (i64, i64, i64) {
    let a = jdn + 32044;
    let b = (4 * a + 3).div_euclid(146_097);
    let c = a - (146_097 * b).div_euclid(4);
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    (100 * b + d - 4800 + m.div_euclid(10), m + 3 - 12 * m.div_euclid(10), e - (153 * m + 2).div_euclid(5) + 1)
}

/// A day of the hybrid calendar as a proleptic Gregorian day (reading).
pub fn hybrid_to_gregorian_days(days: i64) -> i64 {
    if days >= FIRST_UNCHANGED_DAY {
        return days;
    }
    let (y, m, d) = julian_date(days + UNIX_EPOCH_JDN);
    gregorian_jdn(y, m, d) - UNIX_EPOCH_JDN
}

/// A proleptic Gregorian day as a day of the hybrid calendar (writing);
/// the ten days the switch skipped become 1582-10-15, as in Spark.
pub fn gregorian_to_hybrid_days(days: i64) -> i64 {
    if days >= FIRST_UNCHANGED_DAY {
        return days;
    }
    let (y, m, d) = gregorian_date(days + UNIX_EPOCH_JDN);
    if (y, m) == (1582, 10) && d >= 5 {
        return FIRST_UNCHANGED_DAY;
    }
    julian_jdn(y, m, d) - UNIX_EPOCH_JDN
}

fn rebase_micros(micros: i64, days: fn(i64) -> i64) -> i64 {
    let (day, time) = (micros.div_euclid(MICROS_PER_DAY), micros.rem_euclid(MICROS_PER_DAY));
    if day >= FIRST_UNCHANGED_DAY { micros } else { days(day) * MICROS_PER_DAY + time }
}

pub fn hybrid_to_gregorian_micros(micros: i64) -> i64 {
    rebase_micros(micros, hybrid_to_gregorian_days)
}

pub fn gregorian_to_hybrid_micros(micros: i64) -> i64 {
    rebase_micros(micros, gregorian_to_hybrid_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebases_before_1582() {
        // 0001-01-01 is day -719162 proleptic and -719164 in the hybrid calendar.
        assert_eq!(gregorian_to_hybrid_days(-719_162), -719_164);
        assert_eq!(hybrid_to_gregorian_days(-719_164), -719_162);
        // 1582-10-15 and later are the same; 1582-10-04 (hybrid) is the day before.
        assert_eq!(gregorian_to_hybrid_days(FIRST_UNCHANGED_DAY), FIRST_UNCHANGED_DAY);
        assert_eq!(hybrid_to_gregorian_days(FIRST_UNCHANGED_DAY - 1), FIRST_UNCHANGED_DAY - 11);
        assert_eq!(gregorian_to_hybrid_days(FIRST_UNCHANGED_DAY - 3), FIRST_UNCHANGED_DAY);
        assert_eq!(gregorian_to_hybrid_days(19_000), 19_000);
        for day in (-800_000..FIRST_UNCHANGED_DAY - 10).step_by(997) {
            assert_eq!(hybrid_to_gregorian_days(gregorian_to_hybrid_days(day)), day);
        }
        assert_eq!(hybrid_to_gregorian_micros(-719_164 * MICROS_PER_DAY + 5), -719_162 * MICROS_PER_DAY + 5);
    }
}
