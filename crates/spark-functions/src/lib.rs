//! The Spark function library: one registry from Spark function names (and
//! aliases) to implementations, shared by the DataFrame and SQL paths.
//!
//! Implementations come from DataFusion and `datafusion-spark` where they match
//! Spark, and from this crate where they do not (see `arithmetic`).

pub mod arithmetic;
pub mod binary_fns;
pub mod datetime_format;
pub mod datetime_fns;
pub mod decimal;
pub mod error;
pub mod regex_fns;
pub mod interval_fns;
pub mod json_fns;
pub mod lambda;
pub mod misc;
pub mod murmur_hash;
pub mod number_format;
pub mod random;
pub mod registry;
pub mod string_fns;
pub mod rounding;
pub mod text_metrics;
pub mod time_zone;

pub use registry::{FunctionKind, FunctionRegistry};

/// A kernel's result as DataFusion wants it: a scalar when every input was
/// a scalar (so constant folding keeps working), else the array.
pub(crate) fn columnar(
    out: datafusion::arrow::array::ArrayRef,
    scalar: bool,
) -> datafusion::common::Result<datafusion::logical_expr::ColumnarValue> {
    use datafusion::logical_expr::ColumnarValue;
    if scalar {
        return Ok(ColumnarValue::Scalar(datafusion::common::ScalarValue::try_from_array(&out, 0)?));
    }
    Ok(ColumnarValue::Array(out))
}
