//! `counter_diff(value[, start_time]) OVER (... ORDER BY ...)`: the
//! increase of a cumulative counter since the previous non-NULL value in
//! the window's order. NULL for the first value, after a reset (a value
//! below the previous one, NaN counting as the greatest), and where the
//! start time changed (when both are known); rows with a NULL value are
//! skipped. A negative value is COUNTER_DIFF_NEGATIVE_COUNTER_VALUE.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{PartitionEvaluatorArgs, WindowUDFFieldArgs};
use datafusion::logical_expr::{PartitionEvaluator, Signature, Volatility, WindowUDF, WindowUDFImpl};

use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::value_text::{TextStyle, value_text};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CounterDiff {
    signature: Signature,
}

impl CounterDiff {
    pub fn udwf() -> Arc<WindowUDF> {
        Arc::new(WindowUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable) }))
    }
}

impl WindowUDFImpl for CounterDiff {
    fn name(&self) -> &str {
        "counter_diff"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn partition_evaluator(&self, _: PartitionEvaluatorArgs) -> Result<Box<dyn PartitionEvaluator>> {
        Ok(Box::new(CounterDiffEvaluator))
    }

    fn field(&self, args: WindowUDFFieldArgs) -> Result<FieldRef> {
        let t = args.input_fields().first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(Arc::new(Field::new(args.name(), t, true)))
    }
}

#[derive(Debug)]
struct CounterDiffEvaluator;

/// Spark's ordering of two numbers of one type (NaN greatest).
fn compare(a: &ScalarValue, b: &ScalarValue) -> Option<Ordering> {
    match (a, b) {
        (ScalarValue::Float64(Some(x)), ScalarValue::Float64(Some(y))) => Some(nan_last(*x, *y)),
        (ScalarValue::Float32(Some(x)), ScalarValue::Float32(Some(y))) => Some(nan_last(f64::from(*x), f64::from(*y))),
        _ => a.partial_cmp(b),
    }
}

fn nan_last(x: f64, y: f64) -> Ordering {
    match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
    }
}

fn negative(a: &dyn Array, row: usize) -> SparkRuntimeError {
    let shown = value_text(a, row, "UTC", TextStyle::Cast);
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "COUNTER_DIFF_NEGATIVE_COUNTER_VALUE",
        "22003",
        format!("A negative counter value {shown} was provided to function `counter_diff`. Negative counter values are not allowed."),
    )
    .param("value", shown)
    .param("functionName", "`counter_diff`")
}

impl PartitionEvaluator for CounterDiffEvaluator {
    fn evaluate_all(&mut self, values: &[ArrayRef], num_rows: usize) -> Result<ArrayRef> {
        let counter = &values[0];
        let start = values.get(1);
        let zero = ScalarValue::new_zero(counter.data_type())?;
        let null = ScalarValue::try_from(counter.data_type())?;
        let mut previous: Option<(ScalarValue, Option<ScalarValue>)> = None;
        let mut out = Vec::with_capacity(num_rows);
        for row in 0..num_rows {
            if counter.is_null(row) {
                out.push(null.clone());
                continue;
            }
            let v = ScalarValue::try_from_array(counter, row)?;
            if compare(&v, &zero) == Some(Ordering::Less) {
                return Err(negative(counter.as_ref(), row).into_df());
            }
            let s = match start {
                Some(s) if !s.is_null(row) => Some(ScalarValue::try_from_array(s, row)?),
                _ => None,
            };
            let diff = match &previous {
                None => null.clone(),
                Some((p, ps)) => {
                    let restarted = matches!((ps, &s), (Some(a), Some(b)) if a != b);
                    if restarted || compare(&v, p) == Some(Ordering::Less) { null.clone() } else { v.sub(p)? }
                }
            };
            out.push(diff);
            previous = Some((v, s));
        }
        if out.is_empty() {
            return Ok(datafusion::arrow::array::new_null_array(counter.data_type(), 0));
        }
        ScalarValue::iter_to_array(out)
    }
}
