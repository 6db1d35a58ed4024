//! Spark's vector functions over `ARRAY<FLOAT>`: `vector_cosine_similarity`,
//! `vector_inner_product`, `vector_l2_distance`, `vector_norm`,
//! `vector_normalize`, and the aggregates `vector_sum` and `vector_avg`.
//!
//! As in Spark, the scalar functions accumulate in double precision and
//! round the result to a float; a vector holding a NULL element gives NULL;
//! vectors of different lengths raise `VECTOR_DIMENSION_MISMATCH`. The
//! aggregates skip NULL vectors and vectors holding NULL elements and work in
//! single precision (`vector_avg` keeps a running mean, as Spark does).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float32Array, Float32Builder, ListArray, ListBuilder};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float32Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// Which vector function a [`SparkVector`] computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VectorFn {
    CosineSimilarity,
    InnerProduct,
    L2Distance,
    Norm,
    Normalize,
}

impl VectorFn {
    fn name(self) -> &'static str {
        match self {
            VectorFn::CosineSimilarity => "vector_cosine_similarity",
            VectorFn::InnerProduct => "vector_inner_product",
            VectorFn::L2Distance => "vector_l2_distance",
            VectorFn::Norm => "vector_norm",
            VectorFn::Normalize => "vector_normalize",
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkVector {
    signature: Signature,
    function: VectorFn,
}

impl SparkVector {
    pub fn udf(function: VectorFn) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), function }))
    }
}

fn float_list() -> DataType {
    DataType::List(Arc::new(Field::new("element", DataType::Float32, true)))
}

fn dimension_mismatch(function: &str, left: usize, right: usize) -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "VECTOR_DIMENSION_MISMATCH",
        "22000",
        format!("Vectors passed to `{function}` must have the same dimension, but got {left} and {right}."),
    )
    .param("functionName", format!("`{function}`"))
    .param("leftDim", left.to_string())
    .param("rightDim", right.to_string())
    .into_df()
}

fn invalid_degree(function: &str, degree: f32) -> datafusion::error::DataFusionError {
    let shown = format!("{degree:?}");
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "INVALID_VECTOR_NORM_DEGREE",
        "22023",
        format!("For the `{function}` function, degree must be 1.0, 2.0, or float('inf'), but got {shown}."),
    )
    .param("functionName", format!("`{function}`"))
    .param("degree", shown)
    .into_df()
}

/// The elements of one vector, or `None` when it holds a NULL element.
fn elements(values: &Float32Array) -> Option<&[f32]> {
    if values.null_count() > 0 { None } else { Some(values.values()) }
}

/// A vector's norm of the given degree, in double precision.
fn norm(v: &[f32], degree: f32, function: &str) -> Result<f64> {
    if degree == 1.0 {
        Ok(v.iter().map(|x| (*x as f64).abs()).sum())
    } else if degree == 2.0 {
        Ok(v.iter().map(|x| (*x as f64) * (*x as f64)).sum::<f64>().sqrt())
    } else if degree == f32::INFINITY {
        Ok(v.iter().fold(0.0f32, |m, x| m.max(x.abs())) as f64)
    } else {
        Err(invalid_degree(function, degree))
    }
}

fn pair(function: VectorFn, a: &[f32], b: &[f32]) -> Result<Option<f32>> {
    if a.len() != b.len() {
        return Err(dimension_mismatch(function.name(), a.len(), b.len()));
    }
    let wide = |x: &f32| *x as f64;
    Ok(match function {
        VectorFn::CosineSimilarity => {
            if a.is_empty() {
                return Ok(None);
            }
            let dot: f64 = a.iter().zip(b).map(|(x, y)| wide(x) * wide(y)).sum();
            let n1: f64 = a.iter().map(|x| wide(x) * wide(x)).sum();
            let n2: f64 = b.iter().map(|x| wide(x) * wide(x)).sum();
            let norms = (n1 * n2).sqrt();
            if norms == 0.0 { None } else { Some((dot / norms) as f32) }
        }
        VectorFn::InnerProduct => Some(a.iter().zip(b).map(|(x, y)| wide(x) * wide(y)).sum::<f64>() as f32),
        VectorFn::L2Distance => Some(a.iter().zip(b).map(|(x, y)| (wide(x) - wide(y)).powi(2)).sum::<f64>().sqrt() as f32),
        VectorFn::Norm | VectorFn::Normalize => None,
    })
}

