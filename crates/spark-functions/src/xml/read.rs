//! `from_xml`: a record read into a struct type as Spark's XML reader does.
//! Struct fields take the attribute of their name (after the attribute
//! prefix), the element's own text (the value tag) or the child elements
//! of their name (all of them for an ARRAY field, else the first);
//! values are the trimmed text converted to the field's type, NULL where
//! that fails or the element is empty (empty text stays '' for STRING).
//! Text that is not XML gives a struct of NULLs (FAILFAST: an error).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, ListArray, StructArray, new_null_array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, ScalarValue, exec_err};

use super::XmlOptions;
use super::tree::{Element, parse};
use crate::temporal_parse::TemporalParser;

/// One value being read: an element, or a text (an attribute or the value tag).
#[derive(Debug, Clone, Copy)]
enum Node<'a> {
    Element(&'a Element),
    Text(&'a str),
}

impl<'a> Node<'a> {
    fn text(self) -> &'a str {
        match self {
            Node::Element(e) => &e.text,
            Node::Text(t) => t,
        }
    }
}

struct Reader<'a> {
    options: &'a XmlOptions,
    parser: TemporalParser,
}

impl Reader<'_> {
    fn scalar(&self, text: &str, t: &DataType) -> Option<ScalarValue> {
        let text = text.trim();
        if text.is_empty() && !matches!(t, DataType::Utf8) {
            return None;
        }
        Some(match t {
            DataType::Utf8 => ScalarValue::Utf8(Some(text.to_string())),
            DataType::Boolean => match text.to_ascii_lowercase().as_str() {
                "true" => ScalarValue::Boolean(Some(true)),
                "false" => ScalarValue::Boolean(Some(false)),
                _ => return None,
            },
            DataType::Int8 => ScalarValue::Int8(text.parse().ok()),
            DataType::Int16 => ScalarValue::Int16(text.parse().ok()),
            DataType::Int32 => ScalarValue::Int32(text.parse().ok()),
            DataType::Int64 => ScalarValue::Int64(text.parse().ok()),
            DataType::Float32 => ScalarValue::Float32(text.parse().ok()),
            DataType::Float64 => ScalarValue::Float64(text.parse().ok()),
            DataType::Decimal128(p, s) => {
                let v = ScalarValue::Utf8(Some(text.to_string())).cast_to(&DataType::Decimal128(*p, *s)).ok()?;
                if v.is_null() {
                    return None;
                }
                v
            }
            DataType::Date32 => ScalarValue::Date32(Some(self.parser.date_days(text)?)),
            DataType::Timestamp(_, zone) => ScalarValue::TimestampMicrosecond(Some(self.parser.timestamp_micros(text, zone.is_some())?), zone.clone()),
            DataType::Binary => ScalarValue::Binary(Some(text.as_bytes().to_vec())),
            _ => return None,
        })
    }

    /// The nodes of a struct field in one element.
    fn field_nodes<'e>(&self, e: &'e Element, name: &str) -> Vec<Node<'e>> {
        if name == self.options.value_tag {
            return if e.text.is_empty() { vec![] } else { vec![Node::Text(&e.text)] };
        }
        if let Some(attribute) = name.strip_prefix(self.options.attribute_prefix.as_str()).filter(|_| !self.options.attribute_prefix.is_empty()) {
            if let Some((_, v)) = e.attributes.iter().find(|(k, _)| k == attribute) {
                return vec![Node::Text(v)];
            }
        }
        e.children.iter().filter(|(n, _)| n == name).map(|(_, c)| Node::Element(c)).collect()
    }

    /// A column of `t` from one node (or none) per row.
    fn column(&self, nodes: &[Option<Node<'_>>], t: &DataType) -> Result<ArrayRef> {
        match t {
            DataType::Struct(fields) => {
                let mut columns = Vec::with_capacity(fields.len());
                for f in fields.iter() {
                    match f.data_type() {
                        DataType::List(item) => {
                            let mut offsets = vec![0i32];
                            let mut children = Vec::new();
                            let mut valid = Vec::with_capacity(nodes.len());
                            for n in nodes {
                                let found = match n {
                                    Some(Node::Element(e)) => self.field_nodes(e, f.name()),
                                    _ => vec![],
                                };
                                valid.push(!found.is_empty());
                                children.extend(found.into_iter().map(Some));
                                offsets.push(children.len() as i32);
                            }
                            let values = self.column(&children, item.data_type())?;
                            let item = Arc::new(Field::new(item.name(), item.data_type().clone(), true));
                            columns.push(Arc::new(ListArray::new(item, OffsetBuffer::new(offsets.into()), values, Some(NullBuffer::from(valid)))) as ArrayRef);
                        }
                        other => {
                            let picked: Vec<Option<Node<'_>>> = nodes
                                .iter()
                                .map(|n| match n {
                                    Some(Node::Element(e)) => self.field_nodes(e, f.name()).into_iter().next(),
                                    _ => None,
                                })
                                .collect();
                            columns.push(self.column(&picked, other)?);
                        }
                    }
                }
                let valid: Vec<bool> = nodes.iter().map(Option::is_some).collect();
                let fields: Vec<Field> = fields.iter().map(|f| f.as_ref().clone().with_nullable(true)).collect();
                Ok(Arc::new(StructArray::try_new(fields.into(), columns, Some(NullBuffer::from(valid)))?))
            }
            DataType::List(_) | DataType::Map(..) => exec_err!("from_xml reads arrays only as struct fields"),
            _ => {
                if nodes.is_empty() {
                    return Ok(new_null_array(t, 0));
                }
                let null = ScalarValue::try_from(t)?;
                let scalars = nodes.iter().map(|n| n.and_then(|n| self.scalar(n.text(), t)).unwrap_or_else(|| null.clone()));
                ScalarValue::iter_to_array(scalars)
            }
        }
    }
}

/// MALFORMED_RECORD_IN_PARSING (FAILFAST).
fn malformed() -> crate::error::SparkRuntimeError {
    crate::error::SparkRuntimeError::new(
        crate::error::RuntimeKind::Spark,
        "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION",
        "22023",
        "Malformed records are detected in record parsing: [null].\nParse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.",
    )
    .param("badRecord", "[null]")
    .param("failFastMode", "FAILFAST")
}

/// Reads each row's XML (None for NULL) into `t`, a struct type.
pub fn from_xml(texts: &[Option<&str>], t: &DataType, options: &XmlOptions, time_zone: &str) -> Result<ArrayRef> {
    let reader = Reader { options, parser: TemporalParser::new(options.timestamp_format.as_deref(), options.date_format.as_deref(), time_zone)? };
    let empty = Element::default();
    let parsed: Vec<Option<Option<Element>>> = texts.iter().map(|t| t.map(parse)).collect();
    let mut nodes = Vec::with_capacity(texts.len());
    for p in &parsed {
        nodes.push(match p {
            None => None,
            Some(Some(e)) => Some(Node::Element(e)),
            // Not XML: every field NULL.
            Some(None) if options.fail_fast => return Err(malformed().into_df()),
            Some(None) => Some(Node::Element(&empty)),
        });
    }
    reader.column(&nodes, t)
}
