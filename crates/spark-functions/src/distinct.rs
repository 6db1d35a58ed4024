//! `f(DISTINCT x, ...)` for any aggregate: the rows of its arguments are
//! deduplicated, then the distinct ones are fed to `f` itself.
//!
//! DataFusion's own `count`, `sum`, `avg`, ... implement `DISTINCT`; the
//! others (ours among them) would silently aggregate every row. Wrapping
//! them in [`DistinctOf`] gives Spark's meaning to all of them: the
//! distinct combinations of all arguments (floating-point arguments arrive
//! normalized, see [`crate::float_normalize`]).

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::arrow::row::{OwnedRow, RowConverter, SortField};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature};

/// The aggregate `inner` over the distinct rows of its arguments.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct DistinctOf {
    inner: Arc<AggregateUDF>,
    name: String,
}

impl DistinctOf {
    pub fn udaf(inner: Arc<AggregateUDF>) -> Arc<AggregateUDF> {
        let name = format!("{}_distinct", inner.name());
        Arc::new(AggregateUDF::new_from_impl(Self { inner, name }))
    }
}

impl AggregateUDFImpl for DistinctOf {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        self.inner.coerce_types(arg_types)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(arg_types)
    }

    fn return_field(&self, arg_fields: &[FieldRef]) -> Result<FieldRef> {
        self.inner.return_field(arg_fields)
    }

    fn is_nullable(&self) -> bool {
        self.inner.is_nullable()
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        self.inner.inner().order_sensitivity()
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let types: Vec<DataType> = args.expr_fields.iter().map(|f| f.data_type().clone()).collect();
        let inner = self.inner.accumulator(AccumulatorArgs { is_distinct: false, ..args })?;
        let converter = RowConverter::new(types.iter().map(|t| SortField::new(t.clone())).collect())?;
        Ok(Box::new(DistinctAccumulator { types, converter, seen: HashSet::new(), rows: vec![], fed: 0, inner }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(args
            .input_fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let item = Arc::new(Field::new("item", f.data_type().clone(), true));
                Arc::new(Field::new(format!("{}[distinct {i}]", args.name), DataType::List(item), true))
            })
            .collect())
    }
}

#[derive(Debug)]
struct DistinctAccumulator {
    types: Vec<DataType>,
    converter: RowConverter,
    seen: HashSet<OwnedRow>,
    /// The distinct rows in first-seen order; `rows[..fed]` were given to
    /// `inner` already.
    rows: Vec<OwnedRow>,
    fed: usize,
    inner: Box<dyn Accumulator>,
}

impl DistinctAccumulator {
    fn columns(&self, rows: &[OwnedRow]) -> Result<Vec<ArrayRef>> {
        Ok(self.converter.convert_rows(rows.iter().map(|r| r.row()))?)
    }
}

impl Accumulator for DistinctAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let rows = self.converter.convert_columns(values)?;
        for row in rows.iter() {
            let owned = row.owned();
            if !self.seen.contains(&owned) {
                self.seen.insert(owned.clone());
                self.rows.push(owned);
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(first) = states.first() else { return Ok(()) };
        for i in 0..first.len() {
            let columns: Vec<ArrayRef> = states.iter().map(|s| s.as_list::<i32>().value(i)).collect();
            self.update_batch(&columns)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let columns = self.columns(&self.rows)?;
        Ok(columns
            .into_iter()
            .zip(&self.types)
            .map(|(values, t)| {
                let item = Arc::new(Field::new("item", t.clone(), true));
                let list = ListArray::new(item, OffsetBuffer::from_lengths([values.len()]), values, None);
                ScalarValue::List(Arc::new(list))
            })
            .collect())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        if self.fed < self.rows.len() {
            let columns = self.columns(&self.rows[self.fed..])?;
            self.inner.update_batch(&columns)?;
            self.fed = self.rows.len();
        }
        self.inner.evaluate()
    }

    fn size(&self) -> usize {
        let rows: usize = self.rows.iter().map(|r| r.as_ref().len() * 2 + 48).sum();
        std::mem::size_of_val(self) + rows + self.converter.size() + self.inner.size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int64Array;
    use datafusion::arrow::datatypes::Schema;

    fn long_sum() -> Arc<AggregateUDF> {
        crate::sum::SparkSum::udaf(crate::sum::SumType::Long, crate::sum::Overflow::Fail)
    }

    fn accumulator() -> Box<dyn Accumulator> {
        let field: FieldRef = Arc::new(Field::new("x", DataType::Int64, true));
        let schema = Schema::new(vec![field.clone()]);
        let udaf = DistinctOf::udaf(long_sum());
        let args = AccumulatorArgs {
            return_field: Arc::new(Field::new("s", DataType::Int64, true)),
            schema: &schema,
            ignore_nulls: false,
            order_bys: &[],
            is_reversed: false,
            name: "s",
            is_distinct: false,
            exprs: &[],
            expr_fields: &[field],
        };
        udaf.inner().accumulator(args).expect("accumulator")
    }

    #[test]
    fn sums_each_value_once_across_batches_and_partial_states() {
        let mut a = accumulator();
        a.update_batch(&[Arc::new(Int64Array::from(vec![Some(1), Some(1), None, Some(2)]))]).expect("update");
        let mut b = accumulator();
        b.update_batch(&[Arc::new(Int64Array::from(vec![Some(2), Some(3), Some(1)]))]).expect("update");
        let state: Vec<ArrayRef> = b.state().expect("state").iter().map(|s| s.to_array().expect("array")).collect();
        a.merge_batch(&state).expect("merge");
        assert_eq!(a.evaluate().expect("evaluate"), ScalarValue::Int64(Some(6)));
    }

    #[test]
    fn nothing_distinct_is_the_aggregate_of_nothing() {
        assert_eq!(accumulator().evaluate().expect("evaluate"), ScalarValue::Int64(None));
    }
}
