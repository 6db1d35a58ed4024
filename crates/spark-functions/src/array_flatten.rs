//! `flatten(array of arrays)`: the inner arrays' elements in order; NULL
//! when the outer array or any inner array is NULL, as in Spark.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, UInt32Array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkFlatten {
    signature: Signature,
}

impl SparkFlatten {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable) }))
    }
}

fn inner_field(t: &DataType) -> Option<Arc<Field>> {
    match t {
        DataType::List(outer) => match outer.data_type() {
            DataType::List(inner) => Some(inner.clone()),
            _ => None,
        },
        _ => None,
    }
}

impl ScalarUDFImpl for SparkFlatten {
    fn name(&self) -> &str {
        "flatten"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.first().and_then(inner_field) {
            Some(f) => Ok(DataType::List(f)),
            None => exec_err!("flatten takes an array of arrays"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(field) = inner_field(arrays[0].data_type()) else { return exec_err!("flatten takes an array of arrays") };
        let outer = arrays[0].as_list::<i32>();
        let inner = outer.values().as_list::<i32>();
        let mut lengths = Vec::with_capacity(outer.len());
        let mut valid = Vec::with_capacity(outer.len());
        let mut indices: Vec<u32> = Vec::new();
        for row in 0..outer.len() {
            let range = outer.value_offsets()[row] as usize..outer.value_offsets()[row + 1] as usize;
            if outer.is_null(row) || range.clone().any(|j| inner.is_null(j)) {
                lengths.push(0);
                valid.push(false);
                continue;
            }
            let start = indices.len();
            for j in range {
                let (a, b) = (inner.value_offsets()[j], inner.value_offsets()[j + 1]);
                indices.extend((a..b).map(|k| k as u32));
            }
            lengths.push(indices.len() - start);
            valid.push(true);
        }
        let values = take(inner.values().as_ref(), &UInt32Array::from(indices), None)?;
        let nulls = NullBuffer::from(valid);
        let out = ListArray::try_new(field, OffsetBuffer::from_lengths(lengths), values, Some(nulls).filter(|n| n.null_count() > 0))?;
        crate::columnar(Arc::new(out) as ArrayRef, scalar)
    }
}
