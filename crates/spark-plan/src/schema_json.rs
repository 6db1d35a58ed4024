//! Spark's JSON schema form (`StructType.json()`), as sent in `LocalRelation.schema`.

use serde_json::{Map, Value, json};

use crate::{DataType, PlanError, PlanResult, StructField};

/// Parses a JSON data type (`{"type":"struct","fields":[...]}` or `"integer"`).
pub fn parse_json_type(text: &str) -> PlanResult<DataType> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| PlanError::invalid(format!("invalid JSON schema: {e}")))?;
    from_json_value(&value)
}

fn unit_index(units: &[&str], name: Option<&Value>, default: u8) -> u8 {
    match name {
        Some(Value::Number(n)) => n.as_u64().map(|n| n as u8).unwrap_or(default),
        _ => default,
    }
    .min(units.len() as u8)
}

pub fn from_json_value(value: &Value) -> PlanResult<DataType> {
    match value {
        Value::String(name) => simple_type_from_name(name),
        Value::Object(obj) => {
            let kind = obj.get("type").and_then(Value::as_str).unwrap_or_default();
            match kind {
                "struct" => {
                    let fields = obj
                        .get("fields")
                        .and_then(Value::as_array)
                        .ok_or_else(|| PlanError::invalid("struct without fields"))?;
                    let fields = fields
                        .iter()
                        .map(field_from_json)
                        .collect::<PlanResult<Vec<_>>>()?;
                    Ok(DataType::Struct(fields))
                }
                "array" => Ok(DataType::array(
                    from_json_value(obj.get("elementType").unwrap_or(&Value::Null))?,
                    obj.get("containsNull").and_then(Value::as_bool).unwrap_or(true),
                )),
                "map" => Ok(DataType::map(
                    from_json_value(obj.get("keyType").unwrap_or(&Value::Null))?,
                    from_json_value(obj.get("valueType").unwrap_or(&Value::Null))?,
                    obj.get("valueContainsNull").and_then(Value::as_bool).unwrap_or(true),
                )),
                "udt" => match obj.get("sqlType") {
                    Some(t) => from_json_value(t),
                    None => Err(PlanError::invalid("user-defined types are not supported")),
                },
                other => Err(PlanError::invalid(format!("unknown JSON data type: {other}"))),
            }
        }
        other => Err(PlanError::invalid(format!("invalid JSON data type: {other}"))),
    }
}

fn field_from_json(value: &Value) -> PlanResult<StructField> {
    let obj = value.as_object().ok_or_else(|| PlanError::invalid("field is not an object"))?;
    let name = obj.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    let data_type = from_json_value(obj.get("type").unwrap_or(&Value::Null))?;
    let nullable = obj.get("nullable").and_then(Value::as_bool).unwrap_or(true);
    let metadata = obj
        .get("metadata")
        .filter(|m| m.as_object().is_some_and(|m| !m.is_empty()))
        .map(|m| m.to_string());
    Ok(StructField { name, data_type, nullable, metadata })
}

/// Names of atomic types in JSON (and most of DDL).
pub fn simple_type_from_name(name: &str) -> PlanResult<DataType> {
    let lower = name.trim().to_ascii_lowercase();
    let t = match lower.as_str() {
        "void" | "null" => DataType::Null,
        "boolean" => DataType::Boolean,
        "byte" | "tinyint" => DataType::Byte,
        "short" | "smallint" => DataType::Short,
        "integer" | "int" => DataType::Integer,
        "long" | "bigint" => DataType::Long,
        "float" | "real" => DataType::Float,
        "double" => DataType::Double,
        "decimal" => DataType::DEFAULT_DECIMAL,
        "string" => DataType::String,
        "binary" => DataType::Binary,
        "date" => DataType::Date,
        "timestamp" | "timestamp_ltz" => DataType::Timestamp,
        "timestamp_ntz" => DataType::TimestampNtz,
        "interval" => DataType::CalendarInterval,
        "variant" => DataType::Variant,
        _ => return parse_parameterized(&lower),
    };
    Ok(t)
}

fn parse_parameterized(lower: &str) -> PlanResult<DataType> {
    let args = |prefix: &str| -> Option<Vec<i64>> {
        let rest = lower.strip_prefix(prefix)?.trim();
        let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
        inner.split(',').map(|p| p.trim().parse::<i64>().ok()).collect()
    };
    if let Some(a) = args("decimal") {
        if let [p, s] = a.as_slice() {
            return Ok(DataType::Decimal { precision: *p as u8, scale: *s as i8 });
        }
        if let [p] = a.as_slice() {
            return Ok(DataType::Decimal { precision: *p as u8, scale: 0 });
        }
    }
    if let Some([n]) = args("char").as_deref() {
        return Ok(DataType::Char(*n as u32));
    }
    if let Some([n]) = args("varchar").as_deref() {
        return Ok(DataType::VarChar(*n as u32));
    }
    if let Some(rest) = lower.strip_prefix("interval ") {
        let parts: Vec<&str> = rest.split_whitespace().collect();
        let dt = ["day", "hour", "minute", "second"];
        let ym = ["year", "month"];
        let pos = |units: &[&str], n: &str| units.iter().position(|u| *u == n).map(|p| p as u8);
        let (start, end) = match parts.as_slice() {
            [a] => (*a, *a),
            [a, "to", b] => (*a, *b),
            _ => return Err(PlanError::invalid(format!("unknown data type: {lower}"))),
        };
        if let (Some(s), Some(e)) = (pos(&dt, start), pos(&dt, end)) {
            return Ok(DataType::DayTimeInterval { start: s, end: e });
        }
        if let (Some(s), Some(e)) = (pos(&ym, start), pos(&ym, end)) {
            return Ok(DataType::YearMonthInterval { start: s, end: e });
        }
    }
    let _ = unit_index;
    Err(PlanError::invalid(format!("unknown data type: {lower}")))
}

/// Serializes a type as Spark's JSON form.
pub fn to_json_value(t: &DataType) -> Value {
    match t {
        DataType::Struct(fields) => {
            let fields: Vec<Value> = fields
                .iter()
                .map(|f| {
                    let metadata: Value = f
                        .metadata
                        .as_deref()
                        .and_then(|m| serde_json::from_str(m).ok())
                        .unwrap_or_else(|| Value::Object(Map::new()));
                    json!({"name": f.name, "type": to_json_value(&f.data_type),
                           "nullable": f.nullable, "metadata": metadata})
                })
                .collect();
            json!({"type": "struct", "fields": fields})
        }
        DataType::Array { element, contains_null } => {
            json!({"type": "array", "elementType": to_json_value(element), "containsNull": contains_null})
        }
        DataType::Map { key, value, value_contains_null } => json!({
            "type": "map", "keyType": to_json_value(key), "valueType": to_json_value(value),
            "valueContainsNull": value_contains_null
        }),
        other => Value::String(other.json_type_name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let text = r#"{"fields":[{"metadata":{},"name":"x","nullable":true,"type":"integer"},
            {"metadata":{},"name":"y","nullable":false,"type":{"type":"array","elementType":"string","containsNull":true}}],"type":"struct"}"#;
        let t = parse_json_type(text).unwrap_or(DataType::Null);
        assert_eq!(t.simple_string(), "struct<x:int,y:array<string>>");
        let back = from_json_value(&to_json_value(&t)).unwrap_or(DataType::Null);
        assert_eq!(back, t);
        assert_eq!(
            simple_type_from_name("decimal(10, 2)").ok(),
            Some(DataType::Decimal { precision: 10, scale: 2 })
        );
    }
}
