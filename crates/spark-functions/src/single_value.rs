//! The value of a scalar subquery: its only row's value, NULL without rows,
//! and Spark's `SCALAR_SUBQUERY_TOO_MANY_ROWS` for more than one row.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SingleValue {
    signature: Signature,
}

impl SingleValue {
    pub fn udaf() -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable) }))
    }
}

fn too_many_rows() -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(RuntimeKind::Spark, "SCALAR_SUBQUERY_TOO_MANY_ROWS", "21000", "More than one row returned by a subquery used as an expression.").into_df()
}

impl AggregateUDFImpl for SingleValue {
    fn name(&self) -> &str {
        "spark_scalar_subquery_value"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args.first().cloned().unwrap_or(DataType::Null))
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let data_type = args.expr_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(Box::new(SingleValueAccumulator { value: ScalarValue::try_from(&data_type)?, rows: 0 }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let t = args.input_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(vec![Arc::new(Field::new("value", t, true)), Arc::new(Field::new("rows", DataType::Int64, false))])
    }
}

#[derive(Debug)]
struct SingleValueAccumulator {
    value: ScalarValue,
    rows: i64,
}

impl SingleValueAccumulator {
    fn take(&mut self, values: &ArrayRef, row: usize, rows: i64) -> Result<()> {
        if rows == 0 {
            return Ok(());
        }
        self.rows += rows;
        if self.rows > 1 {
            return Err(too_many_rows());
        }
        self.value = ScalarValue::try_from_array(values, row)?;
        Ok(())
    }
}

impl Accumulator for SingleValueAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let a = &values[0];
        if self.rows + a.len() as i64 > 1 && !a.is_empty() {
            return Err(too_many_rows());
        }
        for i in 0..a.len() {
            self.take(a, i, 1)?;
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let rows = states[1].as_primitive::<Int64Type>();
        for i in 0..rows.len() {
            self.take(&states[0], i, rows.value(i))?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.value.clone(), ScalarValue::Int64(Some(self.rows))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.value.clone())
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.value.size()
    }
}
