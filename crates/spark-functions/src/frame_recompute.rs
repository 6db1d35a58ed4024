//! Window frames that slide (`ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING`)
//! for aggregates whose doubles must round as Spark's: Spark aggregates
//! each frame's rows afresh, so this keeps the frame's rows and runs a new
//! accumulator over them for each result instead of subtracting the rows
//! that leave.

use std::collections::VecDeque;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::Accumulator;

/// Makes the accumulator each frame is aggregated with.
pub type Fresh = Arc<dyn Fn() -> Box<dyn Accumulator> + Send + Sync>;

pub struct FrameRecompute {
    fresh: Fresh,
    /// The frame's rows, one value per argument (as doubles).
    rows: VecDeque<Vec<Option<f64>>>,
    arity: usize,
}

impl std::fmt::Debug for FrameRecompute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FrameRecompute({} rows)", self.rows.len())
    }
}

impl FrameRecompute {
    pub fn new(arity: usize, fresh: Fresh) -> Self {
        Self { fresh, rows: VecDeque::new(), arity }
    }
}

fn doubles(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(datafusion::arrow::compute::cast(a, &DataType::Float64)?)
}

impl Accumulator for FrameRecompute {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let columns = values.iter().take(self.arity).map(doubles).collect::<Result<Vec<_>>>()?;
        let len = columns.first().map_or(0, |c| c.len());
        for row in 0..len {
            self.rows.push_back(columns.iter().map(|c| {
                let c = c.as_primitive::<Float64Type>();
                (!c.is_null(row)).then(|| c.value(row))
            }).collect());
        }
        Ok(())
    }

    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        for _ in 0..values.first().map_or(0, |v| v.len()) {
            self.rows.pop_front();
        }
        Ok(())
    }

    fn supports_retract_batch(&self) -> bool {
        true
    }

    fn merge_batch(&mut self, _: &[ArrayRef]) -> Result<()> {
        exec_err!("a window frame's accumulator is not merged")
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        exec_err!("a window frame's accumulator has no partial state")
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let mut acc = (self.fresh)();
        let columns: Vec<ArrayRef> = (0..self.arity)
            .map(|i| Arc::new(self.rows.iter().map(|r| r[i]).collect::<Float64Array>()) as ArrayRef)
            .collect();
        acc.update_batch(&columns)?;
        acc.evaluate()
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.rows.len() * (self.arity * 16 + 24)
    }
}
