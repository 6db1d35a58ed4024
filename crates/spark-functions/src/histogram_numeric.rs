//! `histogram_numeric(x, nb)`: an approximate histogram of `nb` bins, by
//! the streaming algorithm of Ben-Haim and Tom-Tov as Spark's
//! `NumericHistogram` (from Hive) runs it: each value joins its bin or
//! opens one, and while there are too many bins the two closest merge
//! (weighted mean), ties between equally close pairs broken by a
//! `java.util.Random` seeded with 31183. Partial histograms merge by
//! pooling their bins. The bin centres come back in the input's type.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, StructArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields, Float64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use crate::java_random::JavaRandom;

/// The histogram of one group: bins sorted by centre.
#[derive(Debug, Clone)]
pub struct NumericHistogram {
    bins: usize,
    coords: Vec<(f64, f64)>,
    random: JavaRandom,
}

impl NumericHistogram {
    pub fn new(bins: usize) -> Self {
        Self { bins, coords: Vec::new(), random: JavaRandom::new(31183) }
    }

    pub fn add(&mut self, v: f64) {
        let (mut l, mut r, mut bin) = (0, self.coords.len(), 0);
        while l < r {
            bin = (l + r) / 2;
            if self.coords[bin].0 > v {
                r = bin;
            } else if self.coords[bin].0 < v {
                bin += 1;
                l = bin;
            } else {
                break;
            }
        }
        if bin < self.coords.len() && self.coords[bin].0 == v {
            self.coords[bin].1 += 1.0;
        } else {
            self.coords.insert(bin, (v, 1.0));
            if self.coords.len() > self.bins {
                self.trim();
            }
        }
    }

    /// Pools another histogram's bins into this one.
    pub fn merge(&mut self, other: &[(f64, f64)]) {
        if other.is_empty() {
            return;
        }
        if self.coords.is_empty() {
            self.coords = other.to_vec();
            return;
        }
        self.coords.extend_from_slice(other);
        self.coords.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.trim();
    }

    fn trim(&mut self) {
        while self.coords.len() > self.bins {
            let mut smallest = self.coords[1].0 - self.coords[0].0;
            let (mut at, mut count) = (0, 1u32);
            for i in 1..self.coords.len() - 1 {
                let diff = self.coords[i + 1].0 - self.coords[i].0;
                if diff < smallest {
                    smallest = diff;
                    at = i;
                    count = 1;
                } else if diff == smallest {
                    count += 1;
                    if self.random.next_double() <= 1.0 / f64::from(count) {
                        at = i;
                    }
                }
            }
            let (x0, y0) = self.coords[at];
            let (x1, y1) = self.coords[at + 1];
            let d = y0 + y1;
            self.coords[at] = (x0 * (y0 / d) + x1 / d * y1, d);
            self.coords.remove(at + 1);
        }
    }

    pub fn coords(&self) -> &[(f64, f64)] {
        &self.coords
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkHistogramNumeric {
    signature: Signature,
    bins: usize,
}

impl SparkHistogramNumeric {
    pub fn udaf(bins: usize) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), bins }))
    }
}

fn bin_fields(x: &DataType) -> Fields {
    Fields::from(vec![Field::new("x", x.clone(), true), Field::new("y", DataType::Float64, true)])
}

/// The result type: `array<struct<x: input type, y: double>>`.
pub fn result_type(input: &DataType) -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Struct(bin_fields(input)), true)))
}

impl AggregateUDFImpl for SparkHistogramNumeric {
    fn name(&self) -> &str {
        "histogram_numeric"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(result_type(args.first().unwrap_or(&DataType::Float64)))
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let input = args.expr_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Float64);
        Ok(Box::new(HistogramAccumulator { histogram: NumericHistogram::new(self.bins), input }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("bins", result_type(&DataType::Float64), true))])
    }
}

#[derive(Debug)]
struct HistogramAccumulator {
    histogram: NumericHistogram,
    input: DataType,
}

