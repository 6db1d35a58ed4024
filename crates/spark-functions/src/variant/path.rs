//! Variant paths (`$`, `.key`, `['key']`, `["key"]`, `[index]`) and the
//! edits made along them: `variant_get`'s extraction and the rebuilding
//! functions `variant_set` / `_insert` / `_delete` / `_array_append` /
//! `_strip_nulls`. An edit decodes the value into a tree, changes it and
//! writes it back with a fresh dictionary: existing fields in their stored
//! order, new ones after them.

use super::builder::VariantBuilder;
use super::encoding::{Kind, Variant, VariantResult};
use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Parses a path; None when it is not one.
pub fn parse_path(path: &str) -> Option<Vec<Segment>> {
    let rest = path.strip_prefix('$')?;
    let b = rest.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        if b[i] == b'.' {
            let start = i + 1;
            let mut end = start;
            while end < b.len() && b[end] != b'.' && b[end] != b'[' {
                end += 1;
            }
            if end == start {
                return None;
            }
            out.push(Segment::Key(rest[start..end].to_string()));
            i = end;
        } else if b[i] == b'[' {
            match b.get(i + 1) {
                Some(q @ (b'\'' | b'"')) => {
                    let start = i + 2;
                    let close = rest[start..].find(*q as char)? + start;
                    if b.get(close + 1) != Some(&b']') {
                        return None;
                    }
                    out.push(Segment::Key(rest[start..close].to_string()));
                    i = close + 2;
                }
                _ => {
                    let start = i + 1;
                    let close = rest[start..].find(']')? + start;
                    let digits = &rest[start..close];
                    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                        return None;
                    }
                    let index: i32 = digits.parse().ok()?;
                    out.push(Segment::Index(index as usize));
                    i = close + 1;
                }
            }
        } else {
            return None;
        }
    }
    Some(out)
}

/// The path text of the first `n` segments, for messages.
pub fn render(segments: &[Segment]) -> String {
    let mut s = String::from("$");
    for seg in segments {
        match seg {
            Segment::Key(k) if !k.is_empty() && !k.contains(['.', '[']) => {
                s.push('.');
                s.push_str(k);
            }
            Segment::Key(k) if !k.contains('\'') => s.push_str(&format!("['{k}']")),
            Segment::Key(k) => s.push_str(&format!("[\"{k}\"]")),
            Segment::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

pub fn invalid_get_path(path: &str, function: &str) -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "INVALID_VARIANT_GET_PATH",
        "22023",
        format!("The path `{path}` is not a valid variant extraction path in `{function}`."),
    )
    .param("path", path)
    .param("functionName", function)
}

pub fn invalid_path(path: &str, function: &str) -> SparkRuntimeError {
    SparkRuntimeError::new(RuntimeKind::Runtime, "INVALID_VARIANT_PATH", "22023", format!("The path '{path}' is not a valid `{function}` target."))
        .param("path", path)
        .param("functionName", function)
}

fn type_mismatch(path: &str, at: &[Segment], function: &str) -> SparkRuntimeError {
    let at = render(at);
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "VARIANT_PATH_TYPE_MISMATCH",
        "22023",
        format!("The path '{path}' is incompatible with the variant value at '{at}' in `{function}`."),
    )
    .param("path", path)
    .param("prefix", at)
    .param("functionName", function)
}

/// The value at `segments`, if there is one.
pub fn extract<'a>(v: Variant<'a>, segments: &[Segment]) -> VariantResult<Option<Variant<'a>>> {
    let mut current = v;
    for seg in segments {
        let next = match (seg, current.kind()?) {
            (Segment::Key(k), Kind::Object) => current.field(k)?,
            (Segment::Index(i), Kind::Array) => current.element_at(*i)?,
            _ => None,
        };
        match next {
            Some(n) => current = n,
            None => return Ok(None),
        }
    }
    Ok(Some(current))
}

/// A decoded value.
#[derive(Debug, Clone)]
enum Node {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    /// A scalar's bytes.
    Scalar(Vec<u8>),
}

const NULL_NODE: u8 = 0;

impl Node {
    fn null() -> Self {
        Node::Scalar(vec![NULL_NODE])
    }

    fn decode(v: Variant<'_>) -> VariantResult<Self> {
        Ok(match v.kind()? {
            Kind::Object => {
                let mut fields = Vec::new();
                for i in 0..v.object_size()? {
                    let (k, child) = v.field_at(i)?;
                    fields.push((k.to_string(), Node::decode(child)?));
                }
                Node::Object(fields)
            }
            Kind::Array => {
                let mut elements = Vec::new();
                for i in 0..v.array_size()? {
                    if let Some(child) = v.element_at(i)? {
                        elements.push(Node::decode(child)?);
                    }
                }
                Node::Array(elements)
            }
            _ => Node::Scalar(v.bytes()?.to_vec()),
        })
    }

