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

    /// Spark's overflow error: TINYINT and SMALLINT operands are named
    /// (BINARY_ARITHMETIC_OVERFLOW); INT and BIGINT overflow as the JVM's
    /// exact arithmetic reports it.
    fn overflow(&self, t: &DataType, a: i64, b: i64) -> DataFusionError {
        if matches!(t, DataType::Int8 | DataType::Int16) {
            let op = match self.op {
                IntOp::Add => "+",
                IntOp::Subtract => "-",
                IntOp::Multiply => "*",
                IntOp::Remainder => "%",
                IntOp::Div => "div",
            };
            return crate::error::SparkRuntimeError::new(
                crate::error::RuntimeKind::Arithmetic,
                "BINARY_ARITHMETIC_OVERFLOW",
                "22003",
                format!("{a}S {op} {b}S caused overflow. Use `{}` to ignore overflow problem and return NULL.", self.suggestion),
            )
            .param("value1", format!("{a}S"))
            .param("symbol", op)
            .param("value2", format!("{b}S"))
            .param("functionName", format!("`{}`", self.suggestion))
            .into_df();
        }
        crate::error::SparkRuntimeError::new(
            crate::error::RuntimeKind::Arithmetic,
            "ARITHMETIC_OVERFLOW",
            "22003",
            format!(
                "overflow. Use '{}' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                self.suggestion
            ),
        )
        .param("message", "overflow")
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
                None if $self.fail => return Err($self.overflow($l.data_type(), a as i64, b as i64)),
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
        Ok(integer_field(self.name(), &args, !self.fail))
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

/// The result field of integer arithmetic: the first argument's type,
/// nullable when an argument is or when the operation itself can give NULL.
fn integer_field(name: &str, args: &datafusion::logical_expr::ReturnFieldArgs, can_be_null: bool) -> datafusion::arrow::datatypes::FieldRef {
    let t = args.arg_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Int64);
    let nullable = can_be_null || args.arg_fields.iter().any(|f| f.is_nullable());
    Arc::new(datafusion::arrow::datatypes::Field::new(name, t, nullable))
}

/// `abs(x)` and `-x` of an integer: the one value without a counterpart
/// (`-2147483648` for INT) overflows, an error under ANSI (Spark's
/// ARITHMETIC_OVERFLOW) and itself otherwise, as the JVM wraps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntUnaryOp {
    Abs,
    Negate,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkIntUnary {
    signature: Signature,
    op: IntUnaryOp,
    fail: bool,
}

impl SparkIntUnary {
    pub fn udf(op: IntUnaryOp, fail: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), op, fail }))
    }
}

macro_rules! int_unary {
    ($self:ident, $a:ident, $arrow:ty) => {{
        let a = $a.as_primitive::<$arrow>();
        let mut out = Vec::with_capacity(a.len());
        for v in a.iter() {
            let Some(v) = v else {
                out.push(None);
                continue;
            };
            let r = match $self.op {
                IntUnaryOp::Abs if v >= 0 => Some(v),
                _ => v.checked_neg(),
            };
            match r {
                Some(r) => out.push(Some(r)),
                None if $self.fail => {
                    return Err(crate::error::SparkRuntimeError::new(
                        crate::error::RuntimeKind::Arithmetic,
                        "ARITHMETIC_OVERFLOW",
                        "22003",
                        "overflow. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                    )
                    .param("message", "overflow")
                    .param("alternative", "")
                    .param("config", "\"spark.sql.ansi.enabled\"")
                    .into_df());
                }
                None => out.push(Some(v.wrapping_neg())),
            }
        }
        Arc::new(datafusion::arrow::array::PrimitiveArray::<$arrow>::from(out)) as ArrayRef
    }};
}

impl ScalarUDFImpl for SparkIntUnary {
    fn name(&self) -> &str {
        match self.op {
            IntUnaryOp::Abs => "spark_int_abs",
            IntUnaryOp::Negate => "spark_int_negate",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        Ok(arg_types.first().cloned().unwrap_or(DataType::Int64))
    }

    fn return_field_from_args(&self, args: datafusion::logical_expr::ReturnFieldArgs) -> Result<datafusion::arrow::datatypes::FieldRef> {
        Ok(integer_field(self.name(), &args, false))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use datafusion::arrow::array::AsArray;
        use datafusion::arrow::datatypes::{Int8Type, Int16Type, Int32Type, Int64Type};
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let a = &arrays[0];
        let out = match a.data_type() {
            DataType::Int8 => int_unary!(self, a, Int8Type),
            DataType::Int16 => int_unary!(self, a, Int16Type),
            DataType::Int32 => int_unary!(self, a, Int32Type),
            DataType::Int64 => int_unary!(self, a, Int64Type),
            other => return exec_err!("{} takes an integer, not {other}", self.name()),
        };
        crate::columnar(out, scalar)
    }
}
