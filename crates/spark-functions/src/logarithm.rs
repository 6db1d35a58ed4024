//! Spark's logarithms: `ln`, `log10`, `log2`, `log1p` and `log(base, x)`
//! are NULL outside their domain (`x <= 0`, `x <= -1` for `log1p`, a base
//! `<= 0`), where DataFusion gives -Infinity or NaN.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Log {
    Ln,
    Log10,
    Log2,
    Log1p,
    /// `log(base, x)`.
    WithBase,
}

impl Log {
    fn apply(self, base: f64, x: f64) -> Option<f64> {
        match self {
            Log::Ln if x > 0.0 => Some(x.ln()),
            Log::Log10 if x > 0.0 => Some(x.log10()),
            Log::Log2 if x > 0.0 => Some(x.log2()),
            Log::Log1p if x > -1.0 => Some(x.ln_1p()),
            Log::WithBase if base > 0.0 && x > 0.0 => Some(x.ln() / base.ln()),
            _ => None,
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkLog {
    signature: Signature,
    kind: Log,
}

impl SparkLog {
    pub fn udf(kind: Log) -> Arc<ScalarUDF> {
        let arity = if kind == Log::WithBase { 2 } else { 1 };
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::exact(vec![DataType::Float64; arity], Volatility::Immutable), kind }))
    }
}

impl ScalarUDFImpl for SparkLog {
    fn name(&self) -> &str {
        match self.kind {
            Log::Ln => "spark_ln",
            Log::Log10 => "spark_log10",
            Log::Log2 => "spark_log2",
            Log::Log1p => "spark_log1p",
            Log::WithBase => "spark_log",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let doubles: Vec<&datafusion::arrow::array::PrimitiveArray<Float64Type>> = arrays.iter().filter_map(|a| a.as_primitive_opt::<Float64Type>()).collect();
        let out: Float64Array = match (self.kind, doubles.as_slice()) {
            (Log::WithBase, [base, x]) => (0..x.len())
                .map(|i| if base.is_null(i) || x.is_null(i) { None } else { self.kind.apply(base.value(i), x.value(i)) })
                .collect(),
            (_, [x]) => (0..x.len()).map(|i| if x.is_null(i) { None } else { self.kind.apply(0.0, x.value(i)) }).collect(),
            _ => return exec_err!("{} expects DOUBLE arguments", self.name()),
        };
        crate::columnar(Arc::new(out) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_outside_the_domain() {
        assert_eq!(Log::Ln.apply(0.0, 0.0), None);
        assert_eq!(Log::Ln.apply(0.0, -1.0), None);
        assert_eq!(Log::Log1p.apply(0.0, -1.0), None);
        assert_eq!(Log::Log1p.apply(0.0, 0.0), Some(0.0));
        assert_eq!(Log::WithBase.apply(10.0, 100.0), Some(2.0));
        assert_eq!(Log::WithBase.apply(1.0, 10.0), Some(f64::INFINITY));
        assert_eq!(Log::WithBase.apply(0.0, 10.0), None);
        assert_eq!(Log::Log2.apply(0.0, 8.0), Some(3.0));
    }
}