impl HistogramAccumulator {
    fn bins_as(&self, x_type: &DataType) -> Result<ScalarValue> {
        let coords = self.histogram.coords();
        let xs: ArrayRef = Arc::new(datafusion::arrow::array::Float64Array::from(coords.iter().map(|c| c.0).collect::<Vec<_>>()));
        // Spark narrows the centres as Scala's toInt/toLong do (truncation).
        let xs = match x_type {
            DataType::Float64 => xs,
            t if t.is_integer() => cast(&cast(&xs, &DataType::Int64)?, t)?,
            DataType::Date32 => cast(&cast(&xs, &DataType::Int32)?, &DataType::Date32)?,
            DataType::Timestamp(unit, zone) => {
                let micros = cast(&xs, &DataType::Int64)?;
                cast(&micros, &DataType::Timestamp(*unit, zone.clone()))?
            }
            other => cast(&xs, other)?,
        };
        let ys: ArrayRef = Arc::new(datafusion::arrow::array::Float64Array::from(coords.iter().map(|c| c.1).collect::<Vec<_>>()));
        let bins = StructArray::try_new(bin_fields(x_type), vec![xs, ys], None)?;
        let field = Arc::new(Field::new("item", DataType::Struct(bin_fields(x_type)), true));
        Ok(ScalarValue::List(Arc::new(ListArray::new(field, OffsetBuffer::from_lengths([coords.len()]), Arc::new(bins), None))))
    }
}

impl Accumulator for HistogramAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let v = &values[0];
        let as_double = match v.data_type() {
            DataType::Date32 => cast(&cast(v, &DataType::Int32)?, &DataType::Float64)?,
            DataType::Timestamp(..) => cast(&cast(v, &DataType::Int64)?, &DataType::Float64)?,
            _ => cast(v, &DataType::Float64)?,
        };
        for x in as_double.as_primitive::<Float64Type>().iter().flatten() {
            self.histogram.add(x);
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(lists) = states[0].as_list_opt::<i32>() else { return exec_err!("histogram_numeric: unexpected state") };
        for row in 0..lists.len() {
            if lists.is_null(row) {
                continue;
            }
            let bins = lists.value(row);
            let bins = bins.as_struct();
            let (xs, ys) = (bins.column(0).as_primitive::<Float64Type>(), bins.column(1).as_primitive::<Float64Type>());
            let coords: Vec<(f64, f64)> = (0..bins.len()).map(|i| (xs.value(i), ys.value(i))).collect();
            self.histogram.merge(&coords);
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.bins_as(&DataType::Float64)?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        if self.histogram.coords().is_empty() {
            return ScalarValue::try_from(&result_type(&self.input));
        }
        self.bins_as(&self.input.clone())
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.histogram.coords.capacity() * 16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn histogram(values: &[f64], bins: usize) -> Vec<(f64, f64)> {
        let mut h = NumericHistogram::new(bins);
        for v in values {
            h.add(*v);
        }
        h.coords().to_vec()
    }

    #[test]
    fn matches_spark() {
        // Spark 4.3's answers (its centres are truncated to the input's INT type).
        assert_eq!(histogram(&[1.5, 2.5, 2.5, 100.0], 2), vec![(2.166666666666667, 3.0), (100.0, 1.0)]);
        // Spark's local[2] splits these rows in two partitions: two partial
        // histograms, then a final one that takes the first and merges the second.
        let (a, b) = (histogram(&[1.0, 2.0, 3.0, 4.0, 5.0], 3), histogram(&[6.0, 7.0, 8.0, 9.0, 10.0], 3));
        let mut h = NumericHistogram::new(3);
        h.merge(&a);
        h.merge(&b);
        assert_eq!(h.coords().iter().map(|c| (c.0 as i64, c.1)).collect::<Vec<_>>(), vec![(2, 3.0), (5, 3.0), (8, 4.0)]);
        let h = histogram(&[0.0, 1.0, 2.0, 10.0, 11.0, 20.0, 5.0], 3);
        assert_eq!(h.iter().map(|c| (c.0 as i64, c.1)).collect::<Vec<_>>(), vec![(2, 4.0), (10, 2.0), (20, 1.0)]);
    }
}
