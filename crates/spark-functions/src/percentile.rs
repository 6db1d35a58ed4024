//! `percentile_approx` / `approx_percentile` and the quantiles of
//! `DataFrame.summary()` / `approxQuantile`: the value at rank
//! `ceil(p * n)` of the sorted non-null inputs, which is what Spark's
//! Greenwald-Khanna summary answers exactly while the data fits its
//! accuracy (10 000 by default). The accumulator keeps the values, so for
//! inputs far larger than the accuracy this is exact where Spark is
//! approximate.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, UInt32Array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::{SortOptions, concat, sort_to_indices, take};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

/// How a percentile is read off the sorted values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// The value at rank `ceil(p * n)` (`percentile_approx`).
    Nearest,
    /// Linear interpolation at position `p * (n - 1)` (`percentile`,
    /// `percentile_cont`, `median`), as a DOUBLE.
    Linear,
    /// The value at index `ceil(p * n) - 1` (`percentile_disc`), as a DOUBLE.
    Discrete,
}

/// Fractions are kept as bits so the function can be hashed and compared.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkPercentile {
    signature: Signature,
    fractions: Vec<u64>,
    /// Whether the result is an array (the percentages were an array).
    array: bool,
    method: Method,
    /// `WITHIN GROUP (ORDER BY x DESC)`: percentiles count from the top.
    descending: bool,
    /// Every value counts this many times (`percentile`'s constant frequency).
    frequency: u64,
}

impl SparkPercentile {
    /// The percentile(s) `fractions` of the first argument; further
    /// arguments (the percentages and accuracy as written) are ignored.
    pub fn udaf(fractions: &[f64], array: bool, arity: usize) -> Arc<AggregateUDF> {
        Self::with_method(fractions, array, arity, Method::Nearest, false, 1)
    }

    pub fn with_method(fractions: &[f64], array: bool, arity: usize, method: Method, descending: bool, frequency: u64) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self {
            signature: Signature::any(arity, Volatility::Immutable),
            fractions: fractions.iter().map(|f| f.to_bits()).collect(),
            array,
            method,
            descending,
            frequency: frequency.max(1),
        }))
    }
}

