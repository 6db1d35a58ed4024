//! `arrays_overlap(a, b)` with Spark's three-valued answer: true when the
//! arrays share a non-null element; otherwise NULL when both are non-empty
//! and either holds a NULL (which might have matched); otherwise false.
//! NULL elements never match each other.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::row::{RowConverter, SortField};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkArraysOverlap {
    signature: Signature,
}

impl SparkArraysOverlap {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable) }))
    }
}

impl ScalarUDFImpl for SparkArraysOverlap {
    fn name(&self) -> &str {
        "arrays_overlap"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let (DataType::List(_), DataType::List(_)) = (arrays[0].data_type(), arrays[1].data_type()) else {
            return exec_err!("arrays_overlap takes two arrays of one element type");
        };
        let (a, b) = (arrays[0].as_list::<i32>(), arrays[1].as_list::<i32>());
        // Every element of both sides as comparable rows, converted once.
        let converter = RowConverter::new(vec![SortField::new(a.values().data_type().clone())])?;
        let a_rows = converter.convert_columns(&[a.values().clone()])?;
        let b_rows = converter.convert_columns(&[b.values().clone()])?;
        let mut out = BooleanBuilder::with_capacity(a.len());
        for i in 0..a.len() {
            if a.is_null(i) || b.is_null(i) {
                out.append_null();
                continue;
            }
            let (a_range, b_range) = (a.value_offsets()[i] as usize..a.value_offsets()[i + 1] as usize, b.value_offsets()[i] as usize..b.value_offsets()[i + 1] as usize);
            if a_range.is_empty() || b_range.is_empty() {
                out.append_value(false);
                continue;
            }
            let (a_values, b_values) = (a.values(), b.values());
            let seen: HashSet<&[u8]> = a_range.clone().filter(|&j| !a_values.is_null(j)).map(|j| a_rows.row(j).data()).collect();
            let shared = b_range.clone().any(|j| !b_values.is_null(j) && seen.contains(b_rows.row(j).data()));
            let has_null = a_range.clone().any(|j| a_values.is_null(j)) || b_range.clone().any(|j| b_values.is_null(j));
            match (shared, has_null) {
                (true, _) => out.append_value(true),
                (false, true) => out.append_null(),
                (false, false) => out.append_value(false),
            }
        }
        let result: ArrayRef = Arc::new(out.finish());
        crate::columnar(result, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{BooleanArray, ListArray};
    use datafusion::arrow::datatypes::{Field, Int32Type};
    use datafusion::config::ConfigOptions;

    fn overlap(a: Vec<Option<Vec<Option<i32>>>>, b: Vec<Option<Vec<Option<i32>>>>) -> Vec<Option<bool>> {
        let (a, b) = (ListArray::from_iter_primitive::<Int32Type, _, _>(a), ListArray::from_iter_primitive::<Int32Type, _, _>(b));
        let n = a.len();
        let field = Arc::new(Field::new("x", a.data_type().clone(), true));
        let args = ScalarFunctionArgs {
            args: vec![ColumnarValue::Array(Arc::new(a)), ColumnarValue::Array(Arc::new(b))],
            arg_fields: vec![field.clone(), field],
            number_rows: n,
            return_field: Arc::new(Field::new("r", DataType::Boolean, true)),
            config_options: Arc::new(ConfigOptions::default()),
        };
        let ColumnarValue::Array(out) = SparkArraysOverlap { signature: Signature::any(2, Volatility::Immutable) }.invoke_with_args(args).expect("runs") else {
            panic!("an array")
        };
        out.as_any().downcast_ref::<BooleanArray>().expect("booleans").iter().collect()
    }

    #[test]
    fn nulls_make_a_miss_unknown() {
        let got = overlap(
            vec![Some(vec![Some(1), None]), Some(vec![Some(1)]), Some(vec![None]), Some(vec![]), None],
            vec![Some(vec![Some(2)]), Some(vec![Some(1), None]), Some(vec![None]), Some(vec![None]), Some(vec![Some(1)])],
        );
        assert_eq!(got, vec![None, Some(true), None, Some(false), None]);
    }
}
