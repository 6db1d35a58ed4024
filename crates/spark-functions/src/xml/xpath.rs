//! The `xpath*` family: an XPath 1.0 expression (a constant) evaluated over
//! each row's XML document, its result converted as Spark's Hive-derived
//! `UDFXPathUtil` converts javax.xml's: node lists as the node values
//! (NULL for elements), strings as the first node's string-value, numbers
//! by XPath's own number grammar (no exponents) then narrowed as Java
//! narrows doubles. NULL or empty XML gives NULL.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Float32Array, Float64Array, Int16Array, Int32Array, Int64Array, ListBuilder, StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use sxd_document::dom::ChildOfRoot;
use sxd_xpath::nodeset::Node;
use sxd_xpath::{Context, Factory, Value, XPath};

use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::{arg_arrays, bytes_at, columnar};

/// Which function, by its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XPathFn {
    /// `xpath`: array<string>.
    List,
    String,
    Boolean,
    /// `xpath_double` / `xpath_number`.
    Double,
    Float,
    Int,
    Long,
    Short,
}

impl XPathFn {
    pub fn return_type(self) -> DataType {
        match self {
            Self::List => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            Self::String => DataType::Utf8,
            Self::Boolean => DataType::Boolean,
            Self::Double => DataType::Float64,
            Self::Float => DataType::Float32,
            Self::Int => DataType::Int32,
            Self::Long => DataType::Int64,
            Self::Short => DataType::Int16,
        }
    }
}

fn java_error(message: String) -> SparkRuntimeError {
    SparkRuntimeError::plain(RuntimeKind::Java, message)
}

/// Compiles the path once for a whole batch.
pub fn compile(path: &str) -> Result<XPath, SparkRuntimeError> {
    let invalid = |detail: String| java_error(format!("Invalid XPath '{path}'{detail}"));
    match Factory::new().build(path) {
        Ok(Some(xpath)) => Ok(xpath),
        Ok(None) => Err(invalid(String::new())),
        Err(e) => Err(invalid(format!(": {e}"))),
    }
}

/// XPath 1.0's `number()` of a string: optional whitespace, an optional
/// minus, digits with at most one point; anything else is NaN.
pub fn xpath_number(s: &str) -> f64 {
    let t = s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\r' | '\n'));
    let body = t.strip_prefix('-').unwrap_or(t);
    let valid = !body.is_empty()
        && body != "."
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.chars().filter(|&c| c == '.').count() <= 1;
    if valid { t.parse().unwrap_or(f64::NAN) } else { f64::NAN }
}

/// The value javax.xml gives a node in a node list: text of text,
/// attribute, comment and processing-instruction nodes; none for elements.
fn node_value(node: &Node<'_>) -> Option<String> {
    match node {
        Node::Text(t) => Some(t.text().to_string()),
        Node::Attribute(a) => Some(a.value().to_string()),
        Node::Comment(c) => Some(c.text().to_string()),
        Node::ProcessingInstruction(p) => Some(p.value().unwrap_or_default().to_string()),
        Node::Root(_) | Node::Element(_) | Node::Namespace(_) => None,
    }
}

/// One evaluation's result, before it is narrowed to the function's type.
enum Evaluated {
    Nodes(Vec<Option<String>>),
    String(String),
    Number(f64),
    Boolean(bool),
}

fn evaluate(xpath: &XPath, xml: &str, op: XPathFn) -> Result<Evaluated, SparkRuntimeError> {
    let package = sxd_document::parser::parse(xml).map_err(|e| java_error(format!("Invalid XML document: {e}")))?;
    let document = package.as_document();
    // The document element is the context node's child, as for javax.xml's evaluation on the document.
    let has_element = document.root().children().iter().any(|c| matches!(c, ChildOfRoot::Element(_)));
    if !has_element {
        return Err(java_error("Invalid XML document: no document element".into()));
    }
    let value = xpath.evaluate(&Context::new(), document.root()).map_err(|e| java_error(format!("Invalid XML document: {e}")))?;
    Ok(match op {
        XPathFn::List => match value {
            Value::Nodeset(nodes) => Evaluated::Nodes(nodes.document_order().iter().map(node_value).collect()),
            other => {
                let kind = match other {
                    Value::Boolean(_) => "#BOOLEAN",
                    Value::Number(_) => "#NUMBER",
                    _ => "#STRING",
                };
                return Err(java_error(format!("Invalid XML document: com.sun.org.apache.xpath.internal.XPathException: Can not convert {kind} to a NodeList!")));
            }
        },
        XPathFn::String => Evaluated::String(value.string()),
        XPathFn::Boolean => Evaluated::Boolean(value.boolean()),
        _ => Evaluated::Number(match value {
            Value::Number(n) => n,
            Value::Boolean(b) => f64::from(u8::from(b)),
            other => xpath_number(&other.string()),
        }),
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkXPath {
    signature: Signature,
    op: XPathFn,
}

impl SparkXPath {
    pub fn udf(op: XPathFn) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable), op }))
    }
}

