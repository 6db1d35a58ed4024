//! `next_day(date, dayOfWeek)`: the first date after `date` that falls on
//! the named day (`MO`, `MON`, `MONDAY`, any case, nothing else). Another
//! name is NULL, or under ANSI mode Spark's `ILLEGAL_DAY_OF_WEEK`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Array};
use datafusion::arrow::datatypes::{DataType, Date32Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// Days since Monday (0..7) of a day name as Spark reads it.
pub fn day_of_week(name: &str) -> Option<i64> {
    const DAYS: [[&str; 3]; 7] = [
        ["MO", "MON", "MONDAY"],
        ["TU", "TUE", "TUESDAY"],
        ["WE", "WED", "WEDNESDAY"],
        ["TH", "THU", "THURSDAY"],
        ["FR", "FRI", "FRIDAY"],
        ["SA", "SAT", "SATURDAY"],
        ["SU", "SUN", "SUNDAY"],
    ];
    let upper = name.to_uppercase();
    DAYS.iter().position(|names| names.contains(&upper.as_str())).map(|d| d as i64)
}

/// The first date after `epoch_day` on day-of-week `target` (0 = Monday).
pub fn next_day(epoch_day: i64, target: i64) -> i64 {
    // 1970-01-01 was a Thursday (3 days after Monday).
    let today = (epoch_day + 3).rem_euclid(7);
    let ahead = (target - today).rem_euclid(7);
    epoch_day + if ahead == 0 { 7 } else { ahead }
}

fn illegal_day(name: &str) -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(RuntimeKind::IllegalArgument, "ILLEGAL_DAY_OF_WEEK", "22009", format!("Illegal input for day of week: {name}."))
        .param("string", name)
        .into_df()
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkNextDay {
    signature: Signature,
    ansi: bool,
}

impl SparkNextDay {
    pub fn udf(ansi: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::exact(vec![DataType::Date32, DataType::Utf8], Volatility::Immutable), ansi }))
    }
}

impl ScalarUDFImpl for SparkNextDay {
    fn name(&self) -> &str {
        "spark_next_day"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Date32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let [dates, names] = arrays.as_slice() else { return exec_err!("next_day expects two arguments") };
        let (dates, names) = (dates.as_primitive::<Date32Type>(), names.as_string::<i32>());
        let mut out = Vec::with_capacity(dates.len());
        for i in 0..dates.len() {
            if dates.is_null(i) || names.is_null(i) {
                out.push(None);
                continue;
            }
            match day_of_week(names.value(i)) {
                Some(target) => out.push(i32::try_from(next_day(i64::from(dates.value(i)), target)).ok()),
                None if self.ansi => return Err(illegal_day(names.value(i))),
                None => out.push(None),
            }
        }
        crate::columnar(Arc::new(Date32Array::from(out)) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_spark_day_names_and_steps_forward() {
        assert_eq!(day_of_week("mo"), Some(0));
        assert_eq!(day_of_week("Sunday"), Some(6));
        assert_eq!(day_of_week(" MO"), None);
        assert_eq!(day_of_week("xx"), None);
        // 2020-01-01 (day 18262) was a Wednesday: next Monday is 2020-01-06,
        // next Wednesday a week later.
        assert_eq!(next_day(18262, 0), 18267);
        assert_eq!(next_day(18262, 2), 18269);
        assert_eq!(next_day(-1, 3), 0);
    }
}
