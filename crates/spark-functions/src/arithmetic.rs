//! Spark arithmetic that DataFusion does differently: `/` always divides as
//! fractional numbers and, under ANSI mode, raises `DIVIDE_BY_ZERO` instead of
//! returning infinity; without ANSI mode a zero divisor gives NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Float64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result, ScalarValue, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkDivide {
    signature: Signature,
    ansi: bool,
}

impl SparkDivide {
    pub fn udf(ansi: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            signature: Signature::exact(vec![DataType::Float64, DataType::Float64], Volatility::Immutable),
            ansi,
        }))
    }
}

impl ScalarUDFImpl for SparkDivide {
    fn name(&self) -> &str {
        if self.ansi { "spark_divide_ansi" } else { "spark_divide" }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let [l, r] = args.args.as_slice() else {
            return exec_err!("divide takes two arguments");
        };
        let l = l.to_array(n)?;
        let r = r.to_array(n)?;
        let (Some(l), Some(r)) = (
            l.as_any().downcast_ref::<Float64Array>(),
            r.as_any().downcast_ref::<Float64Array>(),
        ) else {
            return exec_err!("divide expects DOUBLE arguments");
        };
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            if l.is_null(i) || r.is_null(i) {
                out.push(None);
                continue;
            }
            let d = r.value(i);
            if d == 0.0 {
                if self.ansi {
                    return Err(crate::error::divide_by_zero());
                }
                out.push(None);
                continue;
            }
            out.push(Some(l.value(i) / d));
        }
        let arr: ArrayRef = Arc::new(Float64Array::from(out));
        if arr.len() == 1 && args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_))) {
            return Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&arr, 0)?));
        }
        Ok(ColumnarValue::Array(arr))
    }
}

/// Integer `+`, `-`, `*`, `%` and `div` with Spark's overflow rules: under
/// ANSI mode an overflow raises `ARITHMETIC_OVERFLOW` and a zero divisor
/// `DIVIDE_BY_ZERO`; otherwise (and for the `try_` functions) both give NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntOp {
    Add,
    Subtract,
    Multiply,
    Remainder,
    /// `div`: integral division, BIGINT.
    Div,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkIntArith {
    signature: Signature,
    op: IntOp,
    fail: bool,
    /// The name of the `try_` function to suggest in the error.
    suggestion: &'static str,
}

impl SparkIntArith {
    pub fn udf(op: IntOp, fail: bool) -> Arc<ScalarUDF> {
        let suggestion = match op {
            IntOp::Add => "try_add",
            IntOp::Subtract => "try_subtract",
            IntOp::Multiply => "try_multiply",
            IntOp::Remainder => "try_mod",
            IntOp::Div => "try_divide",
        };
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), op, fail, suggestion }))
    }

    fn overflow(&self, t: &DataType) -> DataFusionError {
        let name = match t {
            DataType::Int8 => "TINYINT",
            DataType::Int16 => "SMALLINT",
            DataType::Int32 => "INT",
            _ => "BIGINT",
        };
        crate::error::SparkRuntimeError::new(
            crate::error::RuntimeKind::Arithmetic,
            "ARITHMETIC_OVERFLOW",
            "22003",
            format!(
                "{name} overflow. Use '{}' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                self.suggestion
            ),
        )
        .param("message", format!("{name} overflow"))
        .param("alternative", format!(" Use '{}' to tolerate overflow and return NULL instead.", self.suggestion))
        .param("config", "\"spark.sql.ansi.enabled\"")
        .into_df()
    }
}

macro_rules! int_kernel {
    ($self:ident, $l:ident, $r:ident, $arrow:ty, $t:ty, $out:ty) => {{
        let l = $l.as_primitive::<$arrow>();
        let r = $r.as_primitive::<$arrow>();
        let mut out: Vec<Option<$t>> = Vec::with_capacity(l.len());
        for i in 0..l.len() {
            if l.is_null(i) || r.is_null(i) {
                out.push(None);
                continue;
            }
            let (a, b) = (l.value(i), r.value(i));
            let v = match $self.op {
                IntOp::Add => a.checked_add(b),
                IntOp::Subtract => a.checked_sub(b),
                IntOp::Multiply => a.checked_mul(b),
                IntOp::Remainder | IntOp::Div if b == 0 => {
                    if $self.fail {
                        return Err(if $self.op == IntOp::Remainder { crate::error::remainder_by_zero() } else { crate::error::divide_by_zero() });
                    }
                    out.push(None);
                    continue;
                }
                // MIN % -1 is 0 and MIN div -1 overflows, as in Spark.
                IntOp::Remainder => Some(a.checked_rem(b).unwrap_or(0)),
                IntOp::Div => a.checked_div(b),
            };
            match v {
                Some(v) => out.push(Some(v)),
                None if $self.fail => return Err($self.overflow($l.data_type())),
                None => out.push(None),
            }
        }
        Arc::new(<$out>::from(out)) as ArrayRef
    }};
}

impl ScalarUDFImpl for SparkIntArith {
    fn name(&self) -> &str {
        match self.op {
            IntOp::Add => "spark_int_add",
            IntOp::Subtract => "spark_int_subtract",
            IntOp::Multiply => "spark_int_multiply",
            IntOp::Remainder => "spark_int_mod",
            IntOp::Div => "spark_int_div",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types.first().cloned().unwrap_or(DataType::Int64))
    }

    /// NULL only from a NULL input when overflow and zero divisors fail
    /// (ANSI), which Spark's nested types record (`array(id + 1)`).
    fn return_field_from_args(&self, args: datafusion::logical_expr::ReturnFieldArgs) -> Result<datafusion::arrow::datatypes::FieldRef> {
        let t = args.arg_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Int64);
        let nullable = !self.fail || args.arg_fields.iter().any(|f| f.is_nullable());
        Ok(Arc::new(datafusion::arrow::datatypes::Field::new(self.name(), t, nullable)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use datafusion::arrow::array::{AsArray, Int8Array, Int16Array, Int32Array, Int64Array};
        use datafusion::arrow::datatypes::{Int8Type, Int16Type, Int32Type, Int64Type};
        let n = args.number_rows;
        let [l, r] = args.args.as_slice() else {
            return exec_err!("integer arithmetic takes two arguments");
        };
        let scalar = matches!((l, r), (ColumnarValue::Scalar(_), ColumnarValue::Scalar(_)));
        let l = l.to_array(n)?;
        let r = r.to_array(n)?;
        if l.data_type() != r.data_type() {
            return exec_err!("integer arithmetic on {} and {}", l.data_type(), r.data_type());
        }
        let out = match l.data_type() {
            DataType::Int8 => int_kernel!(self, l, r, Int8Type, i8, Int8Array),
            DataType::Int16 => int_kernel!(self, l, r, Int16Type, i16, Int16Array),
            DataType::Int32 => int_kernel!(self, l, r, Int32Type, i32, Int32Array),
            DataType::Int64 => int_kernel!(self, l, r, Int64Type, i64, Int64Array),
            other => return exec_err!("integer arithmetic on {other}"),
        };
        crate::columnar(out, scalar)
    }
}
