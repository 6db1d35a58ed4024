//! An identity that declares its result nullable. A scalar subquery that
//! finds no row answers NULL, while DataFusion types its result by the
//! subquery's column, which may be non-nullable (`count(*)`, `range`'s id).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct MaybeNull {
    signature: Signature,
}

impl MaybeNull {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable) }))
    }
}

impl ScalarUDFImpl for MaybeNull {
    fn name(&self) -> &str {
        "spark_maybe_null"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args {
            [t] => Ok(t.clone()),
            _ => exec_err!("spark_maybe_null takes one argument"),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        match args.arg_fields {
            [f] => Ok(Arc::new(f.as_ref().clone().with_name(self.name()).with_nullable(true))),
            _ => exec_err!("spark_maybe_null takes one argument"),
        }
    }

    fn invoke_with_args(&self, mut args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        match args.args.pop() {
            Some(v) if args.args.is_empty() => Ok(v),
            _ => exec_err!("spark_maybe_null takes one argument"),
        }
    }
}
