//! `raise_error(message)`: fails the query with Spark's
//! `USER_RAISED_EXCEPTION` for every row it is evaluated on.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkRaiseError {
    signature: Signature,
}

impl SparkRaiseError {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::exact(vec![DataType::Utf8], Volatility::Volatile) }))
    }
}

impl ScalarUDFImpl for SparkRaiseError {
    fn name(&self) -> &str {
        "raise_error"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Null)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        if n == 0 {
            return Ok(ColumnarValue::Scalar(ScalarValue::Null));
        }
        let messages = args.args[0].to_array(n)?;
        let messages = messages.as_string::<i32>();
        let message = if messages.is_null(0) { "null".to_string() } else { messages.value(0).to_string() };
        Err(SparkRuntimeError::new(RuntimeKind::Runtime, "USER_RAISED_EXCEPTION", "P0001", message.clone())
            .param("errorMessage", message)
            .into_df())
    }
}
