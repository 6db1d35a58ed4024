//! A `try_` form of a kernel that reports a bad row by failing: the batch
//! runs through the kernel as it is, and only when that fails is each row
//! run on its own, the failing ones becoming NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, new_null_array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct NullOnError {
    name: String,
    inner: Arc<ScalarUDF>,
}

impl NullOnError {
    pub fn udf(name: &str, inner: Arc<ScalarUDF>) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { name: name.to_string(), inner }))
    }
}

impl ScalarUDFImpl for NullOnError {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        self.inner.return_type(args)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<datafusion::arrow::datatypes::FieldRef> {
        let field = self.inner.return_field_from_args(args)?;
        Ok(Arc::new(field.as_ref().clone().with_nullable(true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let whole = ScalarFunctionArgs {
            args: args.args.clone(),
            arg_fields: args.arg_fields.clone(),
            number_rows: rows,
            return_field: args.return_field.clone(),
            config_options: args.config_options.clone(),
        };
        if let Ok(done) = self.inner.invoke_with_args(whole) {
            return Ok(done);
        }
        let arrays = args.args.iter().map(|a| a.to_array(rows)).collect::<Result<Vec<ArrayRef>>>()?;
        let mut out = Vec::with_capacity(rows);
        for i in 0..rows {
            let one = ScalarFunctionArgs {
                args: arrays.iter().map(|a| ScalarValue::try_from_array(a, i).map(ColumnarValue::Scalar)).collect::<Result<_>>()?,
                arg_fields: args.arg_fields.clone(),
                number_rows: 1,
                return_field: args.return_field.clone(),
                config_options: args.config_options.clone(),
            };
            let value = match self.inner.invoke_with_args(one) {
                Ok(v) => v.to_array(1)?,
                Err(_) => new_null_array(args.return_field.data_type(), 1),
            };
            out.push(value);
        }
        let refs: Vec<&dyn Array> = out.iter().map(|a| a.as_ref()).collect();
        let array = if refs.is_empty() { new_null_array(args.return_field.data_type(), 0) } else { datafusion::arrow::compute::concat(&refs)? };
        Ok(ColumnarValue::Array(array))
    }
}