    fn is_null(&self) -> bool {
        matches!(self, Node::Scalar(b) if b.as_slice() == [NULL_NODE])
    }

    fn write(&self, b: &mut VariantBuilder) -> VariantResult<()> {
        match self {
            Node::Object(fields) => {
                let start = b.position();
                let mut entries = Vec::with_capacity(fields.len());
                for (k, child) in fields {
                    entries.push(b.field(start, k));
                    child.write(b)?;
                }
                b.finish_object(start, entries)
            }
            Node::Array(elements) => {
                let start = b.position();
                let mut offsets = Vec::with_capacity(elements.len());
                for child in elements {
                    offsets.push(b.position() - start);
                    child.write(b)?;
                }
                b.finish_array(start, &offsets);
                Ok(())
            }
            Node::Scalar(bytes) => {
                b.append_variant(Variant::new(bytes, &[1, 0, 0]))
            }
        }
    }
}

/// An array padded with variant nulls to index `i` would pass the size
/// limit (each null is at least one byte), so it is refused before it is
/// built.
fn check_pad(i: usize) -> Result<(), EditError> {
    if i >= super::encoding::SIZE_LIMIT { Err(EditError::TooLarge) } else { Ok(()) }
}

/// A missing path built down to `value`.
fn build_missing(segments: &[Segment], value: Node) -> Result<Node, EditError> {
    Ok(match segments.split_first() {
        None => value,
        Some((Segment::Key(k), rest)) => Node::Object(vec![(k.clone(), build_missing(rest, value)?)]),
        Some((Segment::Index(i), rest)) => {
            check_pad(*i)?;
            let mut elements = vec![Node::null(); *i];
            elements.push(build_missing(rest, value)?);
            Node::Array(elements)
        }
    })
}

/// Which rebuilding edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// `variant_set`: replace or create (unless `create` is false).
    Set { create: bool },
    /// `variant_insert`: a new field (an existing one is a duplicate key)
    /// or an element inserted before the index.
    Insert,
    /// `variant_array_append`: the target must be an array.
    Append,
    Delete,
}

/// Why an edit failed along the path: the segments before the value that
/// did not fit, or a duplicate key.
#[derive(Debug)]
pub enum EditError {
    Mismatch(usize),
    DuplicateKey(String),
    /// The result would pass the 16 MiB limit.
    TooLarge,
    Variant(SparkRuntimeError),
}

impl From<SparkRuntimeError> for EditError {
    fn from(e: SparkRuntimeError) -> Self {
        EditError::Variant(e)
    }
}

impl EditError {
    /// The Spark error (for the function and path given).
    pub fn into_spark(self, path: &[Segment], path_text: &str, function: &str) -> SparkRuntimeError {
        match self {
            EditError::Mismatch(depth) => type_mismatch(path_text, &path[..depth.min(path.len())], function),
            EditError::DuplicateKey(k) => super::builder::duplicate_key(&k),
            EditError::TooLarge => super::builder::size_limit(function),
            EditError::Variant(e) => e,
        }
    }
}

fn edit_node(node: &mut Node, segments: &[Segment], depth: usize, edit: Edit, value: &Option<Node>) -> Result<(), EditError> {
    let Some((seg, rest)) = segments.split_first() else {
        // The target itself (only `variant_array_append` has one here).
        return match (node, value) {
            (Node::Array(elements), Some(v)) if edit == Edit::Append => {
                elements.push(v.clone());
                Ok(())
            }
            _ => Err(EditError::Mismatch(depth)),
        };
    };
    let last = rest.is_empty();
    match (seg, node) {
        (Segment::Key(k), Node::Object(fields)) => {
            let found = fields.iter().position(|(name, _)| name == k);
            match (found, edit) {
                (Some(i), Edit::Delete) if last => {
                    fields.remove(i);
                    Ok(())
                }
                (Some(_), Edit::Insert) if last => Err(EditError::DuplicateKey(k.clone())),
                (Some(i), Edit::Set { .. }) if last => {
                    fields[i].1 = value.clone().unwrap_or_else(Node::null);
                    Ok(())
                }
                (Some(i), _) => edit_node(&mut fields[i].1, rest, depth + 1, edit, value),
                (None, Edit::Delete | Edit::Append | Edit::Set { create: false }) => Ok(()),
                (None, _) => {
                    fields.push((k.clone(), build_missing(rest, value.clone().unwrap_or_else(Node::null))?));
                    Ok(())
                }
            }
        }
        (Segment::Index(i), Node::Array(elements)) => {
            let i = *i;
            match edit {
                Edit::Delete if last => {
                    if i < elements.len() {
                        elements.remove(i);
                    }
                    Ok(())
                }
                Edit::Insert if last => {
                    let v = value.clone().unwrap_or_else(Node::null);
                    if i <= elements.len() {
                        elements.insert(i, v);
                    } else {
                        check_pad(i)?;
                        elements.resize(i, Node::null());
                        elements.push(v);
                    }
                    Ok(())
                }
                Edit::Set { .. } if last && i < elements.len() => {
                    elements[i] = value.clone().unwrap_or_else(Node::null);
                    Ok(())
                }
                _ if i < elements.len() => edit_node(&mut elements[i], rest, depth + 1, edit, value),
                Edit::Delete | Edit::Append | Edit::Set { create: false } => Ok(()),
                _ => {
                    check_pad(i)?;
                    elements.resize(i, Node::null());
                    elements.push(build_missing(rest, value.clone().unwrap_or_else(Node::null))?);
                    Ok(())
                }
            }
        }
        _ if edit == Edit::Delete => Ok(()),
        _ => Err(EditError::Mismatch(depth)),
    }
}