impl ScalarUDFImpl for SparkXPath {
    fn name(&self) -> &str {
        match self.op {
            XPathFn::List => "xpath",
            XPathFn::String => "xpath_string",
            XPathFn::Boolean => "xpath_boolean",
            XPathFn::Double => "xpath_double",
            XPathFn::Float => "xpath_float",
            XPathFn::Int => "xpath_int",
            XPathFn::Long => "xpath_long",
            XPathFn::Short => "xpath_short",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.op.return_type())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let path = match args.args.get(1) {
            Some(ColumnarValue::Scalar(ScalarValue::Utf8(p) | ScalarValue::LargeUtf8(p) | ScalarValue::Utf8View(p))) => p.clone(),
            _ => return datafusion::common::exec_err!("{} takes a constant path", self.name()),
        };
        let (arrays, scalar) = arg_arrays(&args)?;
        let compiled = path.as_deref().map(compile).transpose().map_err(SparkRuntimeError::into_df)?;
        let mut results = Vec::with_capacity(rows);
        for i in 0..rows {
            let xml = bytes_at(arrays[0].as_ref(), i).map(String::from_utf8_lossy);
            results.push(match (&compiled, xml) {
                (Some(xpath), Some(xml)) if !xml.is_empty() => Some(evaluate(xpath, &xml, self.op).map_err(SparkRuntimeError::into_df)?),
                _ => None,
            });
        }
        columnar(build(self.op, results), scalar)
    }
}

/// The results as the function's Arrow type; numbers narrowed as Java's
/// casts do (saturating to int and long, NaN to 0; short through int).
fn build(op: XPathFn, results: Vec<Option<Evaluated>>) -> ArrayRef {
    let number = |e: &Option<Evaluated>| match e {
        Some(Evaluated::Number(n)) => Some(*n),
        _ => None,
    };
    match op {
        XPathFn::List => {
            let mut b = ListBuilder::new(StringBuilder::new()).with_field(Arc::new(Field::new("item", DataType::Utf8, true)));
            for r in results {
                match r {
                    Some(Evaluated::Nodes(values)) => {
                        for v in values {
                            b.values().append_option(v);
                        }
                        b.append(true);
                    }
                    _ => b.append(false),
                }
            }
            Arc::new(b.finish())
        }
        XPathFn::String => {
            let mut b = StringBuilder::new();
            for r in results {
                b.append_option(match r {
                    Some(Evaluated::String(s)) => Some(s),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        XPathFn::Boolean => {
            let mut b = BooleanBuilder::new();
            for r in results {
                b.append_option(match r {
                    Some(Evaluated::Boolean(v)) => Some(v),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        XPathFn::Double => Arc::new(results.iter().map(number).collect::<Float64Array>()),
        XPathFn::Float => Arc::new(results.iter().map(|r| number(r).map(|n| n as f32)).collect::<Float32Array>()),
        XPathFn::Int => Arc::new(results.iter().map(|r| number(r).map(|n| n as i32)).collect::<Int32Array>()),
        XPathFn::Long => Arc::new(results.iter().map(|r| number(r).map(|n| n as i64)).collect::<Int64Array>()),
        XPathFn::Short => Arc::new(results.iter().map(|r| number(r).map(|n| n as i32 as i16)).collect::<Int16Array>()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(xml: &str, path: &str, op: XPathFn) -> Result<Evaluated, SparkRuntimeError> {
        evaluate(&compile(path)?, xml, op)
    }

    #[test]
    fn node_lists_and_values() -> Result<(), SparkRuntimeError> {
        let nodes = |e: Evaluated| match e {
            Evaluated::Nodes(v) => Some(v),
            _ => None,
        };
        assert_eq!(nodes(eval("<a><b>b1</b><b>b2</b><c>c1</c></a>", "a/b/text()", XPathFn::List)?), Some(vec![Some("b1".to_string()), Some("b2".to_string())]));
        assert_eq!(nodes(eval("<a><b>b1</b><b>b2</b></a>", "a/b", XPathFn::List)?), Some(vec![None, None]));
        let text = match eval("<a><b>x<c>y</c>z</b></a>", "a/b", XPathFn::String)? {
            Evaluated::String(s) => Some(s),
            _ => None,
        };
        assert_eq!(text.as_deref(), Some("xyz"));
        assert!(eval("<a><b>1", "a", XPathFn::List).is_err());
        assert!(eval("<a/>", "count(a)", XPathFn::List).is_err());
        assert!(compile("a/[").is_err());
        Ok(())
    }

    #[test]
    fn numbers_follow_xpath_and_java() {
        assert_eq!(xpath_number(" -2.7 "), -2.7);
        assert!(xpath_number("1e20").is_nan());
        assert!(xpath_number("+1").is_nan());
        assert!(xpath_number("abc").is_nan());
        assert_eq!(xpath_number(".5"), 0.5);
        let built = build(XPathFn::Short, vec![Some(Evaluated::Number(70000.0)), Some(Evaluated::Number(f64::NAN)), None]);
        let shorts = built.as_any().downcast_ref::<datafusion::arrow::array::Int16Array>().map(|a| a.iter().collect::<Vec<_>>());
        assert_eq!(shorts, Some(vec![Some(4464), Some(0), None]));
    }
}
