//! Spark's `GetArrayStructFields`: `arr.field` of an array of structs is
//! the array of that field of each element (NULL where the element is).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, make_array};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// `spark_array_struct_field(arr)`: field `index` of each struct element.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ArrayStructField {
    signature: Signature,
    index: usize,
}

impl ArrayStructField {
    pub fn udf(index: usize) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), index }))
    }

    /// The result's element field for an array of type `t`.
    fn element(&self, t: &DataType) -> Result<FieldRef> {
        let DataType::List(item) = t else { return exec_err!("spark_array_struct_field expects an array of structs") };
        let DataType::Struct(fields) = item.data_type() else { return exec_err!("spark_array_struct_field expects an array of structs") };
        let Some(f) = fields.get(self.index) else { return exec_err!("spark_array_struct_field: no field {}", self.index) };
        Ok(Arc::new(Field::new(f.name(), f.data_type().clone(), item.is_nullable() || f.is_nullable())))
    }
}

impl ScalarUDFImpl for ArrayStructField {
    fn name(&self) -> &str {
        "spark_array_struct_field"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        let Some(t) = args.first() else { return exec_err!("spark_array_struct_field expects one argument") };
        Ok(DataType::List(self.element(t)?))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(list) = arrays.first().and_then(|a| a.as_list_opt::<i32>()) else {
            return exec_err!("spark_array_struct_field expects an array");
        };
        let element = self.element(list.data_type())?;
        let Some(structs) = list.values().as_struct_opt() else { return exec_err!("spark_array_struct_field expects structs") };
        let column = structs.column(self.index);
        // The field is NULL where its struct is.
        let nulls = NullBuffer::union(structs.nulls(), column.nulls());
        let data = column.to_data().into_builder().nulls(nulls).build()?;
        let values: ArrayRef = make_array(data);
        let out = ListArray::try_new(element, list.offsets().clone(), values, list.nulls().cloned())?;
        crate::columnar(Arc::new(out), scalar)
    }
}
