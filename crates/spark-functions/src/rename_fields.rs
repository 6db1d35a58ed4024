//! `spark_rename_fields(x)`: the same values as `x` (a struct or an array of
//! structs) with the struct's fields renamed, for functions whose result
//! fields Spark names differently from DataFusion (`arrays_zip`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, StructArray};
use datafusion::arrow::datatypes::{DataType, Fields};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RenameFields {
    signature: Signature,
    names: Vec<String>,
}

impl RenameFields {
    pub fn udf(names: Vec<String>) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), names }))
    }

    fn renamed(&self, t: &DataType) -> Result<DataType> {
        Ok(match t {
            DataType::Struct(fields) if fields.len() == self.names.len() => {
                DataType::Struct(fields.iter().zip(&self.names).map(|(f, n)| f.as_ref().clone().with_name(n)).collect::<Fields>())
            }
            DataType::List(item) => DataType::List(Arc::new(item.as_ref().clone().with_data_type(self.renamed(item.data_type())?))),
            other => return exec_err!("spark_rename_fields cannot rename the fields of {other}"),
        })
    }

    fn rename(&self, a: &ArrayRef) -> Result<ArrayRef> {
        Ok(match self.renamed(a.data_type())? {
            DataType::Struct(fields) => {
                let s = a.as_struct();
                Arc::new(StructArray::try_new(fields, s.columns().to_vec(), s.nulls().cloned())?)
            }
            DataType::List(item) => {
                let l = a.as_list::<i32>();
                Arc::new(ListArray::try_new(item, l.offsets().clone(), self.rename(l.values())?, l.nulls().cloned())?)
            }
            other => return exec_err!("spark_rename_fields cannot rename the fields of {other}"),
        })
    }
}

impl ScalarUDFImpl for RenameFields {
    fn name(&self) -> &str {
        "spark_rename_fields"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.first() {
            Some(t) => self.renamed(t),
            None => exec_err!("spark_rename_fields expects one argument"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(a) = arrays.first() else { return exec_err!("spark_rename_fields expects one argument") };
        crate::columnar(self.rename(a)?, scalar)
    }
}
