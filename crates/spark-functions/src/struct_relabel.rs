//! Spark casts structs by position (`CAST(named_struct('a', 1) AS
//! STRUCT<b: STRING>)` has the field `b`), where Arrow casts them by name.
//! This relabels a value's struct fields, at any depth in arrays, maps and
//! structs, with the target's names before the cast proper: the data is
//! untouched, only the type's field names change.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayData, ArrayRef, make_array};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// `source` with the struct field names of `target` taken by position
/// (types stay `source`'s), or `None` when no name differs or the shapes
/// do not line up.
pub fn relabeled_type(source: &DataType, target: &DataType) -> Option<DataType> {
    let relabel = |s: &DataType, t: &DataType| relabeled_type(s, t).unwrap_or_else(|| s.clone());
    let out = match (source, target) {
        (DataType::Struct(sf), DataType::Struct(tf)) if sf.len() == tf.len() => DataType::Struct(
            sf.iter().zip(tf.iter()).map(|(s, t)| Arc::new(Field::new(t.name(), relabel(s.data_type(), t.data_type()), s.is_nullable()).with_metadata(s.metadata().clone()))).collect(),
        ),
        (DataType::List(s), DataType::List(t)) | (DataType::List(s), DataType::LargeList(t)) => DataType::List(Arc::new(s.as_ref().clone().with_data_type(relabel(s.data_type(), t.data_type())))),
        (DataType::LargeList(s), DataType::List(t)) | (DataType::LargeList(s), DataType::LargeList(t)) => DataType::LargeList(Arc::new(s.as_ref().clone().with_data_type(relabel(s.data_type(), t.data_type())))),
        (DataType::Map(s, sorted), DataType::Map(t, _)) => match (s.data_type(), t.data_type()) {
            // The entries keep their own names; their key and value relabel.
            (DataType::Struct(se), DataType::Struct(te)) if se.len() == 2 && te.len() == 2 => {
                let entries: Vec<Arc<Field>> = se.iter().zip(te.iter()).map(|(s, t)| Arc::new(s.as_ref().clone().with_data_type(relabel(s.data_type(), t.data_type())))).collect();
                DataType::Map(Arc::new(s.as_ref().clone().with_data_type(DataType::Struct(entries.into()))), *sorted)
            }
            _ => return None,
        },
        _ => return None,
    };
    (&out != source).then_some(out)
}

/// The same data under `to`, a type of the same shape.
fn relabel(data: ArrayData, to: &DataType) -> Result<ArrayData> {
    let child_types: Vec<DataType> = match to {
        DataType::Struct(fields) => fields.iter().map(|f| f.data_type().clone()).collect(),
        DataType::List(f) | DataType::LargeList(f) | DataType::Map(f, _) => vec![f.data_type().clone()],
        _ => vec![],
    };
    let children = data.child_data().iter().zip(&child_types).map(|(c, t)| relabel(c.clone(), t)).collect::<Result<Vec<_>>>()?;
    let builder = data.into_builder().data_type(to.clone());
    let builder = if child_types.is_empty() { builder } else { builder.child_data(children) };
    Ok(builder.build()?)
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkRelabel {
    signature: Signature,
    to: DataType,
}

impl SparkRelabel {
    pub fn udf(to: DataType) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), to }))
    }
}

impl ScalarUDFImpl for SparkRelabel {
    fn name(&self) -> &str {
        "spark_struct_relabel"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.to.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(input) = arrays.first() else { return exec_err!("spark_struct_relabel takes one argument") };
        let out: ArrayRef = make_array(relabel(input.to_data(), &self.to)?);
        crate::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_position() {
        let s = DataType::Struct(vec![Field::new("a", DataType::Int32, true)].into());
        let t = DataType::Struct(vec![Field::new("b", DataType::Utf8, true)].into());
        let r = relabeled_type(&s, &t);
        assert_eq!(r, Some(DataType::Struct(vec![Field::new("b", DataType::Int32, true)].into())));
        assert_eq!(relabeled_type(&s, &s), None);
        let list = |d: DataType| DataType::List(Arc::new(Field::new("element", d, true)));
        assert_eq!(relabeled_type(&list(s.clone()), &list(t)), Some(list(DataType::Struct(vec![Field::new("b", DataType::Int32, true)].into()))));
    }
}