/// Applies an edit; `value` is the new value (none for deletes).
pub fn edit(v: Variant<'_>, segments: &[Segment], edit: Edit, value: Option<Variant<'_>>, function: &str) -> Result<(Vec<u8>, Vec<u8>), EditError> {
    let mut root = Node::decode(v)?;
    let value = value.map(Node::decode).transpose()?;
    edit_node(&mut root, segments, 0, edit, &value)?;
    let mut b = VariantBuilder::new();
    root.write(&mut b)?;
    Ok(b.finish(function)?)
}

/// `variant_strip_nulls`: object fields that are variant nulls go, and
/// array elements too unless `arrays` is false.
pub fn strip_nulls(v: Variant<'_>, arrays: bool) -> VariantResult<(Vec<u8>, Vec<u8>)> {
    fn strip(node: &mut Node, arrays: bool) {
        match node {
            Node::Object(fields) => {
                fields.retain(|(_, n)| !n.is_null());
                fields.iter_mut().for_each(|(_, n)| strip(n, arrays));
            }
            Node::Array(elements) => {
                if arrays {
                    elements.retain(|n| !n.is_null());
                }
                elements.iter_mut().for_each(|n| strip(n, arrays));
            }
            Node::Scalar(_) => {}
        }
    }
    let mut root = Node::decode(v)?;
    strip(&mut root, arrays);
    let mut b = VariantBuilder::new();
    root.write(&mut b)?;
    b.finish("variant_strip_nulls")
}

#[cfg(test)]
mod tests {
    use super::super::json::parse_json;
    use super::*;

    fn run(json: &str, path: &str, e: Edit, value: Option<&str>) -> Result<Vec<u8>, String> {
        let (v, m) = parse_json(json).map_err(|e| e.to_string())?;
        let parsed_value = value.map(parse_json).transpose().map_err(|e| e.to_string())?;
        let segs = parse_path(path).ok_or("path")?;
        let val = parsed_value.as_ref().map(|(a, b)| Variant::new(a, b));
        edit(Variant::new(&v, &m), &segs, e, val, "f").map(|r| r.0).map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn parses_paths() {
        assert_eq!(parse_path("$"), Some(vec![]));
        assert_eq!(parse_path("$.a['b c'][\"d\"][12]"), Some(vec![Segment::Key("a".into()), Segment::Key("b c".into()), Segment::Key("d".into()), Segment::Index(12)]));
        for bad in ["a", "$[-1]", "$.", "$[x]", "$['a'", "$[99999999999]"] {
            assert_eq!(parse_path(bad), None, "{bad}");
        }
        assert_eq!(render(&parse_path("$.a['b.c'][1]").unwrap_or_default()), "$.a['b.c'][1]");
    }

    #[test]
    fn edits_as_spark() {
        // Recorded from Spark 4.3.
        assert_eq!(run(r#"{"z":1,"y":2}"#, "$.x", Edit::Set { create: true }, Some("3")), Ok(b"\x02\x03\x02\x00\x01\x04\x00\x02\x06\x0c\x02\x0c\x01\x0c\x03".to_vec()));
        assert_eq!(run(r#"["a","b"]"#, "$[5]", Edit::Insert, Some(r#""z""#)), Ok(b"\x03\x06\x00\x02\x04\x05\x06\x07\x09\x05a\x05b\x00\x00\x00\x05z".to_vec()));
        assert!(matches!(run(r#"{"a": 1}"#, "$.a.b", Edit::Set { create: true }, Some("2")), Err(e) if e.contains("Mismatch(1)")));
        assert!(matches!(run(r#"{"a": 1}"#, "$.a", Edit::Insert, Some("2")), Err(e) if e.contains("DuplicateKey")));
        assert_eq!(run("1", "$.a", Edit::Delete, None), Ok(b"\x0c\x01".to_vec()));
        // A huge index is refused before anything is allocated.
        assert!(matches!(run("[]", "$[2000000000]", Edit::Insert, Some("1")), Err(e) if e.contains("TooLarge")));
        assert!(matches!(run("{}", "$.a[2000000000]", Edit::Set { create: true }, Some("1")), Err(e) if e.contains("TooLarge")));
    }
}
