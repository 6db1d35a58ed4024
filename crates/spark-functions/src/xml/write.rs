//! `to_xml`: a struct as Spark's XML writer prints a row. The row is a
//! `rowTag` element (ROW); fields starting with the attribute prefix are
//! its attributes and the value tag its text; other fields are child
//! elements (arrays repeat the element, an array inside an array is an
//! element of `item`s, maps use their keys as element names). NULL fields
//! are left out; children go on their own lines, indented by `indent`.

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;

use super::XmlOptions;
use crate::temporal_text::{DEFAULT_DATE_FORMAT, DEFAULT_TIMESTAMP_FORMAT, TemporalText};
use crate::value_text::{TextStyle, value_text};

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// An element: its attributes, text and children (already rendered).
struct Node {
    name: String,
    attributes: Vec<(String, String)>,
    text: Option<String>,
    children: Vec<Node>,
}

pub struct XmlWriter<'a> {
    options: &'a XmlOptions,
    temporal: TemporalText,
    time_zone: String,
}

impl<'a> XmlWriter<'a> {
    pub fn new(options: &'a XmlOptions, time_zone: &str) -> Result<Self> {
        let temporal = TemporalText::new(
            time_zone,
            options.timestamp_format.as_deref().unwrap_or(DEFAULT_TIMESTAMP_FORMAT),
            options.date_format.as_deref().unwrap_or(DEFAULT_DATE_FORMAT),
        )?;
        Ok(Self { options, temporal, time_zone: time_zone.to_string() })
    }

    fn scalar_text(&self, a: &dyn Array, row: usize) -> Result<String> {
        if let Some(t) = self.temporal.text(a, row)? {
            return Ok(t);
        }
        Ok(match a.data_type() {
            DataType::Binary | DataType::LargeBinary => value_text(a, row, &self.time_zone, TextStyle::Show),
            _ => value_text(a, row, &self.time_zone, TextStyle::Cast),
        })
    }

    /// The elements named `name` that value `row` of `a` becomes.
    fn elements(&self, name: &str, a: &dyn Array, row: usize, out: &mut Vec<Node>) -> Result<()> {
        if a.is_null(row) {
            return Ok(());
        }
        match a.data_type() {
            DataType::List(_) => {
                let values = a.as_list::<i32>().value(row);
                for i in 0..values.len() {
                    if let DataType::List(_) = values.data_type() {
                        if values.is_null(i) {
                            continue;
                        }
                        let inner = values.as_list::<i32>().value(i);
                        let mut items = Vec::new();
                        for j in 0..inner.len() {
                            self.elements(&self.options.array_element_name, inner.as_ref(), j, &mut items)?;
                        }
                        out.push(Node { name: name.to_string(), attributes: vec![], text: None, children: items });
                    } else {
                        self.elements(name, values.as_ref(), i, out)?;
                    }
                }
            }
            DataType::Struct(_) => out.push(self.node(name, a, row)?),
            DataType::Map(..) => {
                let entries = a.as_map().value(row);
                let mut children = Vec::new();
                for i in 0..entries.len() {
                    let key = value_text(entries.column(0).as_ref(), i, &self.time_zone, TextStyle::Cast);
                    self.elements(&key, entries.column(1).as_ref(), i, &mut children)?;
                }
                out.push(Node { name: name.to_string(), attributes: vec![], text: None, children });
            }
            _ => out.push(Node { name: name.to_string(), attributes: vec![], text: Some(self.scalar_text(a, row)?), children: vec![] }),
        }
        Ok(())
    }

    /// Row `row` of a struct array as an element named `name`.
    fn node(&self, name: &str, a: &dyn Array, row: usize) -> Result<Node> {
        let s = a.as_struct();
        let mut node = Node { name: name.to_string(), attributes: vec![], text: None, children: vec![] };
        let prefix = &self.options.attribute_prefix;
        for (i, f) in s.fields().iter().enumerate() {
            let column = s.column(i);
            if column.is_null(row) {
                continue;
            }
            if *f.name() == self.options.value_tag {
                node.text = Some(self.scalar_text(column.as_ref(), row)?);
            } else if let Some(attribute) = f.name().strip_prefix(prefix.as_str()).filter(|_| !prefix.is_empty()) {
                node.attributes.push((attribute.to_string(), self.scalar_text(column.as_ref(), row)?));
            } else {
                self.elements(f.name(), column.as_ref(), row, &mut node.children)?;
            }
        }
        Ok(node)
    }

    fn render(&self, node: &Node, depth: usize, out: &mut String) {
        let indent = &self.options.indent;
        let pretty = !indent.is_empty();
        out.push('<');
        out.push_str(&node.name);
        for (k, v) in &node.attributes {
            out.push_str(&format!(" {k}=\"{}\"", escape(v, true)));
        }
        if node.children.is_empty() {
            match &node.text {
                Some(t) => out.push_str(&format!(">{}</{}>", escape(t, false), node.name)),
                None => out.push_str("/>"),
            }
            return;
        }
        out.push('>');
        if let Some(t) = &node.text {
            out.push_str(&escape(t, false));
        }
        for child in &node.children {
            if pretty {
                out.push('\n');
                out.push_str(&indent.repeat(depth + 1));
            }
            self.render(child, depth + 1, out);
        }
        if pretty {
            out.push('\n');
            out.push_str(&indent.repeat(depth));
        }
        out.push_str(&format!("</{}>", node.name));
    }

    /// Row `row` of a struct array as an XML record; None when NULL.
    pub fn row(&self, a: &dyn Array, row: usize) -> Result<Option<String>> {
        if a.is_null(row) {
            return Ok(None);
        }
        let node = self.node(&self.options.row_tag, a, row)?;
        let mut out = String::new();
        self.render(&node, 0, &mut out);
        if self.options.indent.is_empty() {
            out.push('\n');
        }
        Ok(Some(out))
    }
}
