//! `sum` and `avg` of doubles added one value after another, as Spark adds
//! them, so the total rounds as Spark's does (Arrow's sum kernel adds in
//! lanes, which rounds differently). Grouped aggregation keeps
//! DataFusion's per-group accumulators, which already add row by row.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, FieldRef, Float64Type, UInt64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, GroupsAccumulator, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkDoubleSum {
    signature: Signature,
    avg: bool,
    /// DataFusion's `sum` or `avg`, whose state layout this one shares.
    inner: Arc<AggregateUDF>,
}

impl SparkDoubleSum {
    pub fn udaf(avg: bool) -> Arc<AggregateUDF> {
        let inner = if avg { datafusion::functions_aggregate::average::avg_udaf() } else { datafusion::functions_aggregate::sum::sum_udaf() };
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::exact(vec![DataType::Float64], Volatility::Immutable), avg, inner }))
    }
}

impl AggregateUDFImpl for SparkDoubleSum {
    fn name(&self) -> &str {
        if self.avg { "avg" } else { "sum" }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        // `sum(DISTINCT x)` keeps DataFusion's set of values.
        if args.is_distinct {
            return self.inner.accumulator(args);
        }
        Ok(Box::new(DoubleSum { avg: self.avg, sum: 0.0, count: 0 }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        self.inner.inner().state_fields(args)
    }

    fn create_sliding_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if args.is_distinct {
            return self.inner.create_sliding_accumulator(args);
        }
        let avg = self.avg;
        Ok(Box::new(crate::frame_recompute::FrameRecompute::new(1, Arc::new(move || Box::new(DoubleSum { avg, sum: 0.0, count: 0 })))))
    }

    fn groups_accumulator_supported(&self, args: AccumulatorArgs) -> bool {
        self.inner.groups_accumulator_supported(args)
    }

    fn create_groups_accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        self.inner.create_groups_accumulator(args)
    }
}

#[derive(Debug)]
struct DoubleSum {
    avg: bool,
    sum: f64,
    count: u64,
}

impl Accumulator for DoubleSum {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for v in values[0].as_primitive::<Float64Type>().iter().flatten() {
            self.sum += v;
            self.count += 1;
        }
        Ok(())
    }

    /// The state is DataFusion's: `[sum]` for `sum`, `[count, sum]` for `avg`.
    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        if self.avg {
            let counts = states[0].as_primitive::<UInt64Type>();
            let sums = states[1].as_primitive::<Float64Type>();
            for i in 0..sums.len() {
                if !sums.is_null(i) && !counts.is_null(i) {
                    self.sum += sums.value(i);
                    self.count += counts.value(i);
                }
            }
        } else {
            for v in states[0].as_primitive::<Float64Type>().iter().flatten() {
                self.sum += v;
                self.count += 1;
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let sum = ScalarValue::Float64((self.count > 0).then_some(self.sum));
        Ok(if self.avg { vec![ScalarValue::UInt64(Some(self.count)), sum] } else { vec![sum] })
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(match (self.count, self.avg) {
            (0, _) => None,
            (n, true) => Some(self.sum / n as f64),
            (_, false) => Some(self.sum),
        }))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}
