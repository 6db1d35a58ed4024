//! `schema_of_variant` and `schema_of_variant_agg`: the type of a variant
//! value (objects print as `OBJECT<...>`, every integer as BIGINT), and the
//! merge of two such types as Spark's JSON schema inference merges them,
//! with VARIANT where they have no common type.

use spark_plan::data_type::quote_if_needed;
use super::encoding::{Kind, Scalar, Variant, VariantResult, decimal_digits};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaType {
    Void,
    Boolean,
    Long,
    String,
    Double,
    Float,
    Decimal(u32, u32),
    Date,
    Timestamp,
    TimestampNtz,
    Binary,
    Uuid,
    Variant,
    Array(Box<SchemaType>),
    /// Fields sorted by name.
    Object(Vec<(String, SchemaType)>),
}

impl SchemaType {
    pub fn sql(&self) -> String {
        match self {
            Self::Void => "VOID".into(),
            Self::Boolean => "BOOLEAN".into(),
            Self::Long => "BIGINT".into(),
            Self::String => "STRING".into(),
            Self::Double => "DOUBLE".into(),
            Self::Float => "FLOAT".into(),
            Self::Decimal(p, s) => format!("DECIMAL({p},{s})"),
            Self::Date => "DATE".into(),
            Self::Timestamp => "TIMESTAMP".into(),
            Self::TimestampNtz => "TIMESTAMP_NTZ".into(),
            Self::Binary => "BINARY".into(),
            Self::Uuid => "UUID".into(),
            Self::Variant => "VARIANT".into(),
            Self::Array(e) => format!("ARRAY<{}>", e.sql()),
            Self::Object(fields) => {
                format!("OBJECT<{}>", fields.iter().map(|(k, t)| format!("{}: {}", quote_if_needed(k), t.sql())).collect::<Vec<_>>().join(", "))
            }
        }
    }
}

/// The schema of one value.
pub fn schema_of(v: Variant<'_>) -> VariantResult<SchemaType> {
    Ok(match v.kind()? {
        Kind::Object => {
            let mut fields = Vec::new();
            for i in 0..v.object_size()? {
                let (k, child) = v.field_at(i)?;
                fields.push((k.to_string(), schema_of(child)?));
            }
            SchemaType::Object(fields)
        }
        Kind::Array => {
            let mut element = SchemaType::Void;
            for i in 0..v.array_size()? {
                if let Some(child) = v.element_at(i)? {
                    element = merge(element, schema_of(child)?);
                }
            }
            SchemaType::Array(Box::new(element))
        }
        _ => match v.scalar()? {
            Scalar::Null => SchemaType::Void,
            Scalar::Boolean(_) => SchemaType::Boolean,
            Scalar::Long(_) => SchemaType::Long,
            Scalar::String(_) => SchemaType::String,
            Scalar::Double(_) => SchemaType::Double,
            Scalar::Float(_) => SchemaType::Float,
            Scalar::Decimal { unscaled, scale } => {
                let s = u32::from(scale);
                SchemaType::Decimal(decimal_digits(unscaled).max(s), s)
            }
            Scalar::Date(_) => SchemaType::Date,
            Scalar::Timestamp(_) | Scalar::TimestampNanos(_) => SchemaType::Timestamp,
            Scalar::TimestampNtz(_) | Scalar::TimestampNanosNtz(_) => SchemaType::TimestampNtz,
            Scalar::Binary(_) => SchemaType::Binary,
            Scalar::Uuid(_) => SchemaType::Uuid,
        },
    })
}

fn numeric_rank(t: &SchemaType) -> Option<u8> {
    match t {
        SchemaType::Long => Some(0),
        SchemaType::Float => Some(1),
        SchemaType::Double => Some(2),
        _ => None,
    }
}

fn datetime_rank(t: &SchemaType) -> Option<u8> {
    match t {
        SchemaType::Date => Some(0),
        SchemaType::TimestampNtz => Some(1),
        SchemaType::Timestamp => Some(2),
        _ => None,
    }
}

/// Spark's `JsonInferSchema.compatibleType` with VARIANT as the fallback.
pub fn merge(a: SchemaType, b: SchemaType) -> SchemaType {
    use SchemaType::*;
    match (a, b) {
        (a, b) if a == b => a,
        (Void, t) | (t, Void) => t,
        (a, b) if numeric_rank(&a).is_some() && numeric_rank(&b).is_some() => {
            if numeric_rank(&a) > numeric_rank(&b) { a } else { b }
        }
        (a, b) if datetime_rank(&a).is_some() && datetime_rank(&b).is_some() => {
            if datetime_rank(&a) > datetime_rank(&b) { a } else { b }
        }
        (Double, Decimal(..)) | (Decimal(..), Double) | (Float, Decimal(..)) | (Decimal(..), Float) => Double,
        (Decimal(p1, s1), Decimal(p2, s2)) => {
            let scale = s1.max(s2);
            let range = (p1 - s1).max(p2 - s2);
            if range + scale > 38 { Double } else { Decimal(range + scale, scale) }
        }
        (Long, d @ Decimal(..)) | (d @ Decimal(..), Long) => merge(Decimal(20, 0), d),
        (Array(x), Array(y)) => Array(Box::new(merge(*x, *y))),
        (Object(x), Object(y)) => {
            let mut out: Vec<(std::string::String, SchemaType)> = Vec::with_capacity(x.len() + y.len());
            let (mut i, mut j) = (x.into_iter().peekable(), y.into_iter().peekable());
            loop {
                let order = match (i.peek(), j.peek()) {
                    (Some((a, _)), Some((b, _))) => super::builder::java_compare(a, b),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => break,
                };
                match order {
                    std::cmp::Ordering::Less => out.extend(i.next()),
                    std::cmp::Ordering::Greater => out.extend(j.next()),
                    std::cmp::Ordering::Equal => {
                        if let (Some((k, t1)), Some((_, t2))) = (i.next(), j.next()) {
                            out.push((k, merge(t1, t2)));
                        }
                    }
                }
            }
            Object(out)
        }
        _ => Variant,
    }
}

#[cfg(test)]
mod tests {
    use super::super::json::parse_json;
    use super::*;

    fn schema(text: &str) -> String {
        let (v, m) = parse_json(text).expect("JSON");
        schema_of(Variant::new(&v, &m)).expect("readable").sql()
    }

    #[test]
    fn schemas_as_spark() {
        // Recorded from Spark 4.3.
        assert_eq!(schema("null"), "VOID");
        assert_eq!(schema(r#"[{"b":true,"a":0}]"#), "ARRAY<OBJECT<a: BIGINT, b: BOOLEAN>>");
        assert_eq!(schema(r#"[1, "a", 1.5, null, true]"#), "ARRAY<VARIANT>");
        assert_eq!(schema("[1, 1.5, 1e2]"), "ARRAY<DOUBLE>");
        assert_eq!(schema("[1.5, 12.345]"), "ARRAY<DECIMAL(5,3)>");
        assert_eq!(schema(r#"[{"a":1},{"b":2},{"a":"x"}]"#), "ARRAY<OBJECT<a: VARIANT, b: BIGINT>>");
        assert_eq!(schema(r#"{"a b":1, "`c":2}"#), "OBJECT<```c`: BIGINT, `a b`: BIGINT>");
        assert_eq!(schema("[1, 12345678901234567890123, 1.5]"), "ARRAY<DECIMAL(24,1)>");
        assert_eq!(schema("[[1],[1.5]]"), "ARRAY<ARRAY<DECIMAL(21,1)>>");
        assert_eq!(schema("[]"), "ARRAY<VOID>");
    }
}
