//! Dates as Spark stores them: days since 1970-01-01 (Arrow's `Date32`).

use chrono::NaiveDate;

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// The date `days` after the epoch, if chrono can hold it.
pub fn date_of(days: i64) -> Option<NaiveDate> {
    epoch().checked_add_signed(chrono::Duration::days(days))
}

/// The days since the epoch of `date`.
pub fn days_of(date: NaiveDate) -> i64 {
    (date - epoch()).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(date_of(0), NaiveDate::from_ymd_opt(1970, 1, 1));
        assert_eq!(date_of(-1), NaiveDate::from_ymd_opt(1969, 12, 31));
        assert_eq!(date_of(17532).map(days_of), Some(17532));
    }
}
