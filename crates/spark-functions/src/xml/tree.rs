//! An XML document as Spark's XML reader sees a record: the root element's
//! attributes, child elements in document order, and its own text (the
//! text nodes directly inside it, surrounding spaces trimmed).

/// One element.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub attributes: Vec<(String, String)>,
    pub children: Vec<(String, Element)>,
    pub text: String,
}

impl Element {
    /// Whether the element is a plain value: no attributes, no children.
    pub fn is_leaf(&self, with_attributes: bool) -> bool {
        self.children.is_empty() && (!with_attributes || self.attributes.is_empty())
    }
}

/// Nesting beyond this is refused rather than followed (no stack overflow
/// on hostile input).
const MAX_DEPTH: usize = 1000;

fn convert(e: sxd_document::dom::Element<'_>, depth: usize) -> Option<Element> {
    use sxd_document::dom::ChildOfElement;
    if depth > MAX_DEPTH {
        return None;
    }
    let attributes = e.attributes().iter().map(|a| (a.name().local_part().to_string(), a.value().to_string())).collect();
    let mut children = Vec::new();
    let mut text = String::new();
    for child in e.children() {
        match child {
            ChildOfElement::Element(c) => children.push((c.name().local_part().to_string(), convert(c, depth + 1)?)),
            ChildOfElement::Text(t) => text.push_str(t.text()),
            _ => {}
        }
    }
    Some(Element { attributes, children, text: text.trim().to_string() })
}

/// An upper bound of the document's element nesting, read from its tags
/// without parsing (comments and CDATA can only make it larger).
fn nesting_bound(xml: &str) -> usize {
    let b = xml.as_bytes();
    let (mut depth, mut max) = (0usize, 0usize);
    for i in 0..b.len() {
        match (b[i], b.get(i + 1)) {
            (b'<', Some(b'/')) => depth = depth.saturating_sub(1),
            (b'<', Some(c)) if c.is_ascii_alphabetic() || *c == b'_' || *c == b':' => {
                depth += 1;
                max = max.max(depth);
            }
            (b'/', Some(b'>')) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The root element of `xml`, or None when it is not a well-formed document
/// (or nests deeper than [`MAX_DEPTH`]: refused before the parser, whose
/// time grows with the nesting, sees it).
pub fn parse(xml: &str) -> Option<Element> {
    if nesting_bound(xml) > MAX_DEPTH + 1 {
        return None;
    }
    let package = sxd_document::parser::parse(xml).ok()?;
    let document = package.as_document();
    let root = document.root().children().into_iter().find_map(|c| match c {
        sxd_document::dom::ChildOfRoot::Element(e) => Some(e),
        _ => None,
    })?;
    convert(root, 0)
}
