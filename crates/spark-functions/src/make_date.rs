//! `make_date(year, month, day)`: an invalid date is NULL, or under ANSI
//! mode Spark's `DATETIME_FIELD_OUT_OF_BOUNDS` with java.time's message.

use std::sync::Arc;

use chrono::NaiveDate;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Array};
use datafusion::arrow::datatypes::{DataType, Int32Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

const MONTHS: [&str; 12] =
    ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"];

/// The date, or java.time's words for why there is none.
pub fn make_date(year: i32, month: i32, day: i32) -> Result<NaiveDate, String> {
    if !(-999_999_999..=999_999_999).contains(&year) {
        return Err(format!("Invalid value for Year (valid values -999999999 - 999999999): {year}"));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("Invalid value for MonthOfYear (valid values 1 - 12): {month}"));
    }
    if !(1..=31).contains(&day) {
        return Err(format!("Invalid value for DayOfMonth (valid values 1 - 28/31): {day}"));
    }
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).ok_or_else(|| {
        let name = MONTHS[(month - 1) as usize];
        if month == 2 && day == 29 {
            format!("Invalid date 'February 29' as '{year}' is not a leap year")
        } else {
            format!("Invalid date '{name} {day}'")
        }
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMakeDate {
    signature: Signature,
    ansi: bool,
}

impl SparkMakeDate {
    pub fn udf(ansi: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::exact(vec![DataType::Int32; 3], Volatility::Immutable), ansi }))
    }
}

fn out_of_bounds(message: String) -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(RuntimeKind::DateTime, "DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION", "22023", format!("{message}. "))
        .param("rangeMessage", message)
        .into_df()
}

impl ScalarUDFImpl for SparkMakeDate {
    fn name(&self) -> &str {
        "spark_make_date"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Date32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let [y, m, d] = arrays.as_slice() else { return exec_err!("make_date expects three arguments") };
        let (y, m, d) = (y.as_primitive::<Int32Type>(), m.as_primitive::<Int32Type>(), d.as_primitive::<Int32Type>());
        let mut out = Vec::with_capacity(y.len());
        for i in 0..y.len() {
            if y.is_null(i) || m.is_null(i) || d.is_null(i) {
                out.push(None);
                continue;
            }
            match make_date(y.value(i), m.value(i), d.value(i)) {
                Ok(date) => out.push(i32::try_from(crate::epoch_days::days_of(date)).ok()),
                Err(message) if self.ansi => return Err(out_of_bounds(message)),
                Err(_) => out.push(None),
            }
        }
        crate::columnar(Arc::new(Date32Array::from(out)) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_time_messages() {
        assert!(make_date(2024, 2, 29).is_ok());
        assert_eq!(make_date(2024, 2, 30).err().as_deref(), Some("Invalid date 'FEBRUARY 30'"));
        assert_eq!(make_date(2023, 2, 29).err().as_deref(), Some("Invalid date 'February 29' as '2023' is not a leap year"));
        assert_eq!(make_date(2024, 13, 1).err().as_deref(), Some("Invalid value for MonthOfYear (valid values 1 - 12): 13"));
    }
}
