//! `schema_of_xml`: the type Spark's XML schema inference gives a record.
//! Values are tried as BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP, else
//! STRING; attributes become fields with the attribute prefix, an
//! element's own text beside attributes or children the value tag, and a
//! repeated element an ARRAY; fields are sorted by name. Text that is not
//! XML gives `STRUCT<_corrupt_record: STRING>`.

use super::XmlOptions;
use super::tree::{Element, parse};
use crate::temporal_parse::TemporalParser;
use spark_plan::data_type::quote_if_needed;

#[derive(Debug, Clone, PartialEq)]
pub enum XmlType {
    Null,
    Long,
    Double,
    Boolean,
    Date,
    Timestamp,
    String,
    Array(Box<XmlType>),
    /// Fields sorted by name.
    Struct(Vec<(String, XmlType)>),
}

impl XmlType {
    pub fn sql(&self) -> String {
        match self {
            XmlType::Null | XmlType::String => "STRING".into(),
            XmlType::Long => "BIGINT".into(),
            XmlType::Double => "DOUBLE".into(),
            XmlType::Boolean => "BOOLEAN".into(),
            XmlType::Date => "DATE".into(),
            XmlType::Timestamp => "TIMESTAMP".into(),
            XmlType::Array(e) => format!("ARRAY<{}>", e.sql()),
            XmlType::Struct(fields) => {
                format!("STRUCT<{}>", fields.iter().map(|(k, t)| format!("{}: {}", quote_if_needed(k), t.sql())).collect::<Vec<_>>().join(", "))
            }
        }
    }
}

fn is_double(v: &str) -> bool {
    let unsigned = v.strip_prefix(['+', '-']).unwrap_or(v);
    let starts = unsigned.chars().next().is_none_or(|c| c.is_ascii_digit() || c == '.');
    let suffixed = unsigned.ends_with(['d', 'D', 'f', 'F']);
    starts && !suffixed && unsigned.parse::<f64>().is_ok()
}

/// The type of one text value.
pub fn infer_value(v: &str, parser: &TemporalParser) -> XmlType {
    if v.is_empty() {
        XmlType::Null
    } else if v.strip_prefix('+').unwrap_or(v).parse::<i64>().is_ok() {
        XmlType::Long
    } else if is_double(v) {
        XmlType::Double
    } else if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
        XmlType::Boolean
    } else if parser.date_days(v).is_some() {
        XmlType::Date
    } else if parser.timestamp_micros(v, true).is_some() {
        XmlType::Timestamp
    } else {
        XmlType::String
    }
}

fn rank(t: &XmlType) -> Option<u8> {
    match t {
        XmlType::Long => Some(0),
        XmlType::Double => Some(1),
        _ => None,
    }
}

/// Spark's `XmlInferSchema.compatibleType`.
pub fn merge(a: XmlType, b: XmlType, options: &XmlOptions) -> XmlType {
    use XmlType::*;
    match (a, b) {
        (a, b) if a == b => a,
        (Null, t) | (t, Null) => t,
        (a, b) if rank(&a).is_some() && rank(&b).is_some() => Double,
        (Date, Timestamp) | (Timestamp, Date) => Timestamp,
        (Array(x), Array(y)) => Array(Box::new(merge(*x, *y, options))),
        (Array(x), t) | (t, Array(x)) => Array(Box::new(merge(*x, t, options))),
        (Struct(x), Struct(y)) => {
            let mut fields = x;
            for (k, t) in y {
                match fields.iter_mut().find(|(n, _)| *n == k) {
                    Some((_, existing)) => *existing = merge(std::mem::replace(existing, Null), t, options),
                    None => fields.push((k, t)),
                }
            }
            fields.sort_by(|p, q| p.0.cmp(&q.0));
            Struct(fields)
        }
        (Struct(x), t) | (t, Struct(x)) => merge(Struct(x), Struct(vec![(options.value_tag.clone(), t)]), options),
        _ => String,
    }
}

