//! `schema_of_variant_agg(v)`: the merged schema of a column of variants
//! (VOID when there is no non-NULL value). Partial states travel as the
//! schema in a small JSON form.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};
use serde_json::{Value, json};

use super::VariantColumn;
use super::schema::{SchemaType, merge, schema_of};
use crate::error::SparkRuntimeError;

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SchemaOfVariantAgg {
    signature: Signature,
}

impl SchemaOfVariantAgg {
    pub fn udaf() -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable) }))
    }
}

impl AggregateUDFImpl for SchemaOfVariantAgg {
    fn name(&self) -> &str {
        "schema_of_variant_agg"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SchemaAccumulator { schema: SchemaType::Void }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("schema", DataType::Utf8, true))])
    }
}

fn to_state(t: &SchemaType) -> Value {
    match t {
        SchemaType::Array(e) => json!({ "array": to_state(e) }),
        SchemaType::Object(fields) => json!({ "object": fields.iter().map(|(k, t)| json!([k, to_state(t)])).collect::<Vec<_>>() }),
        SchemaType::Decimal(p, s) => json!({ "decimal": [p, s] }),
        other => Value::String(other.sql()),
    }
}

fn from_state(v: &Value) -> Option<SchemaType> {
    Some(match v {
        Value::String(s) => match s.as_str() {
            "VOID" => SchemaType::Void,
            "BOOLEAN" => SchemaType::Boolean,
            "BIGINT" => SchemaType::Long,
            "STRING" => SchemaType::String,
            "DOUBLE" => SchemaType::Double,
            "FLOAT" => SchemaType::Float,
            "DATE" => SchemaType::Date,
            "TIMESTAMP" => SchemaType::Timestamp,
            "TIMESTAMP_NTZ" => SchemaType::TimestampNtz,
            "BINARY" => SchemaType::Binary,
            "UUID" => SchemaType::Uuid,
            _ => SchemaType::Variant,
        },
        Value::Object(o) => {
            if let Some(e) = o.get("array") {
                SchemaType::Array(Box::new(from_state(e)?))
            } else if let Some(Value::Array(d)) = o.get("decimal") {
                SchemaType::Decimal(d.first()?.as_u64()? as u32, d.get(1)?.as_u64()? as u32)
            } else {
                let fields = o.get("object")?.as_array()?;
                SchemaType::Object(
                    fields
                        .iter()
                        .map(|f| Some((f.get(0)?.as_str()?.to_string(), from_state(f.get(1)?)?)))
                        .collect::<Option<Vec<_>>>()?,
                )
            }
        }
        _ => return None,
    })
}

#[derive(Debug)]
struct SchemaAccumulator {
    schema: SchemaType,
}

impl SchemaAccumulator {
    fn absorb(&mut self, t: SchemaType) {
        let current = std::mem::replace(&mut self.schema, SchemaType::Void);
        self.schema = merge(current, t);
    }
}

impl Accumulator for SchemaAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if values[0].data_type() == &DataType::Null {
            return Ok(());
        }
        let column = VariantColumn::new(values[0].as_ref())?;
        for i in 0..column.len() {
            if let Some(v) = column.get(i) {
                let t = schema_of(v).map_err(SparkRuntimeError::into_df)?;
                self.absorb(t);
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for i in 0..states[0].len() {
            if let Some(text) = crate::bytes_at(states[0].as_ref(), i) {
                let t = serde_json::from_slice::<Value>(text).ok().and_then(|v| from_state(&v)).unwrap_or(SchemaType::Variant);
                self.absorb(t);
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Utf8(Some(to_state(&self.schema).to_string()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Utf8(Some(self.schema.sql())))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.schema.sql().len()
    }
}