impl ScalarUDFImpl for SparkVector {
    fn name(&self) -> &str {
        self.function.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(if self.function == VectorFn::Normalize { float_list() } else { DataType::Float32 })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let name = self.function.name();
        let Some(left) = arrays[0].as_list_opt::<i32>() else {
            return datafusion::common::exec_err!("{name}: expected an array of floats");
        };
        let out: ArrayRef = match self.function {
            VectorFn::Norm | VectorFn::Normalize => {
                let degrees = arrays[1].as_primitive_opt::<Float32Type>();
                let Some(degrees) = degrees else {
                    return datafusion::common::exec_err!("{name}: expected a float degree");
                };
                if self.function == VectorFn::Norm {
                    let mut b = Float32Builder::with_capacity(left.len());
                    for i in 0..left.len() {
                        if left.is_null(i) || degrees.is_null(i) {
                            b.append_null();
                            continue;
                        }
                        let v = left.value(i);
                        match elements(v.as_primitive::<Float32Type>()) {
                            Some(v) => b.append_value(norm(v, degrees.value(i), name)? as f32),
                            None => b.append_null(),
                        }
                    }
                    Arc::new(b.finish())
                } else {
                    let mut b = ListBuilder::new(Float32Builder::new()).with_field(Arc::new(Field::new("element", DataType::Float32, true)));
                    for i in 0..left.len() {
                        if left.is_null(i) || degrees.is_null(i) {
                            b.append_null();
                            continue;
                        }
                        let v = left.value(i);
                        let Some(v) = elements(v.as_primitive::<Float32Type>()) else {
                            b.append_null();
                            continue;
                        };
                        let n = norm(v, degrees.value(i), name)?;
                        if v.is_empty() {
                            b.append(true);
                        } else if n == 0.0 {
                            b.append_null();
                        } else {
                            for x in v {
                                b.values().append_value((*x as f64 / n) as f32);
                            }
                            b.append(true);
                        }
                    }
                    Arc::new(b.finish())
                }
            }
            _ => {
                let Some(right) = arrays[1].as_list_opt::<i32>() else {
                    return datafusion::common::exec_err!("{name}: expected an array of floats");
                };
                let mut b = Float32Builder::with_capacity(left.len());
                for i in 0..left.len() {
                    if left.is_null(i) || right.is_null(i) {
                        b.append_null();
                        continue;
                    }
                    let (l, r) = (left.value(i), right.value(i));
                    let (l, r) = (l.as_primitive::<Float32Type>(), r.as_primitive::<Float32Type>());
                    if l.len() != r.len() {
                        return Err(dimension_mismatch(name, l.len(), r.len()));
                    }
                    match (elements(l), elements(r)) {
                        (Some(l), Some(r)) => b.append_option(pair(self.function, l, r)?),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
        };
        crate::columnar(out, scalar)
    }
}

/// `vector_sum` (`average: false`) and `vector_avg` (`average: true`).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkVectorAggregate {
    signature: Signature,
    average: bool,
}

impl SparkVectorAggregate {
    pub fn udaf(average: bool) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), average }))
    }
}

impl AggregateUDFImpl for SparkVectorAggregate {
    fn name(&self) -> &str {
        if self.average { "vector_avg" } else { "vector_sum" }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(float_list())
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(VectorAccumulator { average: self.average, values: None, count: 0 }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![
            Arc::new(Field::new("values", float_list(), true)),
            Arc::new(Field::new("count", DataType::Int64, false)),
        ])
    }
}

#[derive(Debug)]
struct VectorAccumulator {
    average: bool,
    /// The running sum or mean; `None` before the first vector.
    values: Option<Vec<f32>>,
    count: i64,
}

