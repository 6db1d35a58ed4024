//! Spark's `NormalizeFloatingNumbers`: before floating-point values are
//! grouped or deduplicated, `-0.0` becomes `0.0` and every NaN the same
//! NaN, inside structs, arrays and maps too, so that values Spark calls
//! equal (`0.0 = -0.0`, `NaN = NaN`) land in one group.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, MapArray, StructArray};
use datafusion::arrow::datatypes::{DataType, Float32Type, Float64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// Whether values of type `t` hold floating-point numbers anywhere.
pub fn has_floats(t: &DataType) -> bool {
    match t {
        DataType::Float32 | DataType::Float64 => true,
        DataType::Struct(fields) => fields.iter().any(|f| has_floats(f.data_type())),
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) | DataType::Map(f, _) => has_floats(f.data_type()),
        _ => false,
    }
}

/// `array` with `-0.0` as `0.0` and one NaN, at any depth.
pub fn normalize(array: &ArrayRef) -> Result<ArrayRef> {
    Ok(match array.data_type() {
        DataType::Float64 => {
            Arc::new(array.as_primitive::<Float64Type>().unary::<_, Float64Type>(|v| if v.is_nan() { f64::NAN } else { v + 0.0 }))
        }
        DataType::Float32 => {
            Arc::new(array.as_primitive::<Float32Type>().unary::<_, Float32Type>(|v| if v.is_nan() { f32::NAN } else { v + 0.0 }))
        }
        t if !has_floats(t) => Arc::clone(array),
        DataType::Struct(fields) => {
            let s = array.as_struct();
            let columns = s.columns().iter().map(normalize).collect::<Result<Vec<_>>>()?;
            Arc::new(StructArray::try_new(fields.clone(), columns, s.nulls().cloned())?)
        }
        DataType::List(field) => {
            let l = array.as_list::<i32>();
            Arc::new(ListArray::try_new(field.clone(), l.offsets().clone(), normalize(l.values())?, l.nulls().cloned())?)
        }
        DataType::Map(field, sorted) => {
            let m = array.as_map();
            let entries = normalize(&(Arc::new(m.entries().clone()) as ArrayRef))?;
            Arc::new(MapArray::try_new(field.clone(), m.offsets().clone(), entries.as_struct().clone(), m.nulls().cloned(), *sorted)?)
        }
        _ => Arc::clone(array),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct NormalizeFloats {
    signature: Signature,
}

impl NormalizeFloats {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable) }))
    }
}

impl ScalarUDFImpl for NormalizeFloats {
    fn name(&self) -> &str {
        "spark_normalize_floats"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args.first().cloned().unwrap_or(DataType::Null))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(array) = arrays.first() else { return datafusion::common::exec_err!("spark_normalize_floats expects one argument") };
        crate::columnar(normalize(array)?, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Float64Array;

    #[test]
    fn negative_zero_and_nans_become_one_value() {
        let a: ArrayRef = Arc::new(Float64Array::from(vec![Some(-0.0), Some(f64::NAN), Some(-f64::NAN), None, Some(1.5)]));
        let n = normalize(&a).expect("normalize");
        let n = n.as_primitive::<Float64Type>();
        assert_eq!(n.value(0).to_bits(), 0.0f64.to_bits());
        assert_eq!(n.value(1).to_bits(), n.value(2).to_bits());
        assert!(n.is_null(3));
        assert_eq!(n.value(4), 1.5);
    }
}