impl AggregateUDFImpl for SparkPercentile {
    fn name(&self) -> &str {
        match self.method {
            Method::Nearest => "spark_percentile_approx",
            Method::Linear => "spark_percentile",
            Method::Discrete => "spark_percentile_disc",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        let t = if self.method == Method::Nearest { args.first().cloned().unwrap_or(DataType::Null) } else { DataType::Float64 };
        Ok(if self.array { DataType::List(Arc::new(Field::new("element", t, true))) } else { t })
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let t = args.expr_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(Box::new(PercentileAccumulator {
            data_type: t,
            fractions: self.fractions.iter().map(|b| f64::from_bits(*b)).collect(),
            array: self.array,
            method: self.method,
            descending: self.descending,
            frequency: self.frequency,
            chunks: vec![],
            bytes: 0,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let t = args.input_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(vec![Arc::new(Field::new("values", DataType::List(Arc::new(Field::new("item", t, true))), true))])
    }
}

#[derive(Debug)]
struct PercentileAccumulator {
    data_type: DataType,
    fractions: Vec<f64>,
    array: bool,
    method: Method,
    descending: bool,
    frequency: u64,
    chunks: Vec<ArrayRef>,
    bytes: usize,
}

impl PercentileAccumulator {
    fn push(&mut self, a: &ArrayRef) {
        let non_null = if a.null_count() > 0 {
            let keep = datafusion::arrow::compute::is_not_null(a);
            match keep.and_then(|k| datafusion::arrow::compute::filter(a, &k)) {
                Ok(f) => f,
                Err(_) => return,
            }
        } else {
            a.clone()
        };
        if !non_null.is_empty() {
            self.bytes += non_null.get_array_memory_size();
            self.chunks.push(non_null);
        }
    }

    /// `percentile` / `percentile_cont` / `percentile_disc` over the values as doubles.
    fn evaluate_f64(&self) -> Result<ScalarValue> {
        let values = datafusion::arrow::compute::cast(&self.values()?, &DataType::Float64)?;
        let mut v: Vec<f64> = values.as_primitive::<datafusion::arrow::datatypes::Float64Type>().values().to_vec();
        v.sort_by(|a, b| if self.descending { b.total_cmp(a) } else { a.total_cmp(b) });
        let f = self.frequency as usize;
        let n = v.len() * f;
        let at = |i: usize| v[i / f];
        let pick = |p: f64| -> Option<f64> {
            if n == 0 {
                return None;
            }
            Some(match self.method {
                Method::Discrete => at(((p * n as f64).ceil() as usize).saturating_sub(1).min(n - 1)),
                _ => {
                    let position = p * (n - 1) as f64;
                    let (lower, higher) = (position.floor() as usize, position.ceil() as usize);
                    if lower == higher { at(lower) } else { (higher as f64 - position) * at(lower) + (position - lower as f64) * at(higher) }
                }
            })
        };
        if self.array {
            if n == 0 {
                return ScalarValue::try_from(&DataType::List(Arc::new(Field::new("element", DataType::Float64, true))));
            }
            let picked: Vec<Option<f64>> = self.fractions.iter().map(|p| pick(*p)).collect();
            let field = Arc::new(Field::new("element", DataType::Float64, true));
            let values = Arc::new(datafusion::arrow::array::Float64Array::from(picked));
            return Ok(ScalarValue::List(Arc::new(ListArray::new(field, OffsetBuffer::from_lengths([values.len()]), values, None))));
        }
        Ok(ScalarValue::Float64(self.fractions.first().and_then(|p| pick(*p))))
    }

    fn values(&self) -> Result<ArrayRef> {
        if self.chunks.is_empty() {
            return Ok(datafusion::arrow::array::new_empty_array(&self.data_type));
        }
        let refs: Vec<&dyn Array> = self.chunks.iter().map(|c| c.as_ref()).collect();
        Ok(concat(&refs)?)
    }
}

impl Accumulator for PercentileAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if let Some(a) = values.first() {
            self.push(a);
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        if let Some(lists) = states.first() {
            let Some(lists) = lists.as_list_opt::<i32>() else {
                return datafusion::common::exec_err!("spark_percentile_approx: unexpected state type");
            };
            for i in 0..lists.len() {
                if lists.is_valid(i) {
                    self.push(&lists.value(i));
                }
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let values = self.values()?;
        let field = Arc::new(Field::new("item", self.data_type.clone(), true));
        let list = ListArray::new(field, OffsetBuffer::from_lengths([values.len()]), values, None);
        Ok(vec![ScalarValue::List(Arc::new(list))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        if self.method != Method::Nearest {
            return self.evaluate_f64();
        }
        let values = self.values()?;
        let n = values.len();
        let field = Arc::new(Field::new("element", self.data_type.clone(), true));
        if n == 0 {
            return if self.array {
                Ok(ScalarValue::try_from(&DataType::List(field))?)
            } else {
                ScalarValue::try_from(&self.data_type)
            };
        }
        let order = sort_to_indices(&values, Some(SortOptions { descending: false, nulls_first: true }), None)?;
        let ranks: Vec<u32> = self
            .fractions
            .iter()
            .map(|p| {
                let rank = (p * n as f64).ceil() as usize;
                order.value(rank.clamp(1, n) - 1)
            })
            .collect();
        let picked = take(&values, &UInt32Array::from(ranks), None)?;
        if self.array {
            let len = picked.len();
            let list = ListArray::new(field, OffsetBuffer::from_lengths([len]), picked, None);
            Ok(ScalarValue::List(Arc::new(list)))
        } else {
            ScalarValue::try_from_array(&picked, 0)
        }
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int64Array;

    fn run(values: Vec<Option<i64>>, fractions: &[f64], array: bool) -> ScalarValue {
        let mut acc = PercentileAccumulator {
            data_type: DataType::Int64,
            fractions: fractions.to_vec(),
            array,
            method: Method::Nearest,
            descending: false,
            frequency: 1,
            chunks: vec![],
            bytes: 0,
        };
        let a: ArrayRef = Arc::new(Int64Array::from(values));
        acc.update_batch(&[a]).unwrap();
        acc.evaluate().unwrap()
    }

    #[test]
    fn rank_is_ceil_of_fraction_times_count() {
        // Spark: percentile_approx(col, array(0.5, 0.4, 0.1), 100) over 0, 1, 2, 10 is [1, 1, 0].
        let v = vec![Some(10), Some(0), None, Some(2), Some(1)];
        assert_eq!(run(v.clone(), &[0.5], false), ScalarValue::Int64(Some(1)));
        assert_eq!(run(v.clone(), &[0.1], false), ScalarValue::Int64(Some(0)));
        assert_eq!(run(v.clone(), &[0.0], false), ScalarValue::Int64(Some(0)));
        assert_eq!(run(v, &[1.0], false), ScalarValue::Int64(Some(10)));
        assert_eq!(run((0..100).map(Some).collect(), &[0.25], false), ScalarValue::Int64(Some(24)));
    }

    #[test]
    fn linear_and_discrete_as_spark() {
        let mut acc = PercentileAccumulator {
            data_type: DataType::Int64,
            fractions: vec![0.25],
            array: false,
            method: Method::Linear,
            descending: true,
            frequency: 1,
            chunks: vec![],
            bytes: 0,
        };
        acc.update_batch(&[Arc::new(Int64Array::from(vec![0, 10, 20, 30])) as ArrayRef]).unwrap();
        // percentile_cont(0.25) WITHIN GROUP (ORDER BY c DESC) over 0, 10, 20, 30.
        assert_eq!(acc.evaluate().unwrap(), ScalarValue::Float64(Some(22.5)));
        acc.method = Method::Discrete;
        acc.descending = false;
        acc.fractions = vec![0.51];
        assert_eq!(acc.evaluate().unwrap(), ScalarValue::Float64(Some(20.0)));
    }

    #[test]
    fn empty_input_is_null() {
        assert_eq!(run(vec![None], &[0.5], false), ScalarValue::Int64(None));
    }
}