/// The type of an element's content.
fn infer_element(e: &Element, options: &XmlOptions, parser: &TemporalParser, root: bool) -> XmlType {
    let with_attributes = !options.exclude_attribute;
    if !root && e.is_leaf(with_attributes) {
        return infer_value(&e.text, parser);
    }
    let mut fields: Vec<(String, XmlType)> = Vec::new();
    if with_attributes {
        for (k, v) in &e.attributes {
            fields.push((format!("{}{k}", options.attribute_prefix), infer_value(v, parser)));
        }
    }
    let mut seen: Vec<String> = Vec::new();
    for (name, child) in &e.children {
        let t = infer_element(child, options, parser, false);
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some((_, existing)) => {
                let repeated = seen.iter().any(|n| n == name);
                let previous = std::mem::replace(existing, XmlType::Null);
                *existing = match previous {
                    XmlType::Array(inner) if repeated => XmlType::Array(Box::new(merge(*inner, t, options))),
                    other => XmlType::Array(Box::new(merge(other, t, options))),
                };
            }
            None => fields.push((name.clone(), t)),
        }
        seen.push(name.clone());
    }
    if !e.text.is_empty() {
        fields.push((options.value_tag.clone(), infer_value(&e.text, parser)));
    }
    fields.sort_by(|p, q| p.0.cmp(&q.0));
    XmlType::Struct(fields)
}

/// Null types (empty values) read as STRING.
fn finish(t: XmlType) -> XmlType {
    match t {
        XmlType::Null => XmlType::String,
        XmlType::Array(e) => XmlType::Array(Box::new(finish(*e))),
        XmlType::Struct(fields) => XmlType::Struct(fields.into_iter().map(|(k, t)| (k, finish(t))).collect()),
        other => other,
    }
}

/// The schema of one record, as Spark prints it.
pub fn schema_of_xml(xml: &str, options: &XmlOptions, time_zone: &str) -> datafusion::common::Result<String> {
    let parser = TemporalParser::new(options.timestamp_format.as_deref(), options.date_format.as_deref(), time_zone)?;
    Ok(match parse(xml) {
        Some(root) => finish(infer_element(&root, options, &parser, true)).sql(),
        None => "STRUCT<_corrupt_record: STRING>".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(xml: &str, exclude: bool) -> String {
        let mut o = XmlOptions::from_options(&Default::default());
        o.exclude_attribute = exclude;
        schema_of_xml(xml, &o, "UTC").unwrap_or_default()
    }

    #[test]
    fn infers_as_spark() {
        // Recorded from Spark 4.3.
        assert_eq!(schema("<p><a>1</a></p>", false), "STRUCT<a: BIGINT>");
        assert_eq!(schema(r#"<p><a attr="2">1</a><a>3</a></p>"#, true), "STRUCT<a: ARRAY<BIGINT>>");
        assert_eq!(schema(r#"<p><a attr="2">1</a><a>3</a></p>"#, false), "STRUCT<a: ARRAY<STRUCT<_VALUE: BIGINT, _attr: BIGINT>>>");
        assert_eq!(
            schema(r#"<p a="1" b="x"><c>1.5</c><d>true</d><e>2024-01-01</e><f>2024-01-01 10:00:00</f><g></g><h><i>1</i></h></p>"#, false),
            "STRUCT<_a: BIGINT, _b: STRING, c: DOUBLE, d: BOOLEAN, e: DATE, f: TIMESTAMP, g: STRING, h: STRUCT<i: BIGINT>>"
        );
        assert_eq!(schema("<p><a>1</a><a>x</a><b>12345678901234567890</b><c>1e5</c></p>", false), "STRUCT<a: ARRAY<STRING>, b: DOUBLE, c: DOUBLE>");
        assert_eq!(schema("<p>text</p>", false), "STRUCT<_VALUE: STRING>");
        assert_eq!(schema("<p/>", false), "STRUCT<>");
        assert_eq!(schema("<p><a/></p>", false), "STRUCT<a: STRING>");
        assert_eq!(schema("<p><a>1</a>tail</p>", false), "STRUCT<_VALUE: STRING, a: BIGINT>");
        assert_eq!(schema("not xml", false), "STRUCT<_corrupt_record: STRING>");
        assert_eq!(schema("<p><a><b>1</b></a><a><c>x</c></a></p>", false), "STRUCT<a: ARRAY<STRUCT<b: BIGINT, c: STRING>>>");
    }

    #[test]
    fn deep_documents_are_malformed_not_a_stack_overflow() {
        let run = std::thread::Builder::new().stack_size(64 << 20).spawn(|| {
            let deep = format!("{}{}", "<a>".repeat(200_000), "</a>".repeat(200_000));
            schema(&deep, false)
        });
        assert!(run.is_ok_and(|h| h.join().is_ok_and(|s| s == "STRUCT<_corrupt_record: STRING>")));
    }
}