impl VectorAccumulator {
    fn name(&self) -> &'static str {
        if self.average { "vector_avg" } else { "vector_sum" }
    }

    /// Folds in a partial result: `count` vectors whose sum or mean is `v`.
    fn add(&mut self, v: &[f32], count: i64) -> Result<()> {
        let name = self.name();
        let Some(current) = self.values.as_mut() else {
            self.values = Some(v.to_vec());
            self.count = count;
            return Ok(());
        };
        if current.len() != v.len() {
            return Err(dimension_mismatch(name, current.len(), v.len()));
        }
        let total = self.count + count;
        if self.average {
            if count == 1 {
                let inv = 1.0f32 / total as f32;
                for (a, x) in current.iter_mut().zip(v) {
                    *a += (x - *a) * inv;
                }
            } else {
                let (lw, rw) = (self.count as f32 / total as f32, count as f32 / total as f32);
                for (a, x) in current.iter_mut().zip(v) {
                    *a = *a * lw + x * rw;
                }
            }
        } else {
            for (a, x) in current.iter_mut().zip(v) {
                *a += x;
            }
        }
        self.count = total;
        Ok(())
    }

    fn list(&self) -> ScalarValue {
        let field = Arc::new(Field::new("element", DataType::Float32, true));
        match &self.values {
            None => ScalarValue::List(Arc::new(ListArray::new_null(field, 1))),
            Some(v) => {
                let values = Float32Array::from(v.clone());
                ScalarValue::List(Arc::new(ListArray::new(field, OffsetBuffer::from_lengths([v.len()]), Arc::new(values), None)))
            }
        }
    }
}

impl Accumulator for VectorAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(lists) = values.first().and_then(|a| a.as_list_opt::<i32>()) else {
            return datafusion::common::exec_err!("{}: expected an array of floats", self.name());
        };
        for i in 0..lists.len() {
            if lists.is_null(i) {
                continue;
            }
            let v = lists.value(i);
            if let Some(v) = elements(v.as_primitive::<Float32Type>()) {
                self.add(v, 1)?;
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let (Some(lists), Some(counts)) = (states[0].as_list_opt::<i32>(), states[1].as_primitive_opt::<datafusion::arrow::datatypes::Int64Type>()) else {
            return datafusion::common::exec_err!("{}: unexpected state", self.name());
        };
        for i in 0..lists.len() {
            if lists.is_null(i) {
                continue;
            }
            let v = lists.value(i);
            if let Some(v) = elements(v.as_primitive::<Float32Type>()) {
                self.add(v, counts.value(i))?;
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.list(), ScalarValue::Int64(Some(self.count))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.list())
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.values.as_ref().map_or(0, |v| v.len() * 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_functions_follow_spark() {
        let (a, b) = ([1.0f32, 2.0, 3.0], [4.0f32, 5.0, 6.0]);
        assert_eq!(pair(VectorFn::InnerProduct, &a, &b).unwrap(), Some(32.0));
        assert_eq!(pair(VectorFn::CosineSimilarity, &a, &b).unwrap(), Some(0.974_631_85));
        assert_eq!(pair(VectorFn::L2Distance, &a, &b).unwrap(), Some(5.196_152_2));
        assert_eq!(pair(VectorFn::CosineSimilarity, &[], &[]).unwrap(), None);
        assert_eq!(pair(VectorFn::CosineSimilarity, &[0.0], &[1.0]).unwrap(), None);
        assert!(pair(VectorFn::InnerProduct, &a, &[1.0]).is_err());
    }

    #[test]
    fn norms_of_each_degree() {
        assert_eq!(norm(&[3.0, 4.0], 2.0, "vector_norm").unwrap(), 5.0);
        assert_eq!(norm(&[3.0, -4.0], 1.0, "vector_norm").unwrap(), 7.0);
        assert_eq!(norm(&[3.0, -4.0], f32::INFINITY, "vector_norm").unwrap(), 4.0);
        assert!(norm(&[3.0], 3.0, "vector_norm").is_err());
    }

    #[test]
    fn running_mean_and_sum() {
        let mut avg = VectorAccumulator { average: true, values: None, count: 0 };
        avg.add(&[1.0, 2.0], 1).unwrap();
        avg.add(&[3.0, 4.0], 1).unwrap();
        assert_eq!(avg.values, Some(vec![2.0, 3.0]));
        let mut sum = VectorAccumulator { average: false, values: None, count: 0 };
        sum.add(&[1.0, 2.0], 1).unwrap();
        sum.add(&[3.0, 4.0], 1).unwrap();
        assert_eq!(sum.values, Some(vec![4.0, 6.0]));
        assert!(sum.add(&[1.0], 1).is_err());
    }
}
